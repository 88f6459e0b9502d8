"""Every cue field, one row each: what validation says, to the field and the word, and the
cues it makes. Written from what `make mutation` showed unpinned (issue 9)."""

from __future__ import annotations

import pytest

from builder.checker import Checker
from builder.cues import parse_cues
from builder.model import Breathe, Countdown, Every, Pace
from builder.yamlsource import parse_text


def step(cues: str, work: str = "30s") -> str:
    return f"title: T\nsteps:\n  - title: A\n    say: B.\n    work: {work}\n    cues: {cues}\n"


REFUSED = [
    ("loud", 'step 1, cues: cues must be a set of key: value lines.'),
    ("{countdown: {from: 3, spokn: no}}",
     'step 1, cues.countdown.spokn: "spokn" is not a key of countdown. Did you mean spoken?'),
    ("{countdown: {from: 0}}", 'step 1, cues.countdown.from: "0" must be a whole number from '
                               "1 to 10."),
    ("{countdown: {from: 3, spoken: maybe}}",
     'step 1, cues.countdown.spoken: "maybe" must be true or false.'),
    ("{every: {interval: 10s, sy: Slow.}}",
     'step 1, cues.every.sy: "sy" is not a key of every. Did you mean say?'),
    ("{every: {say: Slow.}}", "step 1, cues.every.interval: give an interval such as 15s."),
    ("{every: {interval: 0.5s}}", 'step 1, cues.every.interval: "0.5s" is too short; use at '
                                  "least 1s."),
    ("{every: {interval: 10s, say: [Slow., '']}}",
     "step 1, cues.every.say: write some text here."),
    ("{every: 0.5s}", 'step 1, cues.every: "0.5s" is too short; use at least 1s.'),
    ("{pace: fast}", "step 1, cues.pace: pace must be a set of key: value lines."),
    ("{pace: {interval: 4s, sy: [up]}}",
     'step 1, cues.pace.sy: "sy" is not a key of pace. Did you mean say?'),
    ("{breathe: slowly}", "step 1, cues.breathe: breathe must be a set of key: value lines."),
    ("{breathe: {in: 4s, out: 6s, spokn: 1}}",
     'step 1, cues.breathe.spokn: "spokn" is not a key of breathe. Did you mean spoken?'),
    ("{breathe: {in: 4s}}", "step 1, cues.breathe.out: give an interval such as 15s."),
    ("{breathe: {in: nope, out: 6s}}", 'step 1, cues.breathe.in: "nope" is not a duration'),
    ("{breathe: {in: 4s, out: nope}}", 'step 1, cues.breathe.out: "nope" is not a duration'),
    ("{breathe: {in: 4s, out: 6s, spoken: -1}}",
     'step 1, cues.breathe.spoken: "-1" must be a whole number from 0 to 1000.'),
    ("{every: {interval: nope, say: Slow.}}", 'step 1, cues.every.interval: "nope" is not a '
                                              "duration"),
    ("{pace: {interval: 10s}}", "step 1, cues.pace: a beat every 10s never sounds in a 10s "
                                "work period; use a shorter interval.", "10s"),
    ("{countdown: 3}", "step 1, cues.countdown: a 3-second countdown does not fit a 3s work "
                       "period", "3s"),
    ("{countdown: 3, halfway: true}", "step 1, cues.halfway: the halfway cue at 2s falls inside "
                                      "the countdown", "4.001s"),
    ("{countdown: 3, every: 7s}", "step 1, cues.every: the every cue at 7s falls inside the "
                                  "countdown", "10s"),   # its first second counts
    ("{halfway: true, every: 10s}", "step 1, cues.every: a reminder (the every cue) and the "
                                    "halfway chime both fall at 10s; turn one of them off",
     "20.001s"),   # half time is the whole millisecond below
]


def test_a_misspelt_cue_does_not_hide_the_problems_of_the_cues_after_it(check):
    _, problems = check(step("{halfwy: true, countdown: 99}"))
    fields = [p.split("r.yaml:")[1].split(": ")[1] for p in problems]
    assert sorted(fields) == ["step 1, cues.countdown", "step 1, cues.halfwy"]


@pytest.mark.parametrize("row", REFUSED, ids=[r[0] for r in REFUSED])
def test_a_bad_cue_is_named_to_its_field(check, row):
    cues, message, *work = row
    routine, problems = check(step(cues, *work))
    assert routine is None
    assert [p.split("r.yaml:")[1].split(": ", 1)[1] for p in problems][0].startswith(message), \
        problems


ACCEPTED = [
    # (cues, work, what the step's cues are)
    ("{countdown: {from: 1}}", "30s", {"countdown": Countdown(1, True)}),
    ("{countdown: {from: 3, spoken: false}}", "30s", {"countdown": Countdown(3, False)}),
    ("{countdown: 3}", "3.002s", {"countdown": Countdown(3, True)}),
    ("{every: {interval: 10s}}", "30s", {"every": Every(10_000, ())}),
    ("{every: {interval: 10s, say: Slow.}}", "30s", {"every": Every(10_000, ("Slow.",))}),
    ("{every: false, halfway: true}", "30s", {"halfway": True}),
    ("{breathe: {in: 4s, out: 6s}}", "10s", {"breathe": Breathe(4000, 6000, 2)}),
    ("{breathe: {in: 4s, out: 6s, spoken: 0}}", "30s", {"breathe": Breathe(4000, 6000, 0)}),
    ("{breathe: {in: 4s, out: 6s, spoken: 1000}}", "30s",
     {"breathe": Breathe(4000, 6000, 1000)}),
    ("{pace: {interval: 4s, say: [up, down]}}", "30s", {"pace": Pace(4000, ("up", "down"))}),
    # An every cue just before the countdown begins (at 7 s of 10) is not inside it.
    ("{countdown: 3, every: 6.998s}", "10s", {"countdown": Countdown(3, True),
                                              "every": Every(6998, ())}),
]


@pytest.mark.parametrize(("cues", "work", "expected"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_good_cues_make_exactly_these(check, cues, work, expected):
    routine, problems = check(step(cues, work))
    assert problems == []
    made = routine.steps[0].cues
    assert {k: getattr(made, k) for k in ("halfway", "countdown", "every", "pace", "breathe")
            if getattr(made, k)} == expected


@pytest.mark.parametrize("cues", [
    {"countdown": {"from": 0, "spoken": True}},
    {"every": {"interval": "nope", "say": "Slow."}},
    {"breathe": {"in": "nope", "out": "6s"}},
    {"breathe": {"in": "4s", "out": "nope"}},
    {"breathe": {"in": "4s", "out": "6s", "spoken": -1}},
])
def test_a_cue_with_a_bad_field_is_left_out_not_half_made(context, cues):
    ck = Checker(parse_text("a: 1", "r.yaml"), context.vocabulary)
    assert parse_cues(ck, cues, ("steps", 0, "cues")) == {}
    assert len(ck.problems) == 1
