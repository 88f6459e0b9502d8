"""The sample utterances of the interaction model, read from samples.yaml.

Each line there may hold groups "(a|b|)": a sample for every choice of every group (the
empty choice leaves the group out), so a few lines say what people say in all its forms.
"""

from __future__ import annotations

import functools
import itertools
import re
from pathlib import Path

import yaml

SAMPLES_FILE = Path(__file__).with_name("samples.yaml")
_GROUP = re.compile(r"\(([^()]*)\)")


def expand(line: str) -> list[str]:
    """Every sample a line stands for, in order, each once, spaces normalised:
    "(start|play) (|the) {routine}" -> ["start {routine}", "start the {routine}", ...]."""
    parts = _GROUP.split(line)
    # split() with one capture group alternates: text, group, text, group, ..., text.
    choices = [[part] if i % 2 == 0 else part.split("|") for i, part in enumerate(parts)]
    samples = (" ".join("".join(pick).split()) for pick in itertools.product(*choices))
    return [s for s in dict.fromkeys(samples) if s]


@functools.cache
def samples() -> dict[str, tuple[str, ...]]:
    """Intent name -> its sample utterances, expanded (built-in intents' extensions too)."""
    data = yaml.safe_load(SAMPLES_FILE.read_text(encoding="utf-8"))
    return {intent: tuple(dict.fromkeys(s for line in lines for s in expand(line)))
            for intent, lines in data.items()}
