"""Cue sounds: crisp onsets, clean ends, soft levels, and each one different."""

import itertools

import numpy as np
import pytest

from audio.encoder import RATE
from audio.tones import ATTACK_MS, DESIGNS, render_tone
from builder.timeline import TONES


def test_every_tone_the_scheduler_uses_exists():
    assert set(DESIGNS) == set(TONES)


@pytest.mark.parametrize("name", TONES)
def test_each_tone_starts_at_once_and_ends_in_silence(name):
    tone = render_tone(name)
    peak = np.abs(tone).max()
    assert np.isclose(20 * np.log10(peak), DESIGNS[name].level_db, atol=0.01)
    onset = np.flatnonzero(np.abs(tone) > 0.1 * peak)[0]
    assert onset <= 2 * ATTACK_MS * RATE // 1000
    assert abs(tone[-1]) < 1e-3 * peak and tone[0] == 0.0


@pytest.mark.parametrize("name", TONES)
def test_tones_are_softer_than_speech_peaks(name):
    assert DESIGNS[name].level_db <= -13


def test_no_two_tones_sound_alike():
    """Compare what is heard when: spectrograms of 20 ms slices over the first second."""
    def spectrogram(name):
        tone = np.pad(render_tone(name), (0, RATE))[:RATE]
        slices = tone.reshape(50, -1) * np.hanning(RATE // 50)
        magnitude = np.abs(np.fft.rfft(slices, axis=1)).ravel()
        return magnitude / np.linalg.norm(magnitude)
    for a, b in itertools.combinations(TONES, 2):
        similarity = float(spectrogram(a) @ spectrogram(b))
        assert similarity < 0.8, (a, b, similarity)
