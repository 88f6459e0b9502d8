"""A strict stand-in for Alexa's language understanding, driven by our interaction model.

As strict as an independent emulator (Bespoken's virtual-alexa): an utterance matches a
sample pattern word for word, and each slot's words must be one of its type's values or
synonyms (AMAZON.NUMBER: digits or number words). Amazon's built-in intents also take the
common utterances Amazon lists for them, and nothing else they are not given as samples.
Words that are no slot value match nothing (Alexa would pass them on unresolved; the
handlers' "I don't know that routine" is tested with such envelopes). Used by `matcoach
simulate` and by the corpus test (tests/skill/corpus.yaml), which measures how much
everyday speech the model covers: real Alexa generalises beyond its samples, so this is a
floor.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from num2words import num2words

from .models import INVOCATION
from .naming import plain

# The common utterances of Amazon's standard built-in intents, as its documentation lists
# them (developer.amazon.com/docs/custom-skills/standard-built-in-intents.html); anything
# more the skill needs is a sample in samples.yaml.
BUILT_IN_PHRASES = {
    "AMAZON.CancelIntent": ("cancel", "never mind", "forget it"),
    "AMAZON.HelpIntent": ("help", "help me", "can you help me"),
    "AMAZON.LoopOffIntent": ("loop off",),
    "AMAZON.LoopOnIntent": ("loop", "loop on", "keep repeating this song"),
    "AMAZON.NextIntent": ("next", "skip", "skip forward"),
    "AMAZON.NoIntent": ("no", "no thanks"),
    "AMAZON.PauseIntent": ("pause", "pause that"),
    "AMAZON.PreviousIntent": ("go back", "skip back", "back up"),
    "AMAZON.RepeatIntent": ("repeat", "say that again"),
    "AMAZON.ResumeIntent": ("resume", "continue", "keep going"),
    "AMAZON.ShuffleOffIntent": ("stop shuffling", "shuffle off", "turn off shuffle"),
    "AMAZON.ShuffleOnIntent": ("shuffle", "shuffle on", "shuffle the music", "shuffle mode"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again"),
    "AMAZON.StopIntent": ("stop", "off", "shut up"),
    "AMAZON.YesIntent": ("yes", "yeah", "sure"),
    "AMAZON.NavigateHomeIntent": ("go home",),
}
LAUNCH = re.compile(rf"(?:open|launch|start|talk to|load|begin|use) {INVOCATION}(?: please)?")
ASK = re.compile(rf"(?:ask|tell) {INVOCATION} (?:to |for |about |if |whether |that )?(.+)")
LAUNCH_REQUEST = "LaunchRequest"


@dataclass(frozen=True)
class Slot:
    """A slot as Alexa fills it: the words heard, and the value id they resolved to."""

    value: str
    resolved_id: str | None = None


@dataclass(frozen=True)
class Understood:
    """What was said: an intent and its slots."""

    intent: str
    slots: dict[str, Slot] = field(default_factory=dict)


@dataclass(frozen=True)
class _Pattern:
    intent: str
    regex: re.Pattern
    slot_types: dict[str, str]
    literal: int          # characters of fixed words: more means more specific


class Matcher:
    """Understands utterances with the samples and slot values of one interaction model."""

    def __init__(self, model: dict) -> None:
        language = model["interactionModel"]["languageModel"]
        self.values = {t["name"]: _value_index(t) for t in language["types"]}
        intents = [*language["intents"],
                   *({"name": name, "samples": list(phrases)}
                     for name, phrases in BUILT_IN_PHRASES.items())]
        declared = {intent["name"] for intent in language["intents"]}
        self.patterns = sorted((p for intent in intents if intent["name"] in declared
                                for p in _patterns(intent)), key=lambda p: -p.literal)

    def understand(self, utterance: str) -> Understood:
        """The intent and slots for `utterance` ("LaunchRequest" for "open mat coach";
        "ask mat coach ..." is what follows); AMAZON.FallbackIntent when nothing fits."""
        words = normalize(utterance)
        if LAUNCH.fullmatch(words):
            return Understood(LAUNCH_REQUEST)
        asked = ASK.fullmatch(words)
        words = asked.group(1) if asked else words
        return self._match(words) or Understood("AMAZON.FallbackIntent")

    def _match(self, words: str) -> Understood | None:
        """The intent of the most specific sample that matches (most fixed words); among
        that intent's samples, the reading whose slot values take the most words, so a
        title with a filler word in it ("play my back release", a routine "My back
        release") is not read as the filler and a shorter name ("back release")."""
        best: Understood | None = None
        for pattern in self.patterns:
            if best is not None and pattern.intent != best.intent:
                continue
            match = pattern.regex.fullmatch(words)
            slots = self._slots(match.groupdict(), pattern.slot_types) if match else None
            if slots is not None and (best is None or _heard(slots) > _heard(best.slots)):
                best = Understood(pattern.intent, slots)
        return best

    def _slots(self, heard: dict[str, str], types: dict[str, str]) -> dict[str, Slot] | None:
        slots = {}
        for name, words in heard.items():
            slot = self._slot(words, types[name])
            if slot is None:
                return None
            slots[name] = slot
        return slots

    def _slot(self, words: str, slot_type: str) -> Slot | None:
        if slot_type == "AMAZON.NUMBER":
            number = words if words.isdigit() else number_words().get(words)
            if number is None:
                number = _digit_run(words)
            return Slot(str(number)) if number is not None else None
        index = self.values.get(slot_type, {})
        if words in index:
            return Slot(words, index[words])
        return None


def _heard(slots: dict[str, Slot]) -> int:
    """How many characters of the utterance the slots took."""
    return sum(len(slot.value) for slot in slots.values())


@functools.cache
def number_words() -> dict[str, int]:
    """Numbers as said, to their value: "twenty five" -> 25 (0 to 999, as AMAZON.NUMBER
    fills them with digits)."""
    return {normalize(num2words(n)): n for n in range(1000)}


def _digit_run(words: str) -> int | None:
    """Digits said one at a time ("four eight one five one six") as AMAZON.NUMBER fills
    them: one number, so a leading "zero" is lost (481516 for "zero four eight ...": the
    pessimistic reading, which the skill's code handling pads back)."""
    digits = [number_words().get(word) for word in words.split()]
    if len(digits) < 2 or any(d is None or d > 9 for d in digits):
        return None
    return int("".join(map(str, digits)))


def normalize(utterance: str) -> str:
    """Words as a recogniser writes them (naming.plain), without a leading "alexa"."""
    words = plain(utterance).split()
    if words[:1] == ["alexa"]:
        words = words[1:]
    return " ".join(words)


def _patterns(intent: dict) -> list[_Pattern]:
    types = {s["name"]: s["type"] for s in intent.get("slots", [])}
    patterns = []
    for sample in intent.get("samples", []):
        parts = re.split(r"({\w+})", normalize_sample(sample))
        regex = "".join(f"(?P<{p[1:-1]}>.+?)" if p.startswith("{") else re.escape(p)
                        for p in parts)
        literal = sum(len(p) for p in parts if not p.startswith("{"))
        patterns.append(_Pattern(intent["name"], re.compile(regex), types, literal))
    return patterns


def normalize_sample(sample: str) -> str:
    """A sample lowercased like an utterance, slots kept."""
    return " ".join(sample.lower().split())


def _value_index(slot_type: dict) -> dict[str, str]:
    index = {}
    for value in slot_type["values"]:
        for words in (value["name"]["value"], *value["name"].get("synonyms", [])):
            index.setdefault(normalize(words), value["id"])
    return index
