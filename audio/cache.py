"""A content-addressed file cache, safe when several builds read and write it at once."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


class DiskCache:
    """Files named by key under one folder; an entry is absent or complete, and never changes.

    Looking an entry up marks it used (its modification time, once per DiskCache), which is
    what tidying goes by (audio/tidy.py: least recently used first out, under a size cap).
    """

    # The first writer of a key wins. Piper speaks the same samples every time, but Google's
    # voice need not: two builds speaking the same phrase at once may get different
    # lengths, and both must go on to use the one that was kept. An entry of the wrong size
    # (a disk that filled up, a crash before the data reached it) is thrown away, not used.

    def __init__(self, folder: Path, suffix: str, valid: Callable[[int], bool] = bool) -> None:
        self.folder = folder
        self.suffix = suffix
        self.valid = valid
        self._used: set[str] = set()

    def path(self, key: str) -> Path:
        """Where the entry for `key` lives (two-letter fan-out keeps folders small)."""
        return self.folder / key[:2] / f"{key}{self.suffix}"

    def read(self, key: str, expected_size: int | None = None) -> bytes | None:
        """The entry's bytes, or None when absent or damaged."""
        try:
            data = self.path(key).read_bytes()
        except FileNotFoundError:
            return None
        if not self.valid(len(data)) or expected_size not in (None, len(data)):
            self.discard(key)
            return None
        self._mark_used(key)
        return data

    def size(self, key: str) -> int | None:
        """The entry's size in bytes without reading it, or None when absent or damaged."""
        try:
            size = self.path(key).stat().st_size
        except FileNotFoundError:
            return None
        if not self.valid(size):
            self.discard(key)
            return None
        self._mark_used(key)
        return size

    def _mark_used(self, key: str) -> None:
        if key in self._used:
            return
        self._used.add(key)
        try:
            os.utime(self.path(key))
        except OSError:   # removed meanwhile (it is made again when needed), or read-only
            pass

    def discard(self, key: str) -> None:
        """Remove a damaged entry so that it is made again."""
        self.path(key).unlink(missing_ok=True)

    def write(self, key: str, data: bytes) -> bool:
        """Store an entry unless it exists; False when another writer got there first."""
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            # A hard link appears complete and atomically, and fails if the name is taken.
            os.link(temporary, path)
            return True
        except FileExistsError:
            return False
        finally:
            Path(temporary).unlink(missing_ok=True)
