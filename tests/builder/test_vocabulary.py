"""A library's vocabularies, speech.yaml and safety.yaml are held to the rules a routine's
text is held to (a hostile tester's finds, issue 10): each fault is one sentence with the
file and line, and no fault reaches a traceback or the catch-all "could not be read"."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import routines as builtin
from matcoach.cli import main

COUNTS_DOWN = """
title: Calf squeeze
steps:
  - title: Squeeze
    say: Squeeze your right calf.
    work: 30s
    cues: {countdown: 5}
"""
SOURCES = "    sources: [{publisher: Our clinic, title: House rules, url: https://x.example}]\n"


def library_with(tmp_path: Path, name: str, old: str, new: str) -> tuple[Path, int]:
    """A library with a copy of the built-in vocabularies, `old` replaced by `new` in the
    file `name` (the whole file when `old` is empty), and one routine that counts down
    from 5; returns the file changed and the line where `new` begins."""
    library = tmp_path / "lib"
    shutil.copytree(builtin.VOCABULARY_DIR, library / "vocabulary")
    (library / "calf-squeeze.yaml").write_text(COUNTS_DOWN, encoding="utf-8")
    path = library / "vocabulary" / name
    text = path.read_text(encoding="utf-8")
    assert not old or old in text, old
    text = text.replace(old, new, 1) if old else new
    path.write_text(text, encoding="utf-8")
    return path, text[:text.index(new)].count("\n") + 1


def run(*args: str):
    """`matcoach ARGS`; a traceback fails the test instead of being printed."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


MAT = "yoga-mat:\n  name: yoga mat\n"
CHAIR = "chair:\n  name: chair\n"
STOOL = "synonyms: [a chair, stool"
COUNTDOWN = "countdown: [one, two, three, four, five, six, seven, eight, nine, ten]"
OWN_CAUTION = ("cautions:\n  cold:\n    say: SAY\n    again: Brief.\n" + SOURCES +
               "rules:\n  - id: cold-hands\n    when: {body_areas: hands}\n"
               "    require: [cold]\n" + SOURCES)

CASES = [
    # (file, text replaced, its replacement, line offset, the problem after "file:line: ")
    ("equipment.yaml", MAT, 'yoga-mat:\n  name: "yoga\\x1bmat\\x07"\n', 1,
     "yoga-mat.name: remove the invisible character U+001B; write only letters, numbers, "
     "punctuation and spaces."),      # it reached /feed.xml and the pages as a raw ESC
    ("equipment.yaml", MAT, 'yoga-mat:\n  name: ""\n', 1, "yoga-mat.name: write some text here."),
    ("equipment.yaml", MAT, "yoga-mat:\n  name: " + "mat " * 25_000 + "\n", 1,
     "yoga-mat.name: this is 99,999 characters long; keep it to 80."),
    ("equipment.yaml", CHAIR, '"Chair & <x>":\n  name: chair\n', 1,   # the entry's line
     'Chair & <x>: "Chair & <x>" is not a valid id; use lowercase letters, digits and '
     "hyphens, at most 64 of them, such as foam-roller."),
    ("equipment.yaml", CHAIR, "5:\n  name: chair\n", 1,
     '5: "5" is not a valid id, as a routine naming it would be read as a number, a date, '
     "true or false; use a word, such as foam-roller."),
    ("equipment.yaml", CHAIR, '"chair\\n":\n  name: chair\n', 1,   # $ matched before \n
     'chair\\n: "chair\\n" is not a valid id; use lowercase letters, digits and hyphens, at '
     "most 64 of them, such as foam-roller."),
    ("equipment.yaml", STOOL, "synonyms: ['', stool", 0, "chair.synonyms: write some text here."),
    ("equipment.yaml", STOOL, 'synonyms: ["a\\x07", stool', 0,
     "chair.synonyms: remove the invisible character U+0007; write only letters, numbers, "
     "punctuation and spaces."),
    ("equipment.yaml", CHAIR, "chair:\n  name: chair\n  colour: red\n", 2,
     'chair.colour: "colour" is not a key of an entry of equipment.yaml. Allowed keys: '
     "also_needs, name, synonyms."),
    ("body_areas.yaml", "includes: [upper-back, lower-back]", "includes: 5", 0,
     "back.includes: list the ids of the narrower terms it covers, such as [upper-back, "
     "lower-back], or leave includes out."),   # a TypeError traceback from list and show
    ("goals.yaml", "", "[after-work, sore-back]\n", 0,
     "a vocabulary maps each id to its name and synonyms (id: {name: ..., synonyms: [...]}), "
     "and this file holds no such entry."),
    ("speech.yaml", "rest: Rest.", "rest: Rest.\nresst: Rest now.", 1,
     'resst: "resst" is not a key of speech.yaml. Did you mean rest?'),
    ("speech.yaml", "rest: Rest.", 'rest: "Rest.\\a"', 0,
     "rest: remove the invisible character U+0007; write only letters, numbers, punctuation "
     "and spaces."),
    ("speech.yaml", COUNTDOWN, "countdown: [one, two]", 0,   # the routine was blamed
     "countdown: list 10 words, one for each number from 1 to 10, as a countdown may start "
     "from 10; this list has 2."),
    ("safety.yaml", "", OWN_CAUTION.replace("SAY", '"Keep it brief.\\e"'), 2,
     "cautions.cold.say: remove the invisible character U+001B; write only letters, numbers, "
     "punctuation and spaces."),
    ("safety.yaml", "", OWN_CAUTION.replace("SAY", "Keep it brief. " * 101), 2,
     "cautions.cold.say: this is 1,514 characters long; keep it to 1,500."),
    ("safety.yaml", "", OWN_CAUTION.replace("hands}", "hands}\n    colour: blue"), 8,
     'rules.colour: "colour" is not a key of a rule. Allowed keys: id, longest, refuse, '
     "require, sources, when."),
    ("safety.yaml", "", OWN_CAUTION.split("rules:")[0] + "rules: 5\n", 5,
     "rules: rules must be a list, each rule starting with a dash; write at least one, or "
     "leave rules out."),
]


@pytest.mark.parametrize(("name", "old", "new", "offset", "problem"), CASES,
                         ids=[f"{c[0]}: {c[2][:30]!r}" for c in CASES])
def test_a_bad_vocabulary_is_one_sentence_with_its_file_and_line(tmp_path, name, old, new,
                                                                 offset, problem):
    path, line = library_with(tmp_path, name, old, new)
    result = run("list", "--library", str(path.parents[1]))
    assert result.exit_code == 1
    assert result.output == f"{path}:{line + offset}: {problem}\n1 problem in the library.\n"


@pytest.mark.parametrize("command", [["list"], ["validate"], ["show", "calf-squeeze"]])
def test_includes_that_is_not_a_list_is_a_problem_for_every_command(tmp_path, command):
    """`includes: 5` was a TypeError traceback from list, validate and show."""
    path, line = library_with(tmp_path, "body_areas.yaml", "includes: [upper-back, "
                              "lower-back]", "includes: 5")
    library = str(path.parents[1])
    args = [*command, library] if command == ["validate"] else [*command, "--library", library]
    result = run(*args)
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:{line}: back.includes: list the ids")
    assert "Traceback" not in result.output and "could not be read" not in result.output


def test_every_vocabulary_file_s_problems_come_together(tmp_path):
    """One bad file does not hide another's problems: all are listed at once, the routines
    (which cannot be checked without them) are not blamed."""
    path, line = library_with(tmp_path, "equipment.yaml", MAT, 'yoga-mat:\n  name: ""\n')
    speech = path.parent / "speech.yaml"
    speech.write_text(speech.read_text().replace(COUNTDOWN, "countdown: [one]"))
    result = run("validate", str(path.parents[1]))
    lines = result.output.splitlines()
    assert result.exit_code == 1 and lines[-1] == "2 problems found."
    assert lines[0] == f"{path}:{line + 1}: yoga-mat.name: write some text here."
    assert lines[1].startswith(f"{speech}:") and "countdown: list 10 words" in lines[1]


def test_a_term_people_cannot_ask_for_is_refused(tmp_path):
    """A term whose every word already meant another made `matcoach models` fail with an
    IndexError: the interaction model had no word left to call it by."""
    path, line = library_with(tmp_path, "equipment.yaml", "", (builtin.VOCABULARY_DIR / (
        "equipment.yaml")).read_text(encoding="utf-8") + "roller:\n  name: foam roller\n")
    line = len(path.read_text(encoding="utf-8").splitlines())
    result = run("validate", str(path.parents[1]))
    assert result.output == (f"{path}:{line}: roller: everything people could say for it "
                             "already means foam-roller; give it a name of its own.\n"
                             "1 problem found.\n")


def test_the_copied_vocabularies_are_valid_as_they_are(tmp_path):
    path, _ = library_with(tmp_path, "levels.yaml", "", (
        builtin.VOCABULARY_DIR / "levels.yaml").read_text(encoding="utf-8"))
    result = run("validate", str(path.parents[1]))
    assert result.exit_code == 0, result.output
    assert result.output == "The routine is valid.\n"


def test_a_phrase_the_voice_cannot_say_is_refused_in_speech_yaml(tmp_path):
    """A phrase of "." was accepted, and every build that needed it failed: the voice
    makes no sound for it."""
    import routines as builtin
    from builder.errors import RoutineError
    from builder.phrases import load_phrases
    text = (builtin.VOCABULARY_DIR / "speech.yaml").read_text(encoding="utf-8")
    path = tmp_path / "speech.yaml"
    path.write_text(re.sub(r"(?m)^rest: .*$", "rest: '.'", text), encoding="utf-8")
    with pytest.raises(RoutineError) as caught:
        load_phrases(path)
    assert "rest: there is nothing here the voice can say" in str(caught.value)
