"""Loudness, limiting and trimming on real speech from the offline voice."""

import numpy as np
import pytest

from audio import pcm
from audio.encoder import RATE


@pytest.fixture(scope="module")
def speech(piper):
    samples, rate = piper.speak("Keep the roller off your spine and breathe slowly.", 1.0)
    return pcm.resample(samples, rate)


def test_speech_is_brought_to_the_target_loudness_under_the_ceiling(speech):
    normalized = pcm.normalize_speech(pcm.trim(speech))
    assert abs(pcm.loudness(normalized) - pcm.SPEECH_LUFS) < 0.2
    assert 20 * np.log10(np.abs(normalized).max()) <= pcm.SAMPLE_CEILING_DB + 0.01


def test_short_words_are_measured_like_long_ones(piper):
    samples, rate = piper.speak("up", 1.0)
    word = pcm.normalize_speech(pcm.trim(pcm.resample(samples, rate)))
    assert len(word) < 0.4 * RATE
    assert abs(pcm.loudness(word) - pcm.SPEECH_LUFS) < 0.3


def test_the_limiter_leaves_quiet_sound_alone():
    t = np.arange(RATE) / RATE
    quiet = (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    assert np.allclose(pcm.limit(quiet), quiet)
    loud = quiet * 20
    assert np.abs(pcm.limit(loud)).max() <= 10 ** (pcm.SAMPLE_CEILING_DB / 20) + 1e-6


def test_trim_starts_a_clip_at_its_sound(speech):
    padded = np.concatenate([np.zeros(RATE // 2, np.float32), speech])
    trimmed = pcm.trim(padded)
    lead = np.flatnonzero(np.abs(trimmed) > 0.01 * np.abs(trimmed).max())[0]
    assert lead <= pcm.KEEP_BEFORE_MS * RATE // 1000 + RATE // 1000
    assert len(pcm.trim(np.zeros(100, np.float32))) == 0


def test_resampling_keeps_the_duration():
    assert len(pcm.resample(np.zeros(22050, np.float32), 22050)) == RATE


def test_our_loudness_meter_agrees_with_pyloudnorm(speech):
    import pyloudnorm
    reference = pyloudnorm.Meter(RATE).integrated_loudness(
        np.concatenate([np.zeros(RATE), speech, np.zeros(RATE)]).astype(np.float64))
    assert abs(pcm.loudness(speech) - reference) < 0.1
