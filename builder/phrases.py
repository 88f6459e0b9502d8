"""The fixed words spoken around a routine's own text (routines/vocabulary/speech.yaml)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, RoutineError
from .yamlsource import read_source

LISTS = ("countdown", "safety")   # phrases written as a list (safety: one or a list)


@dataclass(frozen=True)
class Phrases:
    """Default and templated speech; `{side}` is replaced by "left" or "right"."""

    safety: tuple[str, ...]
    """The standard safety line, in a few wordings (one per routine, see safety_for)."""
    start_side: str
    one_side: str
    """Said instead of start_side when a step works one side only."""
    switch: str
    countdown: tuple[str, ...]
    breathe_in: str
    breathe_out: str
    rest: str
    outro: str

    def safety_for(self, routine_id: str) -> str:
        """The safety wording a routine opens with: always the same for one routine (so
        builds stay reproducible), varied across the library (so it is listened to)."""
        digest = hashlib.sha256(routine_id.encode("utf-8")).digest()
        return self.safety[digest[0] % len(self.safety)]

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
        listed = name in LISTS and isinstance(value, list) and value
        words = value if listed else [value]
        if name == "countdown" and not listed:
            words = [None]   # a list of words, one per number, nothing else
        if name in data and not all(isinstance(w, str) and w.strip() for w in words):
            kind = "a list of words" if name == "countdown" else "words"
            problems.append(Problem(source.file, source.line_of((name,)), name,
                                    f"this should be {kind}."))
    if problems:
        raise RoutineError(problems)
    values = {name: data[name] for name in names}
    values["countdown"] = tuple(values["countdown"])
    safety = values["safety"]
    values["safety"] = tuple(" ".join(s.split()) for s in
                             (safety if isinstance(safety, list) else [safety]))
    return Phrases(**values)
