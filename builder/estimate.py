"""Guess how long a routine lasts before its speech is synthesized."""

from __future__ import annotations

from .model import Routine
from .schedule import Measure, plan
from .timeline import Sound, Speech, Timeline

MS_PER_CHARACTER = 51   # fitted to the default voice over the whole library, pace 1.0
SPEECH_OVERHEAD_MS = 90
TONE_MS = 400


def estimated_measure(voice_pace: float) -> Measure:
    """A Measure that guesses speech length from its characters."""
    def measure(sound: Sound) -> int:
        if isinstance(sound, Speech):
            return round(len(sound.text) * MS_PER_CHARACTER / voice_pace) + SPEECH_OVERHEAD_MS
        return TONE_MS
    return measure


def estimate(routine: Routine) -> Timeline:
    """The routine's timeline with guessed speech lengths (cue problems ignored)."""
    timeline, _ = plan(routine, estimated_measure(routine.voice_pace))
    return timeline
