"""Words that name sides: only {side} and {other} are filled in, and any other brace is a
problem with its file and line (issue 10: these texts were Python format strings, so
"{side.upper}" was said as "<built-in method upper of str object at 0x7f...>" and
"{side:>100000}" hung the build)."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import routines as builtin
from builder.errors import RoutineError
from builder.limits import MAX_TEXT_CHARS
from builder.model import SIDES
from builder.phrases import load_phrases
from builder.schedule import schedule
from builder.sides import fill
from builder.timeline import Tone
from builder.wording import switch_words
from matcoach.cli import main

SWITCH_USES = ("use {side} for the side to work now and {other} for the side just worked, "
               "and no other braces.")
FIRST_USES = ("use {side} for the side worked first and {other} for the side worked after "
              "it, and no other braces.")


def two_sided(field: str, words: str) -> str:
    return ("title: T\nsafety: Careful.\noutro: Bye.\nsteps:\n"
            "  - title: Twist\n    say: Knees to the right.\n    work: 20s\n"
            f"    sides: both\n    {field}: '{words}'\n")


@pytest.mark.parametrize(("words", "stray"), [
    ("Now {side.foo}", "{side.foo}"),          # was: "could not be read (AttributeError)"
    ("Now {side.upper}", "{side.upper}"),      # was: said as "<built-in method upper ...>"
    ("{side:>100000}", "{side:>100000}"),      # was: a hang
    ("{side:>4000000000}", "{side:>4000000000}"),   # was: MemoryError
    ("x{side:>3000}x", "{side:>3000}"),        # was: 3,002 characters said, past the limit
    ("Now your {0} side", "{0}"),
    ("Now your {foot} side", "{foot}"),
    ("Now your {side} side {", "{"),
    ("Now your } side", "}"),
    ("Now {{side}}", "{"),                     # was: said as "Now {side}"
    ("Now {Side}", "{Side}"),
])
@pytest.mark.parametrize(("field", "uses"), [("switch_say", SWITCH_USES),
                                             ("first_say", FIRST_USES)])
def test_a_brace_that_is_not_a_placeholder_is_named_with_its_line(check, field, uses, words,
                                                                  stray):
    routine, problems = check(two_sided(field, words))
    assert routine is None
    assert [p.split("/")[-1] for p in problems] == [
        f'r.yaml:9: step 1, {field}: "{stray}" is not a placeholder; {uses}']


def test_only_the_placeholders_are_filled_in_and_nothing_else_changes(check):
    routine, problems = check(two_sided(
        "switch_say", "Put your {other} foot down: 100% on the {side} one, {side}!"))
    assert problems == []
    assert switch_words(routine.steps[0], routine.phrases, "left", "right") == \
        "Put your right foot down: 100% on the left one, left!"


def test_filled_words_are_never_longer_than_the_words_written():
    """So text within the length limit stays within it once the sides are filled in."""
    template = ("{side} {other} " * MAX_TEXT_CHARS)[:MAX_TEXT_CHARS]
    for side in SIDES:
        for other in SIDES:
            assert len(fill(template, side, other)) <= MAX_TEXT_CHARS


def test_words_at_the_length_limit_are_said_whole(check):
    words = ("Now your {side} foot. " * 100)[:MAX_TEXT_CHARS - 1] + "."
    routine, problems = check(two_sided("switch_say", words))
    assert problems == []
    said = [e.text for e in schedule(routine, lambda s: 300 if isinstance(s, Tone) else 10)
            .events if e.kind == "switch" and e.text]
    assert said == [fill(" ".join(words.split()), "left", "right")]


SPEECH = builtin.VOCABULARY_DIR / "speech.yaml"


@pytest.mark.parametrize(("phrase", "words", "message"), [
    ("switch", "Switch {side.x}", '"{side.x}" is not a placeholder; use {side} for the side '
     "to work now and {other} for the side just worked, and no other braces."),
    ("switch", "Switch to {0}", '"{0}" is not a placeholder; use {side}'),
    ("switch", "Switch to {foo}", '"{foo}" is not a placeholder; use {side}'),
    ("one_side", "Only {", '"{" is not a placeholder; use {side} for the one side worked, '
     "and no other braces."),
    ("one_side", "Only your {other} side", '"{other}" is not a placeholder; use {side} for '
     "the one side worked"),
    ("start_side", "{side:>9} first.", '"{side:>9}" is not a placeholder; use {side} for the '
     "side worked first and {other} for the side worked after it"),
    ("rest", "Rest your {side} side.", '"{side}" is not a placeholder; these words name no '
     "side, so write no braces."),
])
def test_a_phrase_with_a_stray_brace_is_refused_when_speech_yaml_is_read(write, phrase, words,
                                                                        message):
    """Such phrases were accepted, then broke show and build of every routine using them."""
    lines = SPEECH.read_text(encoding="utf-8").splitlines()
    [at] = [i for i, line in enumerate(lines) if line.startswith(f"{phrase}:")]
    lines[at] = f'{phrase}: "{words}"'
    path = write("speech.yaml", "\n".join(lines) + "\n")
    with pytest.raises(RoutineError) as caught:
        load_phrases(path)
    assert str(caught.value).startswith(f"{path}:{at + 1}: {phrase}: {message}")


def test_a_listed_phrase_is_named_at_its_own_line(write):
    text = SPEECH.read_text(encoding="utf-8").replace(
        "countdown: [one, two, three,", "countdown: [one, two, '{side}',")
    path = write("speech.yaml", text)
    with pytest.raises(RoutineError) as caught:
        load_phrases(path)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("countdown:"))
    assert str(caught.value) == (f'{path}:{line}: countdown: "{{side}}" is not a placeholder; '
                                 "these words name no side, so write no braces.")


def test_validate_names_the_phrase_of_a_library_of_its_own(tmp_path, write):
    vocabulary = tmp_path / "lib" / "vocabulary"
    shutil.copytree(builtin.VOCABULARY_DIR, vocabulary)
    speech = vocabulary / "speech.yaml"
    speech.write_text(speech.read_text(encoding="utf-8").replace(
        'switch: "Switch sides. Now your {side} side."', 'switch: "Switch {side.x}"'),
        encoding="utf-8")
    write("lib/r.yaml", two_sided("lead_in", "5s"))
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "lib")])
    assert result.exit_code == 1
    assert f'{speech}:11: switch: "{{side.x}}" is not a placeholder; use {{side}}' \
        in result.output
    assert "Traceback" not in result.output and "could not be read" not in result.output
