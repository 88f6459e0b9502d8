"""Routine to track: synthesize what is missing, schedule with real lengths, render."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from builder.estimate import estimated_measure
from builder.lengths import read_cue_sheet
from builder.library import content_hash
from builder.model import Routine
from builder.schedule import VERSION as SCHEDULE_VERSION
from builder.schedule import schedule, sounds_of

from .encoder import SETTINGS, Encoder
from .errors import AudioError
from .islands import ISLAND_VERSION
from .render import Track, render
from .sounds import Progress, SoundBank, processing, tones_digest
from .tags import read_build
from .voice import Voice

RENDER_VERSION = 2   # bump when a change in audio/ alters the files of an unchanged routine


class TrackMaker:
    """Builds routines with one voice into one output folder, reusing one cache."""

    def __init__(self, voice: Voice, encoder: Encoder, cache_dir: Path, out_dir: Path) -> None:
        self.voice = voice
        self.encoder = encoder
        self.cache_dir = cache_dir
        self.out_dir = out_dir

    def build_id(self, routine: Routine) -> str:
        """Changes when the routine, its catalog moves, the voice or the builder changes."""
        parts = [content_hash(routine), self.voice.identity, processing(), SETTINGS,
                 tones_digest(), SCHEDULE_VERSION, ISLAND_VERSION, RENDER_VERSION]
        return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]

    def is_current(self, routine: Routine) -> bool:
        """Whether the published track and cue sheet are both this exact build."""
        sheet = read_cue_sheet(self.out_dir / f"{routine.id}.json") or {}
        build = self.build_id(routine)
        return sheet.get("build") == build \
            and read_build(self.out_dir / f"{routine.id}.mp3") == build

    def make(self, routine: Routine, progress: Progress | None = None) -> Track:
        """Build the routine's track; any failure leaves the old outputs as they were."""
        bank = SoundBank(self.voice, self.cache_dir, routine.voice_pace)
        sounds = sounds_of(routine, estimated_measure(routine.voice_pace))
        try:
            bank.synthesize(sounds, progress)
            timeline = schedule(routine, bank.duration_ms)
            self.out_dir.mkdir(parents=True, exist_ok=True)
            return render(timeline, bank, self.encoder, self.out_dir, self.cache_dir,
                          build=self.build_id(routine), source=content_hash(routine))
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else ""
            raise AudioError(f"could not write{where} ({exc.strerror or exc})") from exc
