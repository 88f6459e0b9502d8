"""Check an interaction model against the platform's rules before anyone uploads it.

Amazon publishes no offline schema, so these are the rules from its documentation:
invocation names, sample utterances, slot values and size limits.
"""

from __future__ import annotations

import json
import re
from collections import Counter

INVOCATION = re.compile(r"^[a-z]+(?:'s)?(?:[ .][a-z]+(?:'s)?)+$")
FORBIDDEN_INVOCATION_WORDS = {"alexa", "amazon", "echo", "computer", "ask", "tell", "open",
                              "launch", "start", "begin", "load", "play", "resume", "run",
                              "skill", "app"}
SAMPLE = re.compile(r"^[A-Za-z'.\- {}]+$")
SLOT_REFERENCE = re.compile(r"{(\w+)}")
MAX_VALUE_CHARS = 140
MAX_INTENTS = 250
MAX_INTENTS_AND_TYPES = 350
MAX_BYTES = 1_500_000
REQUIRED = ("AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent",
            "AMAZON.FallbackIntent", "AMAZON.PauseIntent", "AMAZON.ResumeIntent")


def check_model(model: dict) -> list[str]:
    """Every rule the model breaks, as sentences; empty when it is fine."""
    language = model["interactionModel"]["languageModel"]
    problems = _invocation(language["invocationName"])
    types = {t["name"]: t for t in language.get("types", [])}
    problems += _intents(language["intents"], types)
    for slot_type in types.values():
        problems += _values(slot_type)
    if len(language["intents"]) > MAX_INTENTS:
        problems.append(f"there are {len(language['intents'])} intents; the limit is "
                        f"{MAX_INTENTS}.")
    if len(language["intents"]) + len(types) > MAX_INTENTS_AND_TYPES:
        problems.append(f"intents and slot types together exceed {MAX_INTENTS_AND_TYPES}.")
    size = len(json.dumps(model).encode("utf-8"))
    if size > MAX_BYTES:
        problems.append(f"the model is {size} bytes; the limit is {MAX_BYTES}.")
    return problems


def _invocation(name: str) -> list[str]:
    if not INVOCATION.fullmatch(name):
        return [f'invocation name "{name}": use two or more words of lowercase letters, '
                "spaces, possessive apostrophes or periods (spell numbers out)."]
    banned = FORBIDDEN_INVOCATION_WORDS & set(name.replace(".", " ").split())
    if banned:
        return [f'invocation name "{name}" contains {", ".join(sorted(banned))}, a launch '
                "or wake word."]
    return []


def _intents(intents: list[dict], types: dict[str, dict]) -> list[str]:
    problems = []
    names = Counter(i["name"] for i in intents)
    problems += [f'intent "{n}" is declared {c} times.' for n, c in names.items() if c > 1]
    missing = [name for name in REQUIRED if name not in names]
    problems += [f'the model lacks {name}, which an audio skill must handle.' for name in missing]
    seen: dict[str, str] = {}
    for intent in intents:
        slots = {s["name"]: s["type"] for s in intent.get("slots", [])}
        for slot, slot_type in slots.items():
            if not slot_type.startswith("AMAZON.") and slot_type not in types:
                problems.append(f'intent {intent["name"]}: slot {slot} has type {slot_type}, '
                                "which the model does not define.")
        for sample in intent.get("samples", []):
            problems += _sample(intent["name"], sample, slots)
            key = " ".join(sample.lower().split())
            if key in seen:
                problems.append(f'intent {intent["name"]}: sample "{sample}" is also in '
                                f'{seen[key]}.')
            seen[key] = intent["name"]
    return problems


def _sample(intent: str, sample: str, slots: dict[str, str]) -> list[str]:
    problems = []
    if not SAMPLE.fullmatch(sample):
        problems.append(f'intent {intent}: sample "{sample}" has characters Alexa does not '
                        "accept (digits and most punctuation must be spelled out).")
    for slot in SLOT_REFERENCE.findall(sample):
        if slot not in slots:
            problems.append(f'intent {intent}: sample "{sample}" uses slot {{{slot}}}, which '
                            "the intent does not declare.")
    return problems


def _values(slot_type: dict) -> list[str]:
    problems = []
    ids = Counter(v.get("id") for v in slot_type.get("values", []))
    problems += [f'slot type {slot_type["name"]}: id "{i}" is used {c} times.'
                 for i, c in ids.items() if i and c > 1]
    words = Counter(w.lower() for v in slot_type.get("values", [])
                    for w in (v["name"]["value"], *v["name"].get("synonyms", [])))
    problems += [f'slot type {slot_type["name"]}: "{w}" appears {c} times.'
                 for w, c in words.items() if c > 1]
    problems += [f'slot type {slot_type["name"]}: "{w[:40]}..." is longer than '
                 f"{MAX_VALUE_CHARS} characters." for w in words if len(w) > MAX_VALUE_CHARS]
    return problems
