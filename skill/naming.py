"""How people say routine names, and finding the track they mean by what they said."""

from __future__ import annotations

import difflib
import re

from audio.shelf import Shelf, Track
from builder.model import Routine

_FILLER = re.compile(r"\b(the|a|my|routine|session|one)\b")


def spoken_names(routine: Routine) -> list[str]:
    """How people say a routine's name: its title, id and aliases, without filler words."""
    names = [routine.title, routine.id, *routine.aliases]
    return list(dict.fromkeys(normal(name) for name in names))


def names(shelf: Shelf) -> dict[str, str]:
    """Every way to say each playable routine, to its routine id."""
    found: dict[str, str] = {}
    for track in shelf.tracks().values():
        for name in spoken_names(track.routine):
            found.setdefault(name, track.id)
    return found


def find_track(shelf: Shelf, words: str) -> Track | None:
    """The track a person means: by title, id, or something close to either."""
    known = names(shelf)
    spoken = normal(words)
    if spoken in known:
        return shelf.get(known[spoken])
    close = difflib.get_close_matches(spoken, known, n=1, cutoff=0.7)
    if close:
        return shelf.get(known[close[0]])
    inside = [rid for name, rid in known.items() if name in spoken or spoken in name]
    return shelf.get(inside[0]) if len(set(inside)) == 1 else None


def normal(words: str) -> str:
    """Lowercase words without filler: "the Lower Back routine" -> "lower back"."""
    text = _FILLER.sub(" ", words.lower().replace("-", " "))
    return " ".join(text.split())
