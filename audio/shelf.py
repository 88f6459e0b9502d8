"""The published tracks of an output folder: built routines with their cue sheets.

What the skill plays and the web pages list; reloaded when a build publishes.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from builder.library import Library
from builder.live import LiveLibrary
from builder.model import Routine
from builder.ranking import Wish, rank_routines
from builder.timeline import Chapter

from .kept import BUILD_ID, kept_folder
from .status import STATUS_FILE, BuildStatus, read_status
from .tags import read_build

RESCAN_S = 2.0
KEPT_TRACKS = 256   # earlier builds held in memory at most
USED_EVERY_S = 600.0   # how often serving a build marks it used, at most
T = TypeVar("T")


@dataclass(frozen=True)
class Track:
    """A built routine: the routine, where its audio is, and its chapters."""

    routine: Routine
    build: str
    duration_ms: int
    chapters: tuple[Chapter, ...]
    audio: str
    work: tuple[tuple[int, int], ...] = ()
    """For each chapter, when its work (or rest) runs: (start, end) in ms of the track, from
    the start and end tones of the cue sheet; (start, start) for a chapter with none (the
    introduction, the finish). What a follow-along countdown counts."""
    served_at: str = ""
    """The path under the public address that serves this build, when it is not
    `/audio/<path>`: a therapist's plan is served only under its private token."""

    @property
    def url_path(self) -> str:
        """The path, under the public address, of this build's MP3."""
        return self.served_at or f"/audio/{self.path}"

    @property
    def id(self) -> str:
        """The routine id."""
        return self.routine.id

    @property
    def token(self) -> str:
        """The AudioPlayer token: which routine, which build."""
        return f"{self.id}:{self.build}"

    @property
    def path(self) -> str:
        """Where /audio/ serves this build, whose bytes never change: `<build>/<id>.mp3`
        (as it is kept under builds/ in the tracks folder, audio/kept.py)."""
        return f"{self.build}/{self.audio}"

    def chapter_at(self, offset_ms: int) -> Chapter:
        """The chapter playing at `offset_ms`."""
        for chapter in reversed(self.chapters):
            if chapter.start_ms <= offset_ms:
                return chapter
        return self.chapters[0]

    def step_start(self, offset_ms: int) -> Chapter:
        """The first chapter of the step playing at `offset_ms` (for "repeat that")."""
        current = self.chapter_at(offset_ms)
        if current.step is None:
            return current
        return next(c for c in self.chapters if c.step == current.step)


class Shelf:
    """Tracks by routine id, reloaded when a build publishes new cue sheets or the library's
    files change (a routine removed from the library is no longer offered)."""

    def __init__(self, library: LiveLibrary, audio_dir: Path, local_audio: bool = True) -> None:
        self.live_library = library
        self.audio_dir = audio_dir
        # Whether the MP3s are here (served by this app) or only their cue sheets are (Lambda).
        self.local_audio = local_audio
        self._lock = threading.Lock()
        self._seen: tuple = ()
        self._glance: tuple = ()
        self._looked = -RESCAN_S
        self._tracks: dict[str, Track] = {}
        self._derived: dict[str, object] = {}
        self._status_seen: tuple | None = None
        self._status: BuildStatus | None = None
        self._kept: dict[tuple[str, str], tuple[tuple, Track | None]] = {}
        self._used: dict[str, float] = {}

    @property
    def library(self) -> Library:
        """The routine library as its folder is now."""
        return self.live_library.current()

    def tracks(self) -> dict[str, Track]:
        """Every playable track, in the library's order.

        Asked several times a request, so it costs one stat() of the folder while nothing
        changes: builds publish by renaming files into it, which changes its mtime. The
        folder is read in full when that mtime moves, and at least every RESCAN_S seconds
        (for a file changed in place, or a file system with coarse times).
        """
        version, library = self.live_library.snapshot()
        glance = (version, _mtime_ns(self.audio_dir))
        now = time.monotonic()
        if glance == self._glance and now - self._looked < RESCAN_S:
            return self._tracks
        sheets = sorted(p for p in self.audio_dir.glob("*.json") if not p.name.startswith(".")) \
            if self.audio_dir.is_dir() else []
        # Each cue sheet and the MP3 beside it: a track whose audio was removed or replaced
        # must not stay on offer.
        seen = (glance[0], *((p.name, _stamp(p), _stamp(p.with_suffix(".mp3")))
                             for p in sheets))
        with self._lock:
            if seen != self._seen:
                self._tracks = self._load(sheets, library)
                self._seen = seen
                self._derived = {}
            self._glance, self._looked = glance, now
            return self._tracks

    def derived(self, name: str, make: Callable[[dict[str, Track]], T]) -> T:
        """`make(tracks)`, computed once per version of the tracks and kept until they change
        (for lookups built from them, such as every name of every routine)."""
        tracks = self.tracks()
        with self._lock:
            known = self._derived.get(name)
            if known is not None and known[0] is tracks:
                return known[1]
        value = make(tracks)
        with self._lock:
            self._derived[name] = (tracks, value)
        return value

    def unbuilt(self) -> list[Routine]:
        """Routines of the library with no playable track yet, in the library's order."""
        tracks = self.tracks()
        return [r for r in self.library.routines.values() if r.id not in tracks]

    def build_status(self) -> BuildStatus | None:
        """What a running builder of this library reports (None when none is running: a
        builder of another library sharing these tracks does not build this one's)."""
        # Written by replacing the file: a new inode each time, however close in time.
        stamp = _stamp(self.audio_dir / STATUS_FILE)
        with self._lock:
            if stamp != self._status_seen:
                self._status, self._status_seen = read_status(self.audio_dir), stamp
            status = self._status
        if status is None or not status.live():
            return None
        if status.library is not None and \
                status.library != str(self.library.folder.resolve()):
            return None
        return status

    def get(self, routine_id: str) -> Track | None:
        """The track of a routine id, if it is built."""
        return self.tracks().get(routine_id)

    def kept(self, routine_id: str, build: str | None) -> Track | None:
        """Build `build` of a routine of the library, while its files are kept (the current
        build, or an earlier one: its offsets and chapters are those a saved place or a
        stream in progress refers to); None once it is gone."""
        current = self.get(routine_id)
        if current is None or not build or current.build == build:
            return current
        if not isinstance(build, str) or not BUILD_ID.fullmatch(build):
            return None   # not a build id (a place saved by hand, say)
        folder = kept_folder(self.audio_dir, build)
        sheet = folder / f"{routine_id}.json"
        stamp = (_stamp(sheet), _stamp(folder / f"{routine_id}.mp3") if self.local_audio else 0)
        if None in stamp:
            return None
        with self._lock:
            known = self._kept.get((routine_id, build))
        if known is not None and known[0] == stamp:
            return known[1]
        track = self._track(sheet, self.library, folder)
        with self._lock:
            if len(self._kept) >= KEPT_TRACKS:
                self._kept.clear()   # builds are few; a bound, not a cache policy
            self._kept[(routine_id, build)] = (stamp, track)
        return track

    def used(self, build: str) -> None:
        """Note that a kept build was served (its folder's modification time, at most once
        every USED_EVERY_S per build), so that tidying removes least recently used builds
        first (audio/tidy.py). A folder that cannot be touched is left as it is."""
        now = time.monotonic()
        with self._lock:
            if now - self._used.get(build, -USED_EVERY_S) < USED_EVERY_S:
                return
            if len(self._used) >= KEPT_TRACKS:
                self._used.clear()
            self._used[build] = now
        try:
            os.utime(kept_folder(self.audio_dir, build))
        except OSError:   # gone, or a read-only tracks folder
            pass

    def from_token(self, token: str | None) -> Track | None:
        """The track an AudioPlayer token names: its build while it is kept, else the
        routine's current build."""
        routine_id, _, rest = (token or "").partition(":")
        return self.kept(routine_id, rest.split(":")[0]) or self.get(routine_id)

    def length_of(self, token: str | None) -> int:
        """How long the stream a token names lasts (0 when it names no track)."""
        track = self.from_token(token)
        return track.duration_ms if track else 0

    def rank(self, wish: Wish) -> list[Track]:
        """Tracks that fit every constraint of `wish`, best fit first (builder/ranking.py),
        by the lengths of their builds."""
        tracks = self.tracks()
        routines = rank_routines([t.routine for t in tracks.values()],
                                 self.library.context.vocabulary, wish,
                                 length=lambda r: tracks[r.id].duration_ms)
        return [tracks[r.id] for r in routines]

    def _load(self, sheets: list[Path], library: Library) -> dict[str, Track]:
        found = {}
        for path in sheets:
            track = self._track(path, library)
            if track:
                found[track.id] = track
        order = list(library.routines)
        return dict(sorted(found.items(), key=lambda item: order.index(item[0])))

    def _track(self, path: Path, library: Library, folder: Path | None = None) -> Track | None:
        """The track a cue sheet describes, if its audio is that build: the kept copy in
        `folder`, else in builds/ (where it is kept), else the published MP3 (published
        before builds were kept)."""
        try:
            sheet = json.loads(path.read_text(encoding="utf-8"))
            build, audio = str(sheet["build"]), str(sheet["audio"])
            routine = library.routines.get(sheet["routine"])
            chapters = tuple(Chapter(**chapter) for chapter in sheet["chapters"])
            duration_ms = int(sheet["duration_ms"])
        except (OSError, ValueError, TypeError, KeyError):
            return None
        try:   # only the countdown needs them: a track plays without
            work = work_windows(chapters, list(sheet.get("cues") or []))
        except (ValueError, TypeError, KeyError, AttributeError):
            work = ()
        if routine is None or not BUILD_ID.fullmatch(build) or audio != f"{routine.id}.mp3":
            return None
        if self.local_audio:
            places = [folder] if folder else [kept_folder(self.audio_dir, build), self.audio_dir]
            if all(read_build(place / audio) != build for place in places):
                return None   # missing, or not the build its cue sheet describes
        return Track(routine, build, duration_ms, chapters, audio, work)


def work_windows(chapters: tuple[Chapter, ...], cues: list[dict]) -> tuple[tuple[int, int], ...]:
    """Each chapter's work period, (start, end) in ms: from its start tone to its end tone
    (matched by step and side); a rest chapter's whole length; (start, start) for a chapter
    with neither. Raises KeyError or TypeError for cues of the wrong shape."""
    tones = {(cue["kind"], cue["step"], cue["side"]): int(cue["at_ms"]) for cue in cues
             if cue["kind"] in ("start", "end")}
    rests = {cue["step"] for cue in cues if cue["kind"] == "rest"}
    windows = []
    for chapter in chapters:
        start = tones.get(("start", chapter.step, chapter.side))
        end = tones.get(("end", chapter.step, chapter.side))
        if chapter.step is not None and start is not None and end is not None:
            windows.append((start, end))
        elif chapter.step is not None and chapter.step in rests:
            windows.append((chapter.start_ms, chapter.end_ms))
        else:
            windows.append((chapter.start_ms, chapter.start_ms))
    return tuple(windows)


def _stamp(path: Path) -> tuple[int, int, int] | None:
    """(mtime in ns, size, inode) of a file, or None when it is not there."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ino


def _mtime_ns(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:   # removed since it was listed
        return None
