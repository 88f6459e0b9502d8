"""A library that follows its folder: routine files added, changed or removed are picked up
by the next look, without a restart."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .errors import Problem, RoutineError
from .library import Library, library_files, scan_library

log = logging.getLogger(__name__)
Signature = tuple[tuple[str, int, int], ...]


def signature(folder: Path | None) -> Signature:
    """What the library's files are now: (name, mtime in ns, size) of each, in order."""
    entries = []
    for path in library_files(folder):
        try:
            stat = path.stat()
        except OSError:   # removed between the listing and the look
            continue
        entries.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


class LiveLibrary:
    """The library of a folder, reloaded when its files change.

    The folder is looked at no more than once per `interval_s` seconds, so asking for the
    library on every request costs nothing (`interval_s=math.inf`: never reloaded). A
    routine file with problems is left out (its problems are kept in `problems`), the rest
    are served. If the catalog or vocabularies break, the last good library stays in use
    until they are fixed.
    Raises RoutineError at construction if there is no good library to start from.
    """

    def __init__(self, folder: Path | None = None, interval_s: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.folder = folder
        self.interval_s = interval_s
        self.clock = clock
        self._lock = threading.Lock()
        self._seen = signature(folder)
        self._checked = clock()
        library, self.problems = _scan(folder)
        # (reloads so far, the library) in one value, so a reader never pairs a count with
        # another library.
        self._current: tuple[int, Library] = (0, library)

    def current(self) -> Library:
        """The library as its files are now (looked at no more than once per interval)."""
        return self.snapshot()[1]

    def snapshot(self) -> tuple[int, Library]:
        """(how many times it has been reloaded, the library): a new count, a new library."""
        now = self.clock()
        if now - self._checked < self.interval_s:
            return self._current
        # One caller reloads; the others are served the library as it is, never made to
        # wait: a slow file once stalled every request of a server for 20 s.
        if not self._lock.acquire(blocking=False):
            return self._current
        try:
            if now - self._checked >= self.interval_s:
                self._checked = now
                self._reload_if_changed()
            return self._current
        finally:
            self._lock.release()

    def _reload_if_changed(self) -> None:
        seen = signature(self.folder)
        if seen == self._seen:
            return
        try:
            library, problems = _scan(self.folder)
        except RoutineError as exc:
            self._seen, self.problems = seen, exc.problems
            log.warning("the catalog has problems; serving the library as it was:\n%s", exc)
            return
        self._seen, self.problems = seen, problems
        self._current = (self._current[0] + 1, library)


def _scan(folder: Path | None) -> tuple[Library, list[Problem]]:
    """scan_library, with any fault in the catalog or vocabularies as a RoutineError."""
    try:
        return scan_library(folder)
    except RoutineError:
        raise
    except Exception as exc:   # a fault no check foresaw: tell it, do not crash a server
        where = str(folder or "the built-in library")
        raise RoutineError([Problem(where, None, "", "the catalog or vocabularies could not "
                                    f"be read ({type(exc).__name__}: {exc}).")]) from exc


__all__ = ["LiveLibrary", "Problem", "signature"]
