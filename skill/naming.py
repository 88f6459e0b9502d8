"""How people say routine names, and finding the track they mean by what they said."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from audio.shelf import Shelf, Track
from builder.library import Library
from builder.model import Routine

_FILLER = re.compile(r"\b(the|a|my|routine|session|one)\b")


def spoken_names(routine: Routine) -> list[str]:
    """How people say a routine's name: its title, id and aliases, without filler words."""
    names = [routine.title, routine.id, *routine.aliases]
    return list(dict.fromkeys(normal(name) for name in names))


def names(routines: Iterable[Routine]) -> dict[str, str]:
    """Every way to say each routine, to its routine id."""
    found: dict[str, str] = {}
    for routine in routines:
        for name in spoken_names(routine):
            found.setdefault(name, routine.id)
    return found


def find_track(shelf: Shelf, words: str) -> Track | None:
    """The playable track a person means: by title, id, or something close to either."""
    known = shelf.derived("spoken names",
                          lambda tracks: names(t.routine for t in tracks.values()))
    routine_id = _match(known, words)
    return shelf.get(routine_id) if routine_id else None


def find_routine(library: Library, words: str) -> Routine | None:
    """The routine of the library a person means, built or not (same matching)."""
    routine_id = _match(names(library.routines.values()), words)
    return library.routines.get(routine_id) if routine_id else None


def _match(known: dict[str, str], words: str) -> str | None:
    spoken = normal(words)
    if spoken in known:
        return known[spoken]
    close = difflib.get_close_matches(spoken, known, n=1, cutoff=0.7)
    if close:
        return known[close[0]]
    inside = {rid for name, rid in known.items() if name in spoken or spoken in name}
    return inside.pop() if len(inside) == 1 else None


def normal(words: str) -> str:
    """Lowercase words without filler: "the Lower Back routine" -> "lower back"."""
    text = _FILLER.sub(" ", words.lower().replace("-", " "))
    return " ".join(text.split())
