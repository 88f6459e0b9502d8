"""Fixtures for builder tests: a small library of our own, independent of the built-in one."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.library import check_files, load_context
from builder.parse import Context

MOVE = """
title: Calf roll
equipment: [foam-roller, yoga-mat]
body_area: calves
position: sitting
say: Sit with the roller under your right calf.
safety: Keep the roller off the back of the knee.
work: 1m
sides: [right, left]
lead_in: 7s
cues:
  halfway: true
  countdown: 3
  pace: {interval: 4s, say: [up, down]}
"""


@pytest.fixture
def library(tmp_path: Path, write) -> Path:
    """A library folder with one catalog move, calf-roll."""
    write("lib/moves/calf-roll.yaml", MOVE)
    return tmp_path / "lib"


@pytest.fixture
def context(library: Path) -> Context:
    """The checking context of that library (built-in vocabularies, our catalog)."""
    return load_context(library)


@pytest.fixture
def check(library: Path, context: Context, write):
    """Check one routine text; returns (routine or None, problem lines)."""
    def check(text: str, name: str = "r.yaml"):
        path = write(f"lib/{name}", text)
        routines, problems = check_files([path], context)
        return next(iter(routines.values()), None), [str(p) for p in problems]
    return check
