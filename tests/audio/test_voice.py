"""Issue 9, the voice: the same audio every time, a pause after each sentence, and a pace
that does what it says. Real Piper voice, real phrases from the library."""

from __future__ import annotations

import numpy as np
import pytest

from audio import pcm
from audio.errors import VoiceError
from audio.maker import TrackMaker
from audio.pace import length_scale
from audio.piper_engine import PiperEngine, settings
from audio.runtime import _cpu_flags, versions

from .conftest import load_routine

# Three sentences from the library (happy-feet's arch press), with a comma in one.
PHRASE = ("Place the spiky ball under the arch of your right foot. Press down slowly until "
          "you feel a strong pressure. Hold it there, and spread your toes.")

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


def quiet_runs_ms(samples: np.ndarray, rate: int) -> list[int]:
    """The lengths (ms) of the stretches where every 10 ms window is 50 dB under the peak."""
    window = rate // 100
    frames = samples[:len(samples) // window * window].reshape(-1, window)
    quiet = np.sqrt((frames ** 2).mean(axis=1)) < np.abs(samples).max() * 10 ** (-50 / 20)
    runs, length = [], 0
    for is_quiet in [*quiet, False]:
        if is_quiet:
            length += 1
        elif length:
            runs.append(length * 10)
            length = 0
    return runs


def test_two_builds_from_empty_caches_are_byte_identical(tmp_path, encoder):
    """Regression for issue 9: the same routine built again with an empty cache gave
    different audio under the same build id, so a listener's saved place moved.

    Piper's noise comes from a generator that runs on through a loaded voice's session, so
    a phrase spoken a second time came out different (two freshly loaded voices speaking
    the same phrases in the same order did agree). The second build here speaks every
    phrase again with the same voice."""
    routine = load_routine(tmp_path, SHORT_ROUTINE, "same-every-time")
    voice = PiperEngine.from_path(None)
    tracks = []
    for run in ("first", "second"):
        maker = TrackMaker(voice, encoder, tmp_path / f"cache-{run}", tmp_path / f"out-{run}")
        tracks.append((maker.build_id(routine), maker.make(routine)))
    (first_build, first), (second_build, second) = tracks
    assert first_build == second_build
    for part in ("mp3", "cue_sheet", "transcript"):
        assert getattr(first, part).read_bytes() == getattr(second, part).read_bytes(), part


def test_each_sentence_ends_with_a_pause_and_commas_keep_the_voice_s_own(piper):
    samples, rate = piper.speak(PHRASE, 1.0)
    pauses = [ms for ms in quiet_runs_ms(samples, rate) if ms >= 400]
    assert len(pauses) == 2, "one pause of at least 400 ms after each of two sentences"
    one_sentence, rate = piper.speak("Hold it there, and spread your toes.", 1.0)
    assert max(quiet_runs_ms(one_sentence, rate), default=0) < 400


def test_pace_0_8_makes_speech_a_quarter_longer(piper):
    usual = len(piper.speak(PHRASE, 1.0)[0])
    slower = len(piper.speak(PHRASE, 0.8)[0])
    assert slower / usual == pytest.approx(1 / 0.8, rel=0.05)


def test_a_pace_the_voice_was_not_measured_at_is_refused():
    assert length_scale(0.5) > length_scale(1.0) > length_scale(2.0)
    with pytest.raises(VoiceError, match="use a pace from 0.5"):
        length_scale(0.3)


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


def test_sentences_are_joined_by_exactly_the_pause():
    rate = 1000
    tone, quiet = np.ones(200, np.float32), np.zeros(50, np.float32)
    padded = np.concatenate([quiet, tone, quiet])
    joined = pcm.join_sentences([padded, quiet, tone], rate, 300)
    first = len(pcm.trim(padded, rate))
    assert len(joined) == first + 300 + 200, "the silent sentence adds no second pause"
    assert not joined[pcm.KEEP_BEFORE_MS + 200:first + 300].any()
    assert joined[first + 300 + 100] == 1.0
    assert len(pcm.join_sentences([quiet], rate, 300)) == 0
