"""Background builds while serving: one process builds every routine that is not current,
the quickest first, then watches the library and builds what is added or changed.

`matcoach serve` starts it (`python -m matcoach.builds`) beside the web server, so pages
answer at once and routines become playable one by one. One routine is built at a time: the
Piper voice already uses every core for one phrase. The process runs at a lower CPU priority
so pages and the skill stay quick while it speaks. Only one builder works per tracks folder
(a lock file), however many servers share it.
"""

from __future__ import annotations

import argparse
import fcntl
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from audio.errors import AudioError
from audio.maker import TrackMaker
from audio.sounds import SoundBank
from audio.status import HEARTBEAT_S, BuildStatus, write_status
from builder.durations import clock
from builder.errors import BuilderError, Problem
from builder.estimate import estimated_measure
from builder.library import Library, content_hash
from builder.live import LiveLibrary
from builder.model import Routine
from builder.schedule import sounds_of

log = logging.getLogger("matcoach.builds")
LOCK_FILE = ".builder.lock"
# Seconds of Piper per character of new speech on the 2-core machine the README measures
# (a cold build of four routines with 9,003 characters of unique speech took 28.9 s, about
# a second of it mixing and encoding each); refined after every build.
SECONDS_PER_CHAR = 0.0028
OVERHEAD_S = 1.0


@dataclass
class Job:
    """A routine to build and how much new speech it needs (characters)."""

    routine: Routine
    new_chars: int
    done_fraction: float = 0.0

    def seconds(self, per_char: float) -> float:
        """About how long what is left of this build takes."""
        return self.new_chars * (1 - self.done_fraction) * per_char + OVERHEAD_S


@dataclass
class Batch:
    """Counts since the builder last had nothing to do, for "Building 3 of 14"."""

    done: int = 0
    failed: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Routine id -> (content hash of the version that failed, why)."""


class BuildService:
    """Keeps every routine of a live library built into `maker.out_dir`.

    `step()` does one thing (builds the next routine, or reports that all is current) and
    returns whether anything was built; `run()` repeats it until told to stop.
    """

    def __init__(self, library: LiveLibrary, maker: TrackMaker,
                 clock: Callable[[], float] = time.time) -> None:
        self.library = library
        self.maker = maker
        self.clock = clock
        self.per_char = SECONDS_PER_CHAR
        self.batch = Batch()
        self._reported: list[Problem] = []
        self._written_at = 0.0

    def step(self) -> bool:
        """Build the next routine that needs it; False when everything is current."""
        library = self.library.current()
        self._report_problems()
        jobs = self.jobs(library)
        if not jobs:
            self.batch.done = 0
            self._write([], force=self.clock() - self._written_at >= HEARTBEAT_S)
            return False
        self._build(jobs[0], jobs)
        return True

    def run(self, should_stop: Callable[[], bool], poll_s: float = 1.0) -> None:
        """Build and watch until `should_stop()`."""
        while not should_stop():
            if not self.step():
                time.sleep(poll_s)

    def jobs(self, library: Library) -> list[Job]:
        """Routines whose published track is not their current build, quickest first;
        a routine that failed is not tried again until its file changes."""
        for gone in set(self.batch.failed) - set(library.routines):
            del self.batch.failed[gone]
        waiting = []
        for routine in library.routines.values():
            failed = self.batch.failed.get(routine.id)
            if failed and failed[0] == content_hash(routine):
                continue
            if not self.maker.is_current(routine):
                waiting.append(Job(routine, self._new_chars(routine)))
        return sorted(waiting, key=lambda job: job.new_chars)

    def _new_chars(self, routine: Routine) -> int:
        bank = SoundBank(self.maker.voice, self.maker.cache_dir, routine.voice_pace)
        sounds = sounds_of(routine, estimated_measure(routine.voice_pace))
        return sum(len(speech.text) for speech in bank.missing(sounds))

    def _build(self, job: Job, jobs: list[Job]) -> None:
        routine = job.routine
        number = self.batch.done + 1
        log.info("building %s (%d of %d)", routine.id, number, self.batch.done + len(jobs))
        self._write(jobs, force=True)
        started = self.clock()

        def progress(done: int, total: int) -> None:
            job.done_fraction = done / total if total else 1.0
            self._write(jobs)

        try:
            track = self.maker.make(routine, progress)
        except (BuilderError, AudioError) as exc:
            self._failed(routine, str(exc))
        except Exception as exc:   # a bug must not stop the other routines being built
            log.exception("building %s failed unexpectedly", routine.id)
            self._failed(routine, f"an unexpected error ({type(exc).__name__})")
        else:
            took = self.clock() - started
            self._learn(job, took)
            log.info("built %s (%s) in %.1f s", routine.id, clock(track.duration_ms), took)
            self.batch.failed.pop(routine.id, None)
        self.batch.done += 1
        self._write(jobs[1:], force=True)

    def _failed(self, routine: Routine, why: str) -> None:
        log.error("%s could not be built: %s", routine.id, why)
        # The log has it all (an encoder's stderr, every colliding cue); the status, read by
        # the pages, keeps the first sentence.
        first = (why.strip().splitlines() or ["no reason was given"])[0]
        self.batch.failed[routine.id] = (content_hash(routine), first)

    def _learn(self, job: Job, took_s: float) -> None:
        """Refine the speaking rate from a build that spoke enough to tell."""
        if job.new_chars >= 200:
            measured = max(took_s - OVERHEAD_S, 0.0) / job.new_chars
            self.per_char = 0.5 * self.per_char + 0.5 * measured

    def _report_problems(self) -> None:
        problems = self.library.problems
        if problems != self._reported:
            for problem in problems:
                if problem not in self._reported:
                    log.error("left out of the library until fixed: %s", problem)
            self._reported = list(problems)

    def _write(self, jobs: list[Job], force: bool = False) -> None:
        now = self.clock()
        if not force and now - self._written_at < 1.0:
            return
        ready_in, total_s = {}, 0.0
        for job in jobs:
            total_s += job.seconds(self.per_char)
            ready_in[job.routine.id] = round(total_s)
        ids = [job.routine.id for job in jobs]
        status = BuildStatus(
            done=self.batch.done, total=self.batch.done + len(jobs),
            building=tuple(ids[:1]), queued=tuple(ids[1:]),
            failed={rid: why for rid, (_, why) in self.batch.failed.items()},
            left_s=round(total_s) if jobs else None, ready_in_s=ready_in, updated_at=now)
        write_status(self.maker.out_dir, status)
        self._written_at = now


def hold_lock(folder: Path):
    """An open lock file held exclusively (None if another builder holds it)."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = open(folder / LOCK_FILE, "a")   # noqa: SIM115 - held for the process's life
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        return None
    return handle


def main(argv: list[str] | None = None) -> int:
    """`python -m matcoach.builds --library DIR --tracks DIR --cache DIR [--engine E]`."""
    parser = argparse.ArgumentParser(prog="matcoach.builds", description=__doc__)
    parser.add_argument("--library", type=Path, default=None)
    parser.add_argument("--tracks", type=Path, required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--engine", default="piper")
    parser.add_argument("--poll", type=float, default=1.0, help="seconds between looks")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="[%(asctime)s] [%(process)d] [builder] %(message)s",
                        datefmt="%Y-%m-%d %H:%M:%S %z")
    os.nice(10)   # the web server and the skill come first
    parent = os.getppid()
    stopping = []
    for number in (signal.SIGTERM, signal.SIGINT):
        signal.signal(number, lambda *_: _stop(stopping))
    lock = None
    while lock is None:
        lock = hold_lock(args.tracks)
        if lock is None:
            log.info("another builder is at work on %s; waiting", args.tracks)
            if _wait(args.poll * 5, stopping, parent):
                return 0
    try:
        service = _service(args)
        service.run(lambda: bool(stopping) or os.getppid() != parent, args.poll)
    finally:
        # Readers stop showing "being prepared" at once, not when the status goes stale.
        write_status(args.tracks, BuildStatus(stopped=True, updated_at=time.time()))
        log.info("stopped")
        lock.close()
    return 0


def _stop(stopping: list) -> None:
    stopping.append(True)
    raise SystemExit(0)   # builds are safe to cut short: nothing half-written is published


def _wait(seconds: float, stopping: list, parent: int) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if stopping or os.getppid() != parent:
            return True
        time.sleep(0.2)
    return False


def _service(args: argparse.Namespace) -> BuildService:
    from audio.encoder import Encoder, default_ffmpeg
    from audio.voice import load_voice
    encoder = Encoder(default_ffmpeg())
    voice = load_voice(args.engine, None, encoder)
    library = LiveLibrary(args.library, interval_s=args.poll)
    return BuildService(library, TrackMaker(voice, encoder, args.cache, args.tracks))


if __name__ == "__main__":
    sys.exit(main())
