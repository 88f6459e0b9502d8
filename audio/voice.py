"""The one small interface every voice engine implements, and how to pick one."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from .encoder import Encoder
from .errors import VoiceError

ENGINES = ("piper", "gtts")


class Voice(Protocol):
    """Turns text into speech samples."""

    identity: str
    """Engine, model and settings: two voices with equal identities sound the same."""

    def speak(self, text: str, pace: float) -> tuple[np.ndarray, int]:
        """Float samples in [-1, 1] and their sample rate (Hz); raises VoiceError, never
        silence. Pace p makes the speech 1/p as long (0.8: a quarter longer)."""


def load_voice(engine: str, voice_path: Path | None, encoder: Encoder) -> Voice:
    """The voice for `engine`; `voice_path` picks a Piper model file."""
    if engine == "piper":
        from .piper_engine import PiperEngine
        return PiperEngine.from_path(voice_path)
    if voice_path is not None:
        raise VoiceError("--voice takes a Piper model; use it with --engine piper.")
    if engine == "gtts":
        from .gtts_engine import GttsEngine
        return GttsEngine(encoder)
    raise VoiceError(f'"{engine}" is not a voice engine; use one of {", ".join(ENGINES)}.')
