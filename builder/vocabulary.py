"""The controlled words of the library: equipment, body areas, goals, levels, positions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, RoutineError
from .yamlsource import read_source

KINDS = ("equipment", "body_areas", "goals", "levels", "positions")


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: an id, what to call it, and what people say for it."""

    id: str
    name: str
    synonyms: tuple[str, ...]
    includes: tuple[str, ...] = ()
    """Narrower terms this one covers: asking for "back" finds "lower-back" too."""
    also_needs: tuple[str, ...] = ()
    """For equipment: what else a person needs with it, as names for "You need" lists
    ("thin towel" with the wheat bag, which is laid on the body in its towel)."""


@dataclass(frozen=True)
class Vocabulary:
    """Every vocabulary of a library, each an ordered mapping of id to Term."""

    equipment: dict[str, Term]
    body_areas: dict[str, Term]
    goals: dict[str, Term]
    levels: dict[str, Term]
    positions: dict[str, Term]

    def terms(self, kind: str) -> dict[str, Term]:
        """The terms of one vocabulary, by its name in KINDS."""
        return getattr(self, kind)

    def name(self, kind: str, term_id: str) -> str:
        """The display name of a term, or the id itself when it is unknown."""
        term = self.terms(kind).get(term_id)
        return term.name if term else term_id

    def needs(self, equipment: Iterable[str]) -> list[str]:
        """What a person needs for this equipment, as names for a "You need" list: each
        piece's name, followed by what it also needs (once, however many pieces need it)."""
        found: list[str] = []
        for term_id in equipment:
            term = self.equipment.get(term_id)
            for name in (self.name("equipment", term_id), *(term.also_needs if term else ())):
                if name not in found:
                    found.append(name)
        return found


def load_vocabulary(folder: Path) -> Vocabulary:
    """Read every vocabulary file in `folder`; raise RoutineError listing all problems."""
    problems: list[Problem] = []
    loaded = {kind: _load_kind(folder / f"{kind}.yaml", problems) for kind in KINDS}
    if problems:
        raise RoutineError(problems)
    return Vocabulary(**loaded)


def _load_kind(path: Path, problems: list[Problem]) -> dict[str, Term]:
    source = read_source(path)
    problems.extend(source.problems)
    if source.problems:
        return {}
    if not isinstance(source.data, dict) or not source.data:
        problems.append(Problem(source.file, 1, "", "a vocabulary maps ids to {name, synonyms}."))
        return {}
    terms = {}
    for term_id, entry in source.data.items():
        line = source.line_of((term_id,))
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            problems.append(Problem(source.file, line, term_id, "give this entry a name."))
            continue
        synonyms = entry.get("synonyms") or []
        if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
            problems.append(Problem(source.file, line, term_id,
                                    "synonyms must be a list of words."))
            continue
        also = entry.get("also_needs") or []
        if not isinstance(also, list) or not all(isinstance(a, str) and a.strip() for a in also):
            problems.append(Problem(source.file, source.line_of((term_id, "also_needs")),
                                    f"{term_id}.also_needs", "list what else it needs, such "
                                    "as [thin towel]."))
            continue
        terms[term_id] = Term(term_id, entry["name"], tuple(synonyms),
                              tuple(entry.get("includes") or ()),
                              tuple(" ".join(a.split()) for a in also))
    for term in terms.values():
        for narrower in term.includes:
            if narrower not in terms:
                problems.append(Problem(source.file, source.line_of((term.id,)), term.id,
                                        f'includes "{narrower}", which is not in this file.'))
    return terms
