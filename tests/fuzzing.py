"""Hypothesis strategies for hostile input (issue 10): routine files and Alexa request
envelopes, each a real one mutated a few times. Shared by the fuzz tests in the suite
(tests/test_fuzz.py: derandomized, bounded) and bench/fuzz_bench.py (thousands, random).

A mutation is what a careless editor, a broken client or an attacker produces: a value of
the wrong type or size, a key removed or repeated, YAML features plain data has no use for,
bytes cut off or inserted. Starting from real input keeps most examples deep enough to
reach the code past the first check.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from pathlib import Path

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from audio.outputs import webvtt
from builder.estimate import estimate
from builder.limits import (
    MAX_GAP_MS,
    MAX_ROUTINE_MS,
    MAX_STEP_MS,
    MAX_STEPS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
)
from builder.model import Routine, WorkStep
from skill.device import Device
from skill.ssml import ssml

LONG_RUN = os.environ.get("MATCOACH_FUZZ", "") == "long"
"""MATCOACH_FUZZ=long: a random run of thousands of examples instead of the suite's
derandomized few hundred."""


def fuzz_settings(examples: int) -> settings:
    """`examples` derandomized examples with no deadline (the suite: CI cannot flake on
    them), or with MATCOACH_FUZZ=long 20x as many, random, for a search of its own."""
    return settings(
        max_examples=examples * 20 if LONG_RUN else examples, derandomize=not LONG_RUN,
        deadline=None, database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large])


# Values of every JSON and YAML kind, leaning on the ones that broke things.
HOSTILE_TEXT = st.sampled_from([
    "", " ", "\u200b", "\x1b[31m", "\x07", "R&B <b>", "<audio src='x'/>", "²", "٣", "Ⅻ",
    "1e40", "1000000000000", "-5", "0", "1y", "60m", "3601", "nan", "null", "both",
    "calf-care", "a" * 2000, "\U0001f600", "\ufffe", "{side}", "{0}", "%s"])
def _deep(levels: int = 300) -> list:
    """A fresh list nested `levels` deep: deeper than anything is read, recursively or not
    (fresh each time, so a mutation never puts one inside itself)."""
    deep: list = []
    for _ in range(levels):
        deep = [deep]
    return deep


JSON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70),
    st.floats(allow_nan=False, allow_infinity=False), HOSTILE_TEXT, st.text(max_size=40),
    st.just([]), st.just({}), st.lists(st.integers(), max_size=3), st.builds(_deep),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


def _at(document: object, path: tuple) -> object:
    for key in path:
        document = document[key]
    return document


def _paths(document: object, here: tuple = ()) -> list[tuple]:
    """Every path to a value inside a JSON-like document (the root excluded), down to ten
    levels (not far into a _deep() value, once one is in)."""
    found = []
    items = document.items() if isinstance(document, dict) else \
        enumerate(document) if isinstance(document, list) else ()
    for key, value in items:
        found.append((*here, key))
        if len(here) < 10:
            found.extend(_paths(value, (*here, key)))
    return found


SAME_KIND = {str: st.one_of(HOSTILE_TEXT, st.text(max_size=40)), bool: st.booleans(),
             int: st.integers(-(2 ** 70), 2 ** 70), float: st.floats(allow_nan=False)}


@st.composite
def mutated_data(draw: Callable, document: object, values: st.SearchStrategy = JSON_VALUES,
                 most: int = 3, texts: st.SearchStrategy | None = None) -> object:
    """`document` with up to `most` values replaced, removed, or added beside. Half the
    time a value is replaced by one of its own kind (text by hostile text, a number by any
    number; `texts` for text, when given), which keeps the shape and reaches the code
    behind the shape checks."""
    same = {**SAME_KIND, str: texts} if texts is not None else SAME_KIND
    same_kind = draw(st.booleans())
    # A path picked evenly: hypothesis leans to the first of a list, here the top levels.
    chance = draw(st.randoms(use_true_random=True))
    document = copy.deepcopy(document)      # the bases are shallow: this never recurses far
    for _ in range(draw(st.integers(1, most))):
        paths = [p for p in _paths(document)
                 if not same_kind or type(_at(document, p)) in same]
        if not paths:
            break
        path = chance.choice(paths)
        parent = _at(document, path[:-1])
        if same_kind:
            parent[path[-1]] = draw(same[type(parent[path[-1]])])
            continue
        action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        if action == "replace":
            parent[path[-1]] = draw(values)
        elif action == "remove":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "type", "value", "say", "work"]))] = \
                draw(values)
        else:
            parent.append(draw(values))
    return document


# -- Routine files -------------------------------------------------------------------------

YAML_SNIPPETS = st.sampled_from([
    "!foo ", "!!python/name:os.system ", "!!int ", "&a ", "*a ", "<<: *a\n", "\x00", "\t",
    "\x1b", "[" * 3000, "- " * 500, "{", "}", "? ", ": ", "---\n", "...\n", "'", '"',
    '"\\ud800"', "\ufeff", "#", "|\n", ">-\n", "\r", "\u2028", "%YAML 1.1\n"])


@st.composite
def routine_texts(draw: Callable, bases: list[str]) -> str:
    """A routine file's text: one of `bases` with its data or its text mutated."""
    text = draw(st.sampled_from(bases))
    if draw(st.booleans()):
        durations = _durations()
        data = draw(mutated_data(
            yaml.safe_load(text), st.one_of(JSON_VALUES, durations),
            texts=st.one_of(HOSTILE_TEXT, durations.map(str), st.text(max_size=40))))
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "cut", "repeat-line", "truncate"]))
        if edit == "insert":
            text = text[:at] + draw(YAML_SNIPPETS) + text[at:]
        elif edit == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
        elif edit == "repeat-line":
            lines = text.splitlines(keepends=True) or [""]
            line = draw(st.integers(0, len(lines) - 1))
            text = "".join(lines[:line + 1] + lines[line:])
        else:
            text = text[:at]
    return text


def _durations() -> st.SearchStrategy:
    """Durations of every size, as authors write them and past every limit."""
    return st.one_of(st.integers(-10, 10 ** 31).map(str), st.integers(0, 10 ** 31),
                     st.sampled_from(["1y", "1h", "61m", "60m", "2m1s", "0.0001s", "1e40",
                                      "1.0e+40", "9999999999m", "5s", ".inf"]))


def wrong_in(routine: Routine) -> list[str]:
    """What is wrong with a routine that was accepted: every way it breaks a documented
    limit or a text rule, or cannot be turned into a transcript and a spoken reply (empty:
    nothing). An accepted routine of one year's work once made `list` spin at 1.8 GB."""
    wrong = []
    if not 0 < len(routine.steps) <= MAX_STEPS:
        wrong.append(f"{len(routine.steps)} steps")
    for step in routine.steps:
        if isinstance(step, WorkStep):
            if not 1000 <= step.work_ms <= MAX_STEP_MS:
                wrong.append(f"work {step.work_ms} ms")
            gaps = [g for g in (step.lead_in_ms, step.switch_ms) if g is not None]
            wrong += [f"gap {g} ms" for g in gaps if not 0 <= g <= MAX_GAP_MS]
        elif not 1000 <= step.rest_ms <= MAX_STEP_MS:
            wrong.append(f"rest {step.rest_ms} ms")
    texts = [(routine.title, MAX_TITLE_CHARS), (routine.summary, MAX_TEXT_CHARS),
             *((s.title, MAX_TITLE_CHARS) for s in routine.steps),
             *((s.say, MAX_TEXT_CHARS) for s in routine.steps if s.say)]
    for text, longest in texts:
        if len(text) > longest or any(ch < " " or "\ud800" <= ch <= "\udfff" for ch in text):
            wrong.append(f"text {text[:30]!r}")
    timeline = estimate(routine)
    if timeline.duration_ms > MAX_ROUTINE_MS:
        wrong.append(f"{timeline.duration_ms} ms long")
    webvtt(timeline).encode("utf-8")
    ssml(routine.title)
    return wrong


def routine_bases(folder: Path) -> list[str]:
    """The texts of the library's routine files: what mutations start from."""
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.yaml"))]


# -- Request envelopes ---------------------------------------------------------------------

INTENTS = [
    ("StartRoutineIntent", {"routine": ("calf care", "calf-care")}),
    ("StartRoutineIntent", {"routine": ("the next step", None)}),
    ("RecommendIntent", {"equipment": ("foam roller", "foam-roller"), "minutes": ("10", None)}),
    ("ListRoutinesIntent", {"area": ("shoulders", "shoulders")}),
    ("DescribeRoutineIntent", {"routine": ("warm breath", "warm-breath")}),
    ("WhatDoINeedIntent", {}), ("TimeLeftIntent", {}),
    ("AMAZON.YesIntent", {}), ("AMAZON.NoIntent", {}), ("AMAZON.PauseIntent", {}),
    ("AMAZON.ResumeIntent", {}), ("AMAZON.NextIntent", {}), ("AMAZON.PreviousIntent", {}),
    ("AMAZON.StartOverIntent", {}), ("AMAZON.RepeatIntent", {}), ("AMAZON.HelpIntent", {}),
    ("AMAZON.StopIntent", {}), ("AMAZON.FallbackIntent", {}), ("AMAZON.LoopOnIntent", {}),
]


def envelope_bases(skill_id: str, tokens: list[str]) -> list[dict]:
    """Real envelopes of every kind the skill handles, as the simulated Echo sends them:
    launch, each intent, the buttons, each AudioPlayer event, the end of a session."""
    sent: list[dict] = []

    def capture(envelope: dict) -> dict:
        sent.append(envelope)
        return {}

    device = Device(skill_id=skill_id, send=capture)
    device.launch()
    for name, slots in INTENTS:
        device.intent(name, slots)
    for command in ("Play", "Pause", "Next", "Previous"):
        device.button(command)
    for token in tokens[:2]:
        device.token, device.offset_ms, device.activity = token, 61_000, "PLAYING"
        for event in ("PlaybackStarted", "PlaybackNearlyFinished", "PlaybackStopped",
                      "PlaybackFinished", "PlaybackFailed"):
            device.report(event)
        device.intent("AMAZON.PauseIntent")
    ended = copy.deepcopy(sent[0])
    ended["request"] = {**ended["request"], "type": "SessionEndedRequest", "reason": "ERROR",
                        "error": {"type": "INVALID_RESPONSE", "message": "x"}}
    return [*sent, ended]


def envelopes(bases: list[dict]) -> st.SearchStrategy:
    """One of `bases`, mutated: values of the wrong kind, keys missing or added (one to
    three of about forty values, so most still reach the handlers)."""
    return st.sampled_from(bases).flatmap(lambda base: mutated_data(base))
