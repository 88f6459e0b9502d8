"""Therapists' plans built into tracks by the background builder, each into a private
folder of its own: `PLAN_AUDIO_DIR/<plan token>/`, never under the public tracks folder.

    <token>/plan.mp3 .json .vtt           the plan's latest build (as for a routine)
    <token>/builds/<build>/plan.mp3 ...    every build kept, so a session in progress
                                           finishes on the audio it started
    <token>/.builder/track.json            what the builder is doing with it (audio/one_track.py),
                                           `version` being the plan's version

A plan's folder goes when the plan does (its client deleted).
"""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

from audio.errors import AudioError
from audio.maker import TrackMaker
from audio.one_track import read_track_status, write_track_status
from builder.errors import BuilderError
from builder.parse import Context
from plans import PlanView, Store

from .builds import Stopped
from .plan_routines import checked_plan

log = logging.getLogger("matcoach.builds")


class PlanBuilds:
    """Keeps every plan's latest version built: `step()` builds the next plan that needs
    it and returns whether it built anything; `tidy()` removes folders of plans gone.

    `make_maker(folder)` gives the TrackMaker for a plan's folder (one voice, one cache for
    all); `context()` the catalog and vocabularies plans are checked against.
    """

    def __init__(self, store: Store, folder: Path, context: Callable[[], Context],
                 make_maker: Callable[[Path], TrackMaker],
                 stopping: threading.Event | None = None) -> None:
        self.store = store
        self.folder = folder
        self.context = context
        self.make_maker = make_maker
        self.stopping = stopping or threading.Event()
        self._failed: dict[tuple[int, int], Context] = {}
        """(plan, version) -> the catalog it failed the checks against."""
        self._built: dict[tuple[int, int, str], Context] = {}
        """(plan, version, build) -> the catalog that build was found current against (a
        build id costs a millisecond, and every plan is looked at each second)."""

    def step(self) -> bool:
        """Build the first plan whose latest version is not built as it would be built now
        (the catalog or the voice may have changed since: a move's corrected safety words
        must reach every plan that uses it), nor failed against this same catalog."""
        context = self.context()
        for plan in self.store.latest():
            folder = self.folder / plan.token
            if not self._current(plan, folder, context):
                self._build(plan, folder)
                return True
        return False

    def _current(self, plan: PlanView, folder: Path, context: Context) -> bool:
        status = read_track_status(folder) or {}
        if status.get("version") != plan.version:
            return False
        if status.get("state") == "failed":
            return self._failed.get((plan.id, plan.version)) is context
        key = (plan.id, plan.version, str(status.get("build")))
        if status.get("state") != "ready" or self._built.get(key) is context:
            return status.get("state") == "ready"
        draft = checked_plan(plan.routine_yaml, context, plan.id)
        if draft.routine is None or key[2] != self.make_maker(folder).build_id(draft.routine):
            return False
        self._built[key] = context
        return True

    def tidy(self) -> None:
        """Remove the folders of plans that are gone (their client was deleted)."""
        if not self.folder.is_dir():
            return
        kept = {plan.token for plan in self.store.latest()}
        for entry in self.folder.iterdir():
            if entry.is_dir() and entry.name not in kept:
                shutil.rmtree(entry, ignore_errors=True)
                log.info("removed the tracks of a deleted plan")

    def _build(self, plan: PlanView, folder: Path) -> None:
        def say(**status) -> None:
            write_track_status(folder, {"version": plan.version, **status})

        context = self.context()
        draft = checked_plan(plan.routine_yaml, context, plan.id)
        if draft.routine is None:
            # The catalog changed under a saved plan: the therapist sees why on its page,
            # and it is tried again when the catalog changes again.
            self._failed[(plan.id, plan.version)] = context
            say(state="failed", why="; ".join(p.message for p in draft.problems[:3]))
            return
        maker = self.make_maker(folder)
        if maker.is_current(draft.routine):
            say(state="ready", build=maker.build_id(draft.routine))
            return
        log.info("building plan %d, version %d", plan.id, plan.version)
        say(state="building", done=0, total=1)

        def progress(done: int, total: int) -> None:
            if self.stopping.is_set():
                raise Stopped
            say(state="building", done=done, total=total)

        try:
            maker.make(draft.routine, progress)
        except (BuilderError, AudioError) as exc:
            self._failed[(plan.id, plan.version)] = context
            say(state="failed", why=str(exc))
            return
        say(state="ready", build=maker.build_id(draft.routine))
        log.info("built plan %d, version %d", plan.id, plan.version)

