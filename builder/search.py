"""Find routines by what people ask for: equipment, body area, goal, time available."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable

from .model import Routine
from .vocabulary import Vocabulary


def resolve_term(vocabulary: Vocabulary, kind: str, words: str) -> str | None:
    """The id a person means by `words`: an id, a name, a synonym or something close."""
    spoken = " ".join(words.lower().replace("-", " ").split())
    names: dict[str, str] = {}
    for term in vocabulary.terms(kind).values():
        for name in (term.id.replace("-", " "), term.name, *term.synonyms):
            names.setdefault(name.lower(), term.id)
    if spoken in names:
        return names[spoken]
    close = difflib.get_close_matches(spoken, names, n=1, cutoff=0.75)
    return names[close[0]] if close else None


def widen(vocabulary: Vocabulary, kind: str, term_id: str) -> set[str]:
    """The term and every narrower term it includes."""
    found, todo = set(), [term_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            term = vocabulary.terms(kind).get(current)
            todo.extend(term.includes if term else ())
    return found


def filter_routines(routines: Iterable[Routine], vocabulary: Vocabulary, *,
                    equipment: str | None = None, area: str | None = None,
                    goal: str | None = None, max_ms: int | None = None,
                    length: Callable[[Routine], int] | None = None) -> list[Routine]:
    """Routines matching every filter given; `length` is needed with `max_ms`."""
    areas = widen(vocabulary, "body_areas", area) if area else set()
    chosen = []
    for routine in routines:
        if equipment and equipment not in routine.equipment:
            continue
        if area and not areas & set(routine.body_areas):
            continue
        if goal and goal not in routine.goals:
            continue
        if max_ms is not None and length is not None and length(routine) > max_ms:
            continue
        chosen.append(routine)
    return chosen
