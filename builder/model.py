"""Typed values for routines: parsed once (parse.py), used everywhere else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .phrases import Phrases
from .safety import Caution
from .yamlsource import Path_, nearest_line

LEVELS = ("gentle", "moderate", "deep")
SIDES = ("left", "right")


@dataclass(frozen=True)
class Every:
    """A reminder repeated at a fixed interval through the work period."""

    interval_ms: int
    say: tuple[str, ...] = ()
    """Phrasings spoken in turn (so a reminder heard ten times is not ten times the same
    words); empty plays a soft tone instead."""


@dataclass(frozen=True)
class Pace:
    """A rolling tempo: a beat every interval, speaking the words in turn."""

    interval_ms: int
    say: tuple[str, ...] = ()
    """Words spoken on successive beats ("up", "down"); empty means ticks."""


@dataclass(frozen=True)
class Breathe:
    """Breathing pacing: in for in_ms, out for out_ms, all through the work."""

    in_ms: int
    out_ms: int
    spoken: int = 2
    """How many breaths are spoken before the voice gives way to soft tones."""


@dataclass(frozen=True)
class Countdown:
    """The last seconds counted down before the end of the work."""

    count: int
    spoken: bool = True
    """Speak "three, two, one"; False plays ticks."""


@dataclass(frozen=True)
class Cues:
    """Everything heard inside a work period besides its start and end tones."""

    halfway: bool = False
    countdown: Countdown | None = None
    every: Every | None = None
    pace: Pace | None = None
    breathe: Breathe | None = None


@dataclass(frozen=True)
class WorkStep:
    """Time spent working on one body area, once or once per side."""

    title: str
    say: str
    work_ms: int
    lead_in_ms: int | None = None
    """Quiet from the end of the instruction to the start tone, as the author wrote it
    (None: the default, which leaves time to move whatever the words)."""
    switch_ms: int | None = None
    """From one side's end to the next side's start, as the author wrote it (None: the
    default, at least MOVE_MS after the switch words end)."""
    equipment: tuple[str, ...] = ()
    body_areas: tuple[str, ...] = ()
    position: str | None = None
    sides: tuple[str, ...] = ()
    safety: str | None = None
    cues: Cues = field(default_factory=Cues)
    cautions: tuple[Caution, ...] = ()
    """Cautions from the safety rules this step carries (its own and its move's)."""
    feel: str | None = None
    """What the work should feel like, spoken once it has begun (so the person hears what
    to do, does it, then hears what to feel)."""
    switch_say: str | None = None
    """What to do when changing sides ({side}: the side to work now, {other}: the side just
    worked); None says the routine's switch phrase."""
    first_say: str | None = None
    """What names the first side of a two-sided step ({side}: the side worked first,
    {other}: the side after), e.g. "Knees to the {side} first."; None says the routine's
    start_side phrase ("Right side first.")."""
    move: str | None = None
    """The catalog move this step was made from, if any."""

    @property
    def total_work_ms(self) -> int:
        """Work time summed over the sides."""
        return self.work_ms * max(1, len(self.sides))


@dataclass(frozen=True)
class RestStep:
    """A pause between steps; its words are spoken at its start."""

    rest_ms: int
    say: str | None = None
    title: str = "Rest"


Step = WorkStep | RestStep


@dataclass(frozen=True)
class Routine:
    """A whole routine, with catalog moves resolved and every field checked."""

    id: str
    title: str
    summary: str
    equipment: tuple[str, ...]
    body_areas: tuple[str, ...]
    goals: tuple[str, ...]
    level: str
    safety: str
    intro: str | None
    outro: str
    steps: tuple[Step, ...]
    phrases: Phrases
    voice_pace: float = 1.0
    cautions: tuple[Caution, ...] = ()
    """Cautions spoken at the start, for the whole routine."""
    aliases: tuple[str, ...] = ()
    """Other names people call the routine by ("the back one"), for the voice skill."""
    file: str = ""
    """Where the routine was read from (for messages; not part of its content)."""
    source_lines: Mapping[Path_, int] = field(default_factory=dict, compare=False,
                                              repr=False)
    """The line of each field in `file` (("steps", 1, "switch") -> 18), for messages about
    the routine found after parsing (timing, cues); not part of its content."""

    def line_of(self, path: Path_) -> int | None:
        """The line of the field at `path` in the routine's file, else of the nearest field
        that holds it (a step's line when the step does not write the key); None when the
        routine was not read from a file."""
        return nearest_line(self.source_lines, path)

    @property
    def every_caution(self) -> tuple[Caution, ...]:
        """Each caution the routine carries, once, in the order they are first heard."""
        found = {c.id: c for c in self.cautions}
        for step in self.work_steps:
            found.update((c.id, c) for c in step.cautions if c.id not in found)
        return tuple(found.values())

    @property
    def work_steps(self) -> tuple[WorkStep, ...]:
        """The steps that are not rests."""
        return tuple(s for s in self.steps if isinstance(s, WorkStep))
