"""What the web pages show about a routine, gathered once from the library and cue sheet."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from audio.shelf import Track
from builder.durations import clock
from builder.search import widen
from builder.timeline import Chapter
from builder.vocabulary import Vocabulary

_CUE = re.compile(r"^(\d+):(\d\d):(\d\d)\.(\d{3}) --> ")


@dataclass(frozen=True)
class Card:
    """A routine as the library page lists it, with what its filters match on."""

    track: Track
    minutes: int
    equipment: list[str]
    areas: list[str]
    goals: list[str]
    matches_areas: list[str]
    """Area ids a filter may ask for: the routine's own and every wider one ("back")."""


@dataclass(frozen=True)
class Line:
    """A line of the transcript and when it is spoken."""

    start_ms: int
    time: str
    text: str


def card(track: Track, vocabulary: Vocabulary) -> Card:
    """The card for a track."""
    routine = track.routine
    names = vocabulary.name
    wider = {term for term in vocabulary.terms("body_areas")
             if widen(vocabulary, "body_areas", term) & set(routine.body_areas)}
    return Card(track, max(1, round(track.duration_ms / 60_000)),
                [names("equipment", e) for e in routine.equipment],
                [names("body_areas", a) for a in routine.body_areas],
                [names("goals", g) for g in routine.goals], sorted(wider))


def minutes_limit(text: str | None) -> int | None:
    """"At most N minutes" from a form or address: a positive whole number, else no limit."""
    text = (text or "").strip()
    return int(text) if text.isdigit() and int(text) > 0 else None


def steps(track: Track) -> list[tuple[Chapter, str]]:
    """Each chapter with its start time as a clock."""
    return [(chapter, clock(chapter.start_ms)) for chapter in track.chapters]


def transcript(path: Path) -> list[Line]:
    """The lines of a WebVTT transcript, with their start times."""
    try:
        blocks = path.read_text(encoding="utf-8").strip().split("\n\n")[1:]
    except OSError:
        return []
    lines = []
    for block in blocks:
        parts = block.splitlines()
        timing = next((p for p in parts if "-->" in p), None)
        match = _CUE.match(timing or "")
        if match:
            h, m, s, ms = (int(g) for g in match.groups())
            start = ((h * 60 + m) * 60 + s) * 1000 + ms
            text = " ".join(parts[parts.index(timing) + 1:])
            lines.append(Line(start, clock(start), text))
    return lines
