"""Alexa interaction models, generated from the routine library and its vocabularies."""

from __future__ import annotations

import json
from pathlib import Path

from builder.library import Library

from .naming import spoken_names

LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
INVOCATION = "mat coach"

# Slot types filled from the vocabularies: (slot type, vocabulary).
VOCABULARY_TYPES = (("EQUIPMENT", "equipment"), ("BODY_AREA", "body_areas"), ("GOAL", "goals"))
SLOT_TYPES = {"routine": "ROUTINE", "equipment": "EQUIPMENT", "area": "BODY_AREA",
              "goal": "GOAL", "minutes": "AMAZON.NUMBER"}

CUSTOM_INTENTS: dict[str, tuple[str, ...]] = {
    "StartRoutineIntent": (
        "start {routine}", "start the {routine}", "play {routine}", "play the {routine}",
        "begin {routine}", "begin the {routine}", "do {routine}", "do the {routine}",
        "let's do {routine}", "let's do the {routine}", "I want to do {routine}",
        "I want to do the {routine}", "I'd like {routine}", "I'd like the {routine}",
        "put on {routine}", "put on the {routine}", "start the {routine} routine",
        "play the {routine} routine", "start my {routine}", "go to {routine}", "{routine}",
    ),
    "ListRoutinesIntent": (
        "what routines do you have", "what routines are there", "list the routines",
        "list routines", "which routines do you have", "what can I do",
        "what can I do with a {equipment}", "what can I do with my {equipment}",
        "what can I do with the {equipment}", "what routines use a {equipment}",
        "which routines use the {equipment}", "what do you have for my {area}",
        "what do you have for the {area}", "what do you have for {goal}",
        "list routines for {goal}", "list routines for my {area}",
        "list routines with a {equipment}", "list routines under {minutes} minutes",
        "which routines take {minutes} minutes", "what can I do in {minutes} minutes",
    ),
    "RecommendIntent": (
        "I have {minutes} minutes", "I've got {minutes} minutes",
        "I only have {minutes} minutes", "I have only {minutes} minutes",
        "I've only got {minutes} minutes", "something short", "something quick",
        "a short routine", "a quick routine", "something under {minutes} minutes for my {area}",
        "I want to roll out my {area}", "I want to work on my {area}",
        "I have {minutes} minutes for my {area}", "I have {minutes} minutes for {goal}",
        "I have {minutes} minutes and a {equipment}",
        "something for {goal}", "something for my {area}", "something for the {area}",
        "something with a {equipment}", "something quick for my {area}",
        "something under {minutes} minutes", "recommend a routine", "recommend something",
        "suggest something", "suggest a routine for {goal}", "what should I do",
        "what should I do for my {area}", "what should I do for {goal}",
        "my {area} hurts", "my {area} is sore", "my {area} feels tight",
        "I need something for {goal}", "I need something for my {area}",
        "help me with {goal}", "help with my {area}",
    ),
    "DescribeRoutineIntent": (
        "tell me about {routine}", "tell me about the {routine}", "describe {routine}",
        "describe the {routine}", "what is {routine}", "what is the {routine}",
        "what's the {routine} like", "what's in the {routine}", "how long is the {routine}",
    ),
    "WhatDoINeedIntent": (
        "what do I need", "what do I need for {routine}", "what do I need for the {routine}",
        "what equipment do I need", "what equipment do I need for the {routine}",
        "what should I get ready", "what should I get ready for the {routine}",
        "what does the {routine} use",
    ),
    "TimeLeftIntent": (
        "how long is left", "how much time is left", "how long to go", "how much longer",
        "how long left", "how much is left", "time left", "how long until the end",
        "how long is left in this step", "how much longer is this step",
        "how long have I got left", "when does this end",
    ),
}
SLOTS_OF = {
    "StartRoutineIntent": ("routine",), "DescribeRoutineIntent": ("routine",),
    "WhatDoINeedIntent": ("routine",), "TimeLeftIntent": (),
    "ListRoutinesIntent": ("equipment", "area", "goal", "minutes"),
    "RecommendIntent": ("equipment", "area", "goal", "minutes"),
}
BUILT_IN_INTENTS = (
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.FallbackIntent",
    "AMAZON.NavigateHomeIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent",
    "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.StartOverIntent",
    "AMAZON.RepeatIntent", "AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent",
    "AMAZON.ShuffleOnIntent", "AMAZON.ShuffleOffIntent", "AMAZON.YesIntent", "AMAZON.NoIntent",
)


def interaction_model(library: Library) -> dict:
    """The model for one locale (the English locales share it)."""
    intents = [{"name": name, "samples": list(samples),
                "slots": [{"name": slot, "type": SLOT_TYPES[slot]} for slot in SLOTS_OF[name]]}
               for name, samples in CUSTOM_INTENTS.items()]
    intents += [{"name": name, "samples": []} for name in BUILT_IN_INTENTS]
    types = [routine_type(library)] + [vocabulary_type(library, name, kind)
                                       for name, kind in VOCABULARY_TYPES]
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
