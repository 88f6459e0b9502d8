"""The fixed words spoken around a routine's own text (routines/vocabulary/speech.yaml)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .checker import Checker
from .errors import Problem, RoutineError
from .limits import MAX_COUNTDOWN, MAX_TITLE_CHARS
from .sides import phrase_problems
from .vocabulary import Vocabulary
from .yamlsource import read_source


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


PHRASES = tuple(Phrases.__dataclass_fields__)
"""The keys of speech.yaml: every phrase, and nothing else."""


def load_phrases(path: Path) -> Phrases:
    """Read speech.yaml, its words held to the rules of routine text (builder.checker);
    raise RoutineError naming each missing, unknown or bad phrase with its line."""
    ck = Checker(read_source(path), Vocabulary.empty())
    data = ck.source.data
    if not ck.problems and not isinstance(data, dict):
        ck.problems.append(Problem(ck.source.file, 1, "", "speech.yaml maps each phrase to "
                                   "its words, such as rest: Rest."))
    values = {}
    if not ck.problems:
        ck.known_keys(data, PHRASES, (), "speech.yaml")
        values = {name: _phrase(ck, data, name) for name in PHRASES}
        ck.problems += phrase_problems(ck.source)   # a brace that is not {side} or {other}
    if ck.problems:
        raise RoutineError(ck.problems)
    return Phrases(**values)


def _phrase(ck: Checker, data: dict, name: str) -> str | tuple[str, ...] | None:
    """One phrase's words: a text; for safety, one text or a list of wordings; for
    countdown, a list of words (see _countdown)."""
    if name not in data:
        ck.fail((name,), "this phrase is missing.")
        return None
    value = data[name]
    if name == "countdown":
        return _countdown(ck, value)
    if name == "safety":
        items = value if isinstance(value, list) and value else [value]
        texts = [ck.spoken(item, (name, i) if isinstance(value, list) else (name,))
                 for i, item in enumerate(items)]
        return None if None in texts else tuple(texts)
    return ck.spoken(value, (name,))


def _countdown(ck: Checker, value: object) -> tuple[str, ...] | None:
    """A word for each number a countdown cue can start from (1 to MAX_COUNTDOWN): with
    fewer, every routine counting down from more failed with an IndexError that named the
    routine, never speech.yaml."""
    if not isinstance(value, list):
        ck.fail(("countdown",), "this should be a list of words.")
        return None
    if len(value) != MAX_COUNTDOWN:
        ck.fail(("countdown",), f"list {MAX_COUNTDOWN} words, one for each number from 1 to "
                f"{MAX_COUNTDOWN}, as a countdown may start from {MAX_COUNTDOWN}; this list "
                f"has {len(value)}.")
        return None
    words = [ck.spoken(word, ("countdown", i), MAX_TITLE_CHARS) for i, word in enumerate(value)]
    return None if None in words else tuple(words)
