"""Background builds while serving: keep every routine of a live library built, the
quickest first, and build what is added or changed (the process around it is
matcoach/build_process.py, which `matcoach serve` starts).

One routine is built at a time: the Piper voice already uses every core for one phrase.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from .plan_builds import PlanBuilds

log = logging.getLogger("matcoach.builds")
# Seconds of Piper per character of new speech on the 2-core machine the README measures,
# refined after every build. With the slower voice of issue 9, a server's first build of
# the library (14 routines) took 4 min 30 s on a busy machine, where the 0.0028 measured
# for the faster voice foretold 2 min 26 s and the estimate then jumped to over 6 minutes
# after the first routine; 0.0045 foretells about 3 min 45 s.
SECONDS_PER_CHAR = 0.0045
OVERHEAD_S = 1.0
UPKEEP_EVERY_S = 600.0   # while idle: places change as people finish, freeing builds


class Stopped(BaseException):
    """Raised between phrases when the builder is asked to stop: the build is cut short
    (nothing half-made is published) and is not a failure of the routine."""


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
    returns whether anything was built; `run()` repeats it until `stopping` is set, which
    also cuts a build short at its next phrase (Stopped). `beat()` rewrites the status
    when it is older than HEARTBEAT_S (from a timer: a long render writes nothing else).
    """

    def __init__(self, library: LiveLibrary, maker: TrackMaker,
                 clock: Callable[[], float] = time.time,
                 stopping: threading.Event | None = None,
                 upkeep: Callable[[], None] | None = None,
                 plans: PlanBuilds | None = None) -> None:
        self.library = library
        self.plans = plans
        self.maker = maker
        self.clock = clock
        self.upkeep = upkeep
        self._upkept_at = -math.inf
        self.per_char = SECONDS_PER_CHAR
        self.batch = Batch()
        self.stopping = stopping or threading.Event()
        self._reported: list[Problem] = []
        self._written_at = 0.0
        self._last: BuildStatus | None = None
        self._write_lock = threading.Lock()

    def step(self) -> bool:
        """Build the next plan or routine that needs it (plans first: a therapist is
        waiting on the page); False when everything is current."""
        if self.plans is not None and self.plans.step():
            return True
        library = self.library.current()
        self._report_problems()
        jobs = self.jobs(library)
        if not jobs:
            self.batch.done = 0
            self._write([], force=self.clock() - self._written_at >= HEARTBEAT_S)
            if self.clock() - self._upkept_at >= UPKEEP_EVERY_S:
                self._upkeep()
            return False
        self._build(jobs[0], jobs)
        self._upkeep()
        return True

    def run(self, poll_s: float = 1.0) -> None:
        """Build and watch until `stopping` is set; a fault in one look is logged, and the
        next look tries again."""
        while not self.stopping.is_set():
            try:
                busy = self.step()
            except Stopped:
                return
            except Exception:   # never leave the routines unbuilt for a fault of one look
                log.exception("the builder hit an unexpected fault; trying again shortly")
                busy = False
            if not busy:
                self.stopping.wait(poll_s)

    def beat(self) -> None:
        """Rewrite the last status if it is older than HEARTBEAT_S, so that readers know the
        builder is alive through a long step."""
        with self._write_lock:
            now = self.clock()
            if self._last is not None and now - self._written_at >= HEARTBEAT_S:
                self._last = replace(self._last, updated_at=now)
                write_status(self.maker.out_dir, self._last)
                self._written_at = now

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
            if self.stopping.is_set():
                raise Stopped
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

    def _upkeep(self) -> None:
        """Tidy the tracks folder (matcoach/upkeep.py); a fault is logged, and tried again
        after the next build."""
        if self.upkeep is None:
            return
        self._upkept_at = self.clock()
        try:
            self.upkeep()
            if self.plans is not None:
                self.plans.tidy()
        except Exception:   # never stop building for a fault in tidying up
            log.exception("tidying the tracks folder failed; trying again later")

    def _failed(self, routine: Routine, why: str) -> None:
        log.error("%s could not be built: %s", routine.id, why)
        # The log has it all (an encoder's stderr, every colliding cue, full paths); the
        # status, which pages show to anyone, keeps the first line, with the file named
        # within the library.
        first = (why.strip().splitlines() or ["no reason was given"])[0]
        folder = str(self.library.current().folder.resolve())
        first = first.replace(folder + "/", "").replace(folder, "")
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
            # A routine built again after its file changed is waiting, not failed.
            failed={rid: why for rid, (_, why) in self.batch.failed.items() if rid not in ids},
            left_s=round(total_s) if jobs else None, ready_in_s=ready_in, updated_at=now,
            library=str(self.library.current().folder.resolve()))
        with self._write_lock:
            write_status(self.maker.out_dir, status)
            self._last, self._written_at = status, now
