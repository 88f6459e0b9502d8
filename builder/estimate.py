"""Guess how long a routine lasts before its speech is synthesized."""

from __future__ import annotations

import re

from .model import Routine
from .schedule import Measure, plan
from .timeline import Sound, Speech, Timeline

# Fitted by least squares to every spoken phrase of the library as built with the default
# voice (2026-11-30: 1,517 phrases in 14 routines, their lengths brought back to pace 1.0,
# the voice at length_scale 1.55). Every routine's guessed length came within 1.7 % of its
# built one. Refit whenever the voice changes (a fit made when the voice spoke faster and
# ran its sentences together fell 10 % short). The voice pauses 500 ms after each
# sentence (audio/pace.py); a break costs less here because the quiet the voice leaves
# around its own full stop is already in the characters.
MS_PER_CHARACTER = 68
MS_PER_SENTENCE_BREAK = 410
SPEECH_OVERHEAD_MS = 135
TONE_MS = 400

# Where the voice starts a new sentence. Only from the first mark of a run ("?!"): tried
# from each mark of a long run, it took time quadratic in the run (issue 10).
_SENTENCE_BREAK = re.compile(r"(?<![.!?])[.!?]++(?=\s++\S)")


def estimated_measure(voice_pace: float) -> Measure:
    """A Measure that guesses speech length from its characters and sentences."""
    def measure(sound: Sound) -> int:
        if isinstance(sound, Speech):
            breaks = len(_SENTENCE_BREAK.findall(sound.text))
            spoken_ms = len(sound.text) * MS_PER_CHARACTER + breaks * MS_PER_SENTENCE_BREAK
            return round(spoken_ms / voice_pace) + SPEECH_OVERHEAD_MS
        return TONE_MS
    return measure


def estimate(routine: Routine) -> Timeline:
    """The routine's timeline with guessed speech lengths (cue problems ignored)."""
    timeline, _ = plan(routine, estimated_measure(routine.voice_pace))
    return timeline
