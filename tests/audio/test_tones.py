"""Cue sounds: crisp onsets, clean ends, heard against the voice but under it, each one
different."""

import itertools

import numpy as np
import pytest

from audio import pcm
from audio.encoder import RATE
from audio.tones import ATTACK_MS, DESIGNS, render_tone
from builder.timeline import TONES


def test_every_tone_the_scheduler_uses_exists():
    assert set(DESIGNS) == set(TONES)


@pytest.mark.parametrize("name", TONES)
def test_each_tone_starts_at_once_and_ends_in_silence(name):
    tone = render_tone(name)
    peak = np.abs(tone).max()
    onset = np.flatnonzero(np.abs(tone) > 0.1 * peak)[0]
    assert onset <= 2 * ATTACK_MS * RATE // 1000
    assert abs(tone[-1]) < 1e-3 * peak and tone[0] == 0.0


@pytest.mark.parametrize("name", TONES)
def test_every_tone_is_within_8_lu_of_the_voice_and_never_above_it(name):
    """Issue 9: a halfway chime 13 LU under the voice is missed across a room."""
    tone = render_tone(name).astype(np.float64)
    against_voice = pcm.loudness(tone) - pcm.SPEECH_LUFS
    assert -8.0 <= against_voice <= -4.0, against_voice
    assert 20 * np.log10(np.abs(tone).max()) <= pcm.SAMPLE_CEILING_DB   # no peak above speech


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
