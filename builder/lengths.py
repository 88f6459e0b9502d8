"""A routine's length: exact from its built cue sheet, estimated before it is built."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .estimate import estimate
from .library import content_hash
from .model import Routine


@dataclass(frozen=True)
class Length:
    """How long a routine lasts and where each step starts."""

    total_ms: int
    exact: bool
    step_starts_ms: dict[int, int]


def routine_length(routine: Routine, tracks: Path | None) -> Length:
    """Exact when `tracks` holds an up-to-date cue sheet for the routine, else estimated."""
    sheet = read_cue_sheet(tracks / f"{routine.id}.json") if tracks else None
    if sheet and sheet.get("source") == content_hash(routine):
        chapters = [(c["step"], c["start_ms"]) for c in sheet["chapters"]]
        return Length(sheet["duration_ms"], True, _first_starts(chapters))
    timeline = estimate(routine)
    chapters = [(c.step, c.start_ms) for c in timeline.chapters]
    return Length(timeline.duration_ms, False, _first_starts(chapters))


def read_cue_sheet(path: Path) -> dict | None:
    """A cue sheet's contents, or None when it is missing or unreadable."""
    try:
        sheet = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return sheet if isinstance(sheet, dict) and "duration_ms" in sheet else None


def _first_starts(chapters: list[tuple[int | None, int]]) -> dict[int, int]:
    starts: dict[int, int] = {}
    for step, start in chapters:
        if step is not None:
            starts.setdefault(step, start)
    return starts
