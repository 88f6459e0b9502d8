"""How people say routine names, and finding the track they mean by what they said."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from audio.shelf import Shelf, Track
from builder.library import Library
from builder.model import Routine

_PUNCTUATION = re.compile(r"[^\w' ]+|_")
_FILLER = re.compile(r"\b(the|a|my|routine|session|one)\b")


def spoken_names(routine: Routine) -> list[str]:
    """How people say a routine's name: its title as the pages and the skill show it, its id
    and aliases, each as said (punctuation gone: "soft ball for arms legs and glutes"),
    without a leading "the", and without filler words ("shoulder knot at wall"). The
    title as said comes first: it is the slot value's name in the interaction model."""
    forms = []
    for name in (routine.title, routine.id, *routine.aliases):
        said = plain(name)
        forms += [said, said.removeprefix("the "), normal(name)]
    return [form for form in dict.fromkeys(forms) if form]


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


def plain(words: str) -> str:
    """Words as a speech recogniser writes them: lowercase, no punctuation but apostrophes
    ("Soft ball for arms, legs and glutes" -> "soft ball for arms legs and glutes")."""
    return " ".join(_PUNCTUATION.sub(" ", words.lower()).split())


def normal(words: str) -> str:
    """Lowercase words without filler: "the Lower Back routine" -> "lower back"."""
    text = _FILLER.sub(" ", plain(words))
    return " ".join(text.split())
