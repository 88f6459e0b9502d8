"""Errors the audio package raises; the CLI turns them into one sentence each."""

from __future__ import annotations


class AudioError(Exception):
    """Base class for every error raised by the audio package."""


class VoiceError(AudioError):
    """A voice could not be loaded or could not speak; no track is made without its speech."""


class EncoderError(AudioError):
    """The encoder subprocess failed; carries what was run and what it said."""

    def __init__(self, command: list[str], returncode: int, stderr: str) -> None:
        self.command = command
        self.returncode = returncode
        self.stderr = stderr
        last = stderr.strip().splitlines()[-1] if stderr.strip() else "no message"
        super().__init__(f"ffmpeg failed (exit {returncode}): {last}")
