"""Google's voice through gTTS: for people online. Offline it fails; it never goes silent."""

from __future__ import annotations

import io

import numpy as np

from .encoder import RATE, Encoder
from .errors import VoiceError


class GttsEngine:
    """Fetches speech from Google Translate's TTS and decodes it with the encoder's ffmpeg."""

    def __init__(self, encoder: Encoder, lang: str = "en", tld: str = "com") -> None:
        self.encoder = encoder
        self.lang = lang
        self.tld = tld
        self.identity = f"gtts:{lang}:{tld}"

    def speak(self, text: str, pace: float) -> tuple[np.ndarray, int]:
        """Speech for `text`; pace is applied by time-stretching (pitch kept)."""
        import requests
        from gtts import gTTS, gTTSError
        buffer = io.BytesIO()
        try:
            gTTS(text, lang=self.lang, tld=self.tld).write_to_fp(buffer)
        except (gTTSError, requests.RequestException, OSError) as exc:
            raise VoiceError(
                f"Google's voice could not be reached ({_reason(exc)}); gTTS needs the "
                "internet. Build offline with --engine piper.") from exc
        # gTTS has one speed (and a "slow" one); ffmpeg's atempo keeps the pitch.
        return self.encoder.decode(buffer.getvalue(), tempo=pace), RATE


def _reason(exc: Exception) -> str:
    """The first sentence of gTTS's message ("Failed to connect"), not its guesses."""
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0].split(". ")[0].rstrip(".")[:120]
