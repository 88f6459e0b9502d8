"""The fixed words spoken around a routine's own text (routines/vocabulary/speech.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, RoutineError
from .yamlsource import read_source


@dataclass(frozen=True)
class Phrases:
    """Default and templated speech; `{side}` is replaced by "left" or "right"."""

    safety: str
    start_side: str
    one_side: str
    """Said instead of start_side when a step works one side only."""
    switch: str
    countdown: tuple[str, ...]
    breathe_in: str
    breathe_out: str
    rest: str
    outro: str

    def number(self, n: int) -> str:
        """The spoken word for a countdown number (1-based)."""
        return self.countdown[n - 1]


def load_phrases(path: Path) -> Phrases:
    """Read speech.yaml; raise RoutineError naming any missing phrase."""
    source = read_source(path)
    problems = list(source.problems)
    data = source.data if isinstance(source.data, dict) else {}
    names = Phrases.__dataclass_fields__
    for name in names:
        if name not in data and not source.problems:
            problems.append(Problem(source.file, None, name, "this phrase is missing."))
    for name in names:
        value = data.get(name)
        words = value if name == "countdown" and isinstance(value, list) else [value]
        if name in data and not all(isinstance(w, str) and w.strip() for w in words):
            kind = "a list of words" if name == "countdown" else "words"
            problems.append(Problem(source.file, source.line_of((name,)), name,
                                    f"this should be {kind}."))
    if problems:
        raise RoutineError(problems)
    values = {name: data[name] for name in names}
    values["countdown"] = tuple(values["countdown"])
    return Phrases(**values)
