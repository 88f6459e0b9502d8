"""Cue sounds made in code: short, calm, heard across a room, each recognisable without words.

Levels are set by loudness against the voice, as a listener hears them (BS.1770 K-weighted,
a short tone measured as if it went on), not by peak: a peak level says little about how
loud a 50 ms tick or a slow 900 ms glide sounds. Issue 9 measured the old peak-set tones
at -9 to -23 LU under the voice, so a halfway chime or a breathing cue was easily missed on
a speaker across a room; every kind now sits 6 to 7.5 LU under the speech, never above it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from . import pcm
from .encoder import RATE

ATTACK_MS = 3        # a crisp onset, so each cue lands where the cue sheet says
RELEASE_MS = 10      # fade to zero, so nothing clicks at the end


@dataclass(frozen=True)
class Note:
    """One bell-like note inside a tone."""

    at_ms: int
    hz: float
    length_ms: int
    decay_ms: float
    glide_to_hz: float | None = None
    partials: tuple[tuple[float, float], ...] = ((2.0, 0.25), (3.0, 0.08))
    """(frequency ratio, relative amplitude) overtones that make it a bell, not a beep."""


@dataclass(frozen=True)
class ToneDesign:
    """A cue sound: notes, at a loudness in LU relative to the speech (pcm.SPEECH_LUFS)."""

    notes: tuple[Note, ...]
    loudness_lu: float


DESIGNS: dict[str, ToneDesign] = {
    # The ones that move the person on are nearest the voice; the frequent ones (pace
    # ticks every few seconds, breaths) a little further under it. Issue 9: within 8 LU.
    # One clear bell: begin.
    "start": ToneDesign((Note(0, 880, 650, 220),), -6.0),
    # Falling fifth: done.
    "end": ToneDesign((Note(0, 784, 260, 120), Note(230, 523, 480, 200)), -6.0),
    # Rising fifth: the other side.
    "switch": ToneDesign((Note(0, 523, 200, 100), Note(170, 784, 420, 160)), -6.0),
    # Two quick high pings: half time.
    "halfway": ToneDesign((Note(0, 1175, 160, 60), Note(160, 1175, 300, 90)), -6.5),
    "countdown": ToneDesign((Note(0, 1000, 90, 25, partials=()),), -7.0),
    "every": ToneDesign((Note(0, 659, 450, 150),), -7.0),
    # A soft wood-block tick for rolling tempo.
    "pace": ToneDesign((Note(0, 1600, 50, 12, partials=((0.5, 0.6),)),), -7.5),
    # Slow glides up and down, like the breath itself.
    "breathe-in": ToneDesign((Note(0, 330, 900, 1200, glide_to_hz=440, partials=()),), -7.5),
    "breathe-out": ToneDesign((Note(0, 440, 900, 1200, glide_to_hz=330, partials=()),), -7.5),
}


def render_tone(name: str) -> np.ndarray:
    """The named cue sound as float32 samples at 48 kHz, at its loudness against the voice
    (pcm.loudness of the tone = pcm.SPEECH_LUFS + loudness_lu, within 0.05 LU)."""
    return _rendered(name).copy()


@functools.cache
def _rendered(name: str) -> np.ndarray:
    design = DESIGNS[name]
    length = max(n.at_ms + n.length_ms for n in design.notes) * RATE // 1000
    out = np.zeros(length, dtype=np.float64)
    for note in design.notes:
        start = note.at_ms * RATE // 1000
        samples = _note(note)
        out[start:start + len(samples)] += samples
    out /= np.abs(out).max()
    target = pcm.SPEECH_LUFS + design.loudness_lu
    out *= 10 ** ((target - pcm.loudness(out)) / 20)
    return out.astype(np.float32)


def _note(note: Note) -> np.ndarray:
    n = note.length_ms * RATE // 1000
    t = np.arange(n) / RATE
    end_hz = note.glide_to_hz or note.hz
    # Integrate the (possibly gliding) frequency to get a click-free phase.
    phase = 2 * np.pi * np.cumsum(np.linspace(note.hz, end_hz, n)) / RATE
    wave = np.sin(phase)
    for ratio, amplitude in note.partials:
        wave += amplitude * np.sin(ratio * phase)
    envelope = np.exp(-t * 1000 / note.decay_ms)
    envelope *= np.minimum(1.0, t * 1000 / ATTACK_MS)
    envelope *= np.minimum(1.0, (note.length_ms - t * 1000) / RELEASE_MS)
    return wave * envelope
