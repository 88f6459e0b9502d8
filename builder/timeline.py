"""A Timeline: what is heard and when, to the millisecond; the builder's output."""

from __future__ import annotations

from dataclasses import dataclass

TONES = ("start", "end", "halfway", "switch", "countdown", "every", "pace",
         "breathe-in", "breathe-out")
CUE_KINDS = ("intro", "instruction", "start", "halfway", "switch", "countdown", "every",
             "pace", "breathe", "end", "rest", "outro")


@dataclass(frozen=True)
class Speech:
    """Words for the voice to say."""

    text: str


@dataclass(frozen=True)
class Tone:
    """A cue sound made in code, by name (one of TONES)."""

    name: str


Sound = Speech | Tone


@dataclass(frozen=True)
class Event:
    """One sound heard at `at_ms`, labelled with the cue it belongs to."""

    at_ms: int
    sound: Sound
    duration_ms: int
    kind: str
    step: int | None = None
    side: str | None = None

    @property
    def end_ms(self) -> int:
        """When the sound stops."""
        return self.at_ms + self.duration_ms

    @property
    def text(self) -> str | None:
        """The words spoken, or None for a tone."""
        return self.sound.text if isinstance(self.sound, Speech) else None


@dataclass(frozen=True)
class Chapter:
    """A stretch of the track a listener can jump to: intro, a step (per side), outro."""

    index: int
    title: str
    start_ms: int
    end_ms: int
    step: int | None = None
    side: str | None = None


@dataclass(frozen=True)
class Timeline:
    """Everything the audio layer needs to render a routine."""

    routine: str
    title: str
    events: tuple[Event, ...]
    chapters: tuple[Chapter, ...]
    duration_ms: int
    voice_pace: float = 1.0

    def sounds(self) -> set[Sound]:
        """Each distinct sound the track uses."""
        return {event.sound for event in self.events}
