"""Session fixtures: the real encoder, the real offline voice, and one real build."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from audio.maker import TrackMaker
from audio.render import Track
from audio.tidy import kept_builds
from builder.library import check_files, load_context
from builder.model import Routine

# Short, but with every kind of cue: sides, halfway, countdown, pace words, a rest,
# breathing spoken then toned, and a chime every few seconds.
ROUTINE = """
title: Test routine
intro: A short test.
equipment: [foam-roller, yoga-mat]
goals: [stay-supple]
steps:
  - title: Calf roll
    say: Roll your right calf.
    equipment: foam-roller
    body_area: calves
    work: 20s
    sides: both
    lead_in: 2s
    switch: 5s
    cues:
      halfway: true
      countdown: 3
      pace: {interval: 3s, say: [up, down]}
  - rest: 4s
    say: Rest a moment.
  - title: Breathe
    say: Lie still.
    work: 25s
    lead_in: 2s
    cues:
      breathe: {in: 3s, out: 4s, spoken: 1}
      every: {interval: 6s}
outro: Done.
"""


@dataclass(frozen=True)
class Built:
    """One real build and what it decodes to."""

    routine: Routine
    track: Track
    maker: TrackMaker
    samples: np.ndarray


def load_routine(folder: Path, text: str = ROUTINE, name: str = "test-routine") -> Routine:
    path = folder / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    routines, problems = check_files([path], load_context())
    assert problems == []
    return routines[name]


@pytest.fixture(scope="session")
def built(tmp_path_factory, piper, encoder, cache_dir) -> Built:
    folder = tmp_path_factory.mktemp("routine")
    routine = load_routine(folder)
    maker = TrackMaker(piper, encoder, cache_dir, folder / "tracks")
    track = maker.make(routine)
    return Built(routine, track, maker, encoder.decode(track.mp3))


@pytest.fixture
def make(tmp_path, built, piper, encoder):
    """Builds the test routine into `tmp_path/tracks` with the session's phrases, its last
    words `outro` (so each outro is another build); returns the build id."""
    maker = TrackMaker(piper, encoder, built.maker.cache_dir, tmp_path / "tracks")

    def make(outro: str = "Done.") -> str:
        folder = tmp_path / f"routine-{abs(hash(outro))}"
        folder.mkdir(exist_ok=True)
        routine = load_routine(folder, ROUTINE.replace("outro: Done.", f"outro: {outro}"))
        maker.make(routine)
        return maker.build_id(routine)

    return make


def kept(out: Path) -> list[str]:
    """The ids of the builds kept in the tracks folder `out`."""
    return [k.build for k in kept_builds(out)]
