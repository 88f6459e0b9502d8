"""Alexa interaction models, generated from the routine library and its vocabularies."""

from __future__ import annotations

import json
import re
from pathlib import Path

from builder.library import Library

from .naming import spoken_names
from .samples import samples

LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
INVOCATION = "mat coach"

# Slot types filled from the vocabularies: (slot type, vocabulary).
VOCABULARY_TYPES = (("EQUIPMENT", "equipment"), ("BODY_AREA", "body_areas"), ("GOAL", "goals"),
                    ("LEVEL", "levels"))
SLOT_TYPES = {"routine": "ROUTINE", "equipment": "EQUIPMENT", "area": "BODY_AREA",
              "goal": "GOAL", "level": "LEVEL", "minutes": "AMAZON.NUMBER", "choice": "CHOICE",
              "code": "AMAZON.NUMBER"}
# Picking from what was just offered: "the first one", "number two", "the last one".
CHOICES = {"1": ("first", "one", "first one", "top one"), "2": ("second", "two"),
           "3": ("third", "three"), "4": ("fourth", "four"), "5": ("fifth", "five"),
           "last": ("last", "final", "bottom one")}
# Built-in intents the skill handles; those with samples in samples.yaml are extended.
BUILT_IN_INTENTS = (
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
    "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.StartOverIntent",
    "AMAZON.RepeatIntent", "AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent",
    "AMAZON.ShuffleOnIntent", "AMAZON.ShuffleOffIntent", "AMAZON.YesIntent", "AMAZON.NoIntent",
)
_SLOT = re.compile(r"{(\w+)}")


def custom_intents() -> dict[str, tuple[str, ...]]:
    """The skill's own intents and their samples, in the order of samples.yaml."""
    return {name: found for name, found in samples().items() if not name.startswith("AMAZON.")}


def slots_of(intent_samples: tuple[str, ...]) -> tuple[str, ...]:
    """The slots an intent's samples use, in order of first use."""
    return tuple(dict.fromkeys(m for s in intent_samples for m in _SLOT.findall(s)))


def interaction_model(library: Library) -> dict:
    """The model for one locale (the English locales share it)."""
    intents = [{"name": name, "samples": list(found),
                "slots": [{"name": slot, "type": SLOT_TYPES[slot]} for slot in slots_of(found)]}
               for name, found in custom_intents().items()]
    intents += [{"name": name, "samples": list(samples().get(name, ()))}
                for name in BUILT_IN_INTENTS]
    types = [routine_type(library)] + [vocabulary_type(library, name, kind)
                                       for name, kind in VOCABULARY_TYPES] + [choice_type()]
    return {"interactionModel": {"languageModel": {
        "invocationName": INVOCATION, "intents": intents, "types": types}}}


def routine_type(library: Library) -> dict:
    """ROUTINE: every routine by title, with its id and aliases as synonyms."""
    values = []
    taken: set[str] = set()
    for routine in library.routines.values():
        names = [n for n in spoken_names(routine) if n not in taken]
        taken.update(names)
        # Every name of it is an earlier routine's: it keeps its own, so check_model names
        # the clash ("appears 2 times") instead of this failing with an IndexError.
        names = names or spoken_names(routine)[:1]
        values.append(_value(routine.id, names[0], names[1:]))
    return {"name": "ROUTINE", "values": values}


def vocabulary_type(library: Library, name: str, kind: str) -> dict:
    """A slot type from a vocabulary: display names, and everyday words as synonyms."""
    values = []
    taken: set[str] = set()
    for term in library.context.vocabulary.terms(kind).values():
        words = [w.lower() for w in (term.name, term.id.replace("-", " "), *term.synonyms)]
        words = [w for w in dict.fromkeys(words) if w not in taken]
        taken.update(words)
        values.append(_value(term.id, words[0], words[1:]))
    return {"name": name, "values": values}


def choice_type() -> dict:
    """CHOICE: a position in what was just offered ("1".."5", or "last")."""
    return {"name": "CHOICE", "values": [_value(choice, words[0], list(words[1:]))
                                         for choice, words in CHOICES.items()]}


def _value(value_id: str, name: str, synonyms: list[str]) -> dict:
    return {"id": value_id, "name": {"value": name, "synonyms": synonyms}}


def write_models(library: Library, folder: Path) -> list[Path]:
    """Write interaction_models/<locale>.json for every locale; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(interaction_model(library), indent=2, ensure_ascii=False) + "\n"
    paths = []
    for locale in LOCALES:
        path = folder / f"{locale}.json"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
