"""Issue 9, the voice: the same audio every time. Real Piper voice."""

from __future__ import annotations

import pytest

from audio.maker import TrackMaker
from audio.piper_engine import PiperEngine, settings
from audio.runtime import _cpu_flags, versions

from .conftest import load_routine

SHORT_ROUTINE = """
title: Same every time
intro: Sit tall. Breathe out.
steps:
  - title: Hold
    say: Press gently. Hold it there.
    work: 3s
    lead_in: 1s
outro: All done.
"""


def test_two_builds_from_empty_caches_are_byte_identical(tmp_path, encoder):
    """Regression for issue 9: the same routine built twice, each time with a freshly
    loaded voice and an empty cache, gave different audio under one build id, so a
    listener's saved place moved."""
    routine = load_routine(tmp_path, SHORT_ROUTINE, "same-every-time")
    tracks = []
    for run in ("first", "second"):
        maker = TrackMaker(PiperEngine.from_path(None), encoder, tmp_path / f"cache-{run}",
                           tmp_path / f"out-{run}")
        tracks.append((maker.build_id(routine), maker.make(routine)))
    (first_build, first), (second_build, second) = tracks
    assert first_build == second_build
    for part in ("mp3", "cue_sheet", "transcript"):
        assert getattr(first, part).read_bytes() == getattr(second, part).read_bytes(), part


def test_the_voice_is_known_by_how_it_speaks_and_what_it_runs_on(piper):
    made_by = settings()
    assert made_by["noise_scale"] == made_by["noise_w_scale"] == 0.0
    assert made_by["packages"] == versions("piper-tts", "onnxruntime")
    assert "absent" not in made_by["packages"].values()
    assert made_by["processor"]
    assert piper.identity.startswith("piper:en_US-joe-medium.onnx:")


@pytest.mark.parametrize(("cpuinfo", "flags"), [
    ("processor\t: 0\nflags\t\t: fpu sse4_2 avx avx2\n\nflags\t\t: other\n",
     {"fpu", "sse4_2", "avx", "avx2"}),
    ("processor\t: 0\nFeatures\t: fp asimd sve\n", {"fp", "asimd", "sve"}),
    ("processor\t: 0\n", None),
])
def test_the_processor_s_extensions_are_read_from_cpuinfo(tmp_path, cpuinfo, flags):
    path = tmp_path / "cpuinfo"
    path.write_text(cpuinfo)
    assert _cpu_flags(path) == flags
    assert _cpu_flags(tmp_path / "absent") is None


