"""A small stand-in for Alexa's language understanding, driven by our interaction model.

Good enough to try the skill at a terminal: each sample becomes a pattern, slot words must
be values (or synonyms) of their slot type, and Amazon's built-in intents get the everyday
phrases that trigger them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

BUILT_IN_PHRASES = {
    "AMAZON.PauseIntent": ("pause", "pause it", "hold on", "wait"),
    "AMAZON.ResumeIntent": ("resume", "continue", "carry on", "unpause", "keep going"),
    "AMAZON.NextIntent": ("next", "skip", "skip this", "next step", "next one"),
    "AMAZON.PreviousIntent": ("previous", "back", "go back", "previous step", "last step"),
    "AMAZON.StartOverIntent": ("start over", "restart", "from the beginning", "start again"),
    "AMAZON.RepeatIntent": ("repeat", "repeat that", "say that again", "again"),
    "AMAZON.HelpIntent": ("help", "help me", "what can you do", "what can i say"),
    "AMAZON.StopIntent": ("stop", "stop it", "quit", "exit", "off", "i'm done", "i am done",
                          "that's enough", "goodbye", "bye"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "forget it"),
    "AMAZON.NavigateHomeIntent": ("go home", "home"),
    "AMAZON.YesIntent": ("yes", "yeah", "yes please", "sure", "ok", "okay"),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "no thank you"),
    "AMAZON.LoopOnIntent": ("loop", "loop on", "loop this", "repeat this routine"),
    "AMAZON.LoopOffIntent": ("loop off", "stop looping"),
    "AMAZON.ShuffleOnIntent": ("shuffle", "shuffle on"),
    "AMAZON.ShuffleOffIntent": ("shuffle off", "stop shuffling"),
}
NUMBERS = {word: n for n, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
NUMBERS.update({"thirty": 30, "forty": 40, "forty five": 45, "fifty": 50, "sixty": 60,
                "twenty five": 25, "half an hour": 30, "an hour": 60})


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
        self.patterns = sorted((p for intent in language["intents"] for p in _patterns(intent)),
                               key=lambda p: -p.literal)

    def understand(self, utterance: str) -> Understood:
        """The intent and slots for `utterance`; AMAZON.FallbackIntent when nothing fits."""
        words = normalize(utterance)
        for intent, phrases in BUILT_IN_PHRASES.items():
            if words in phrases:
                return Understood(intent)
        for pattern in self.patterns:
            match = pattern.regex.fullmatch(words)
            if match is None:
                continue
            slots = self._slots(match.groupdict(), pattern.slot_types)
            # A sample that is only a slot ("{routine}") must hear a known value.
            known = pattern.literal > 0 or all(s.resolved_id for s in (slots or {}).values())
            if slots is not None and known:
                return Understood(pattern.intent, slots)
        return Understood("AMAZON.FallbackIntent")

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
            number = words if words.isdigit() else NUMBERS.get(words)
            return Slot(str(number)) if number is not None else None
        index = self.values.get(slot_type, {})
        if words in index:
            return Slot(words, index[words])
        close = difflib.get_close_matches(words, index, n=1, cutoff=0.8)
        # Alexa passes unresolved words through for custom types; so do we, for near misses
        # only, so the skill's own "I don't know that routine" path is exercised.
        return Slot(words, index[close[0]]) if close else (
            Slot(words) if slot_type == "ROUTINE" else None)


def normalize(utterance: str) -> str:
    """Lowercase words without punctuation or a leading "alexa"."""
    words = re.sub(r"[^a-z0-9' ]+", " ", utterance.lower()).split()
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
            index[normalize(words)] = value["id"]
    return index

