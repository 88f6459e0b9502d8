"""The documented limits (builder/limits.py, README "Limits"): values past them were once
accepted and then made commands spin, fill memory or build hours of audio (issue 10)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from matcoach.cli import main


def routine(step: str = "", top: str = "", steps: str | None = None) -> str:
    """A routine of one step; `step` adds fields to it or replaces them."""
    fields = {"title": "Calf squeeze", "say": "Squeeze your right calf.", "work": "30s"}
    extra = [line for line in step.splitlines() if line.split(":")[0] not in fields]
    fields.update(line.split(": ", 1) for line in step.splitlines() if line not in extra)
    one = "  - " + "\n    ".join([f"{k}: {v}" for k, v in fields.items()] + extra) + "\n"
    return f"title: Test routine\n{top}steps:\n{one if steps is None else steps}"


def names(count: int) -> str:
    return ", ".join(f"calf routine {i}" for i in range(count))


def steps_of(count: int, work: str, sides: str = "") -> str:
    side = f"    sides: {sides}\n" if sides else ""
    return "".join(f"  - title: Squeeze {i}\n    say: Squeeze.\n    work: {work}\n{side}"
                   for i in range(count))


@pytest.mark.parametrize(("text", "expected"), [
    (routine("work: 31536000"), 'r.yaml:5: step 1, work: "31536000" is too long; use at '
     "most 60m."),                                                  # a year
    (routine("work: " + "1" + "0" * 30), "r.yaml:5: step 1, work: "),   # 10^30 s
    (routine("work: 3601"), 'work: "3601" is too long; use at most 60m.'),
    (routine("work: 61m"), 'work: "61m" is too long; use at most 60m.'),
    (routine("lead_in: 1000000000000"), 'r.yaml:6: step 1, lead_in: "1000000000000" is too '
     "long; use at most 2m."),
    (routine("switch: 121\nsides: both"), 'r.yaml:6: step 1, switch: "121" is too long; use '
     "at most 2m."),
    (routine(top="lead_in: 1000000000000\n"), 'r.yaml:2: lead_in: "1000000000000" is too '
     "long; use at most 2m."),
    (routine(top="switch: 3m\n"), 'r.yaml:2: switch: "3m" is too long; use at most 2m.'),
    (routine(steps="  - rest: 1e40\n" + steps_of(1, "30s")),
     'r.yaml:3: step 1, rest: "1e40" is not a duration'),
    (routine(steps="  - rest: 1.0e+40\n" + steps_of(1, "30s")),
     'r.yaml:3: step 1, rest: "1.0e+40" is not a duration'),   # quoted as written
    (routine(steps="  - rest: 3601\n" + steps_of(1, "30s")),
     'r.yaml:3: step 1, rest: "3601" is too long; use at most 60m.'),
    (routine(steps=steps_of(5, "60m", "both")),
     "r.yaml:3: steps: these steps last about 10.0 hours; a routine may last at most 4 "
     "hours."),
    (routine(steps=steps_of(4, "60m")),          # 4 hours of work, and then the speech
     "r.yaml:3: steps: these steps last about 4.0 hours; a routine may last at most 4 "
     "hours."),
    (routine(steps=steps_of(501, "10s")),
     "r.yaml:3: steps: this routine has 501 steps; a routine may have at most 500."),
    (routine(top="title: " + "Long " * 20 + "\n").replace("title: Test routine\n", "", 1),
     "r.yaml:1: title: this is 99 characters long; keep it to 80."),
    (routine("title: " + "x" * 81), "step 1, title: this is 81 characters long; keep it to 80."),
    (routine("say: " + "Squeeze. " * 200),
     "step 1, say: this is 1,799 characters long; keep it to 1,500."),
    (routine("cues: {pace: {interval: 4s, say: []}}"),
     "r.yaml:6: step 1, cues.pace.say: list at least one word, or leave say out for a tone."),
    (routine("cues: {every: {interval: 4s, say: []}}"),
     "step 1, cues.every.say: list at least one word, or leave say out for a tone."),
    (routine("cues: {halfway: null}"), "r.yaml:6: step 1, cues.halfway: write false to turn "
     "this cue off, or true to turn it on."),
    (routine("cues:\n  pace:\n"), "step 1, cues.pace: write false to turn this cue off, or "
     "its settings."),
    (routine(top=f"aliases: [{names(5000)}]\n"), "r.yaml:2: aliases: this routine has 5,000 "
     "aliases; keep it to 20, the names people are most likely to say."),   # all were taken
    (routine(top=f"aliases: [{names(21)}]\n"), "aliases: this routine has 21 aliases;"),
    (routine(top='id: "calf-squeeze\\n"\n'), 'r.yaml:2: id: "calf-squeeze\\n" is not a valid id'),
    (routine(top=f"id: {'calf-' * 13}x\n"), "is not a valid id; use lowercase letters, digits "
     "and hyphens, at most 64 of them,"),
    (routine(top=f"id: {'c' * 5000}\n"), f'r.yaml:2: id: "{"c" * 40}\u2026" is not a valid '
     "id"),                                     # validated, then "File name too long"
])
def test_values_past_a_limit_are_refused_by_name(check, text, expected):
    routine_, problems = check(text)
    assert routine_ is None
    assert any(expected in p for p in problems), problems


@pytest.mark.parametrize("text", [
    routine("work: 60m"), routine("work: 3600\nlead_in: 2m"), routine(top="switch: 120\n"),
    routine(steps=steps_of(3, "60m")), routine(steps=steps_of(500, "5s")),
    routine("title: " + "x" * 80), routine("cues: {pace: {interval: 4s}, halfway: false}"),
    routine(top=f"aliases: [{names(20)}]\n"), routine(top=f"id: {'calf-' * 12}calf\n"),
])
def test_values_at_a_limit_are_accepted(check, text):
    routine_, problems = check(text)
    assert problems == [] and routine_ is not None


def test_list_names_a_year_of_work_instead_of_spinning(tmp_path, write):
    """A work time of one year once made `matcoach list` spin at 1.8 GB."""
    path = write("lib/year.yaml", routine("work: 31536000"))
    result = CliRunner().invoke(main, ["list", "--library", str(tmp_path / "lib")])
    assert result.exit_code == 1
    assert result.output == (f'{path}:5: step 1, work: "31536000" is too long; use at most '
                             "60m.\n1 problem in the library.\n")


@pytest.mark.parametrize("make", ["empty folder", "folder named x.yaml"])
def test_validate_on_a_folder_without_routines_says_so_and_fails(tmp_path, make):
    folder = tmp_path / ("empty" if make == "empty folder" else "x.yaml")
    folder.mkdir()
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert result.output == (f"{folder}: this folder holds no routine files (.yaml or .yml) "
                             "and no moves; give a routine file or a library folder.\n"
                             "1 problem found.\n")


@pytest.mark.parametrize(("text", "expected"), [
    (routine(top="level: " + "x" * 5000 + "\n"),
     f'r.yaml:2: level: "{"x" * 40}\u2026" is not a known level.'),
    (routine(top="cautions: {heat: {say: " + "Keep it warm. " * 300 + "}}\n"),
     "r.yaml:2: cautions: \"{'heat': {'say': 'Keep it warm. Keep it \u2026\" is not a caution "
     "of the safety rules."),   # validate routines/vocabulary quoted 4 KB of safety.yaml
    (routine(top='"sum\\emary": Calf work.\n'), 'r.yaml:2: sum\\x1bmary: "sum\\x1bmary" is not '
     "a key of a routine. Did you mean summary?"),   # ESC, shown rather than sent
])
def test_a_message_quotes_no_more_than_the_start_of_a_value(check, text, expected):
    _, problems = check(text)
    assert any(expected in p for p in problems), problems
    assert max(len(p) for p in problems) < 400



@pytest.mark.parametrize(("value", "message"), [
    ("[a]", "this is a list, not text"),
    ("{a: b}", "this is a set of key: value lines, not text"),
])
def test_a_list_or_mapping_where_text_belongs_is_named_as_such(check, value, message):
    """It said "write some text here", which reads as if the field were empty."""
    _, problems = check(routine(top=f"outro: {value}\n"))
    assert any(f"outro: {message}" in p for p in problems), problems
