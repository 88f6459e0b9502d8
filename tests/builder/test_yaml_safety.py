"""Routine files that would once crash or hang whatever read them (a server, the builder,
validate): each is one problem with its file and line, read at once."""

from __future__ import annotations

import time

import pytest

from builder.library import check_files, load_context
from builder.phrases import load_phrases
from builder.yamlsource import parse_text

ALIAS = "title: &t Neck\nsummary: *t\nsteps: []\n"
RECURSIVE = "title: &a [*a]\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
    for i in range(8))
DEEP = "a: " + "[" * 5000 + "]" * 5000 + "\n"
TAGGED = "title: !!python/name:os.system x\n"


@pytest.mark.parametrize("text, line, words", [
    (ALIAS, 2, "anchors and aliases"),
    (RECURSIVE, 1, "anchors and aliases"),
    (BOMB, 2, "anchors and aliases"),
    (DEEP, None, "nested too deeply"),
    (TAGGED, 1, "could not determine a constructor"),
])
def test_one_problem_with_its_line_and_no_delay(text, line, words):
    started = time.monotonic()
    source = parse_text(text, "bad.yaml")
    assert time.monotonic() - started < 2, "read at once, never expanded"
    assert source.data is None
    [problem] = source.problems
    assert (problem.file, problem.line) == ("bad.yaml", line)
    assert words in problem.message


def test_in_a_library_such_a_file_is_left_out_and_the_rest_is_read(tmp_path, write):
    good = write("good.yaml", """
        title: Good
        steps:
          - title: Roll
            say: Roll slowly.
            body_area: upper-back
            equipment: foam-roller
            work: 10s
        """)
    bad = tmp_path / "bad.yaml"
    bad.write_text(RECURSIVE)
    routines, problems = check_files([bad, good], load_context(None))
    assert list(routines) == ["good"]
    assert [str(p) for p in problems] == [
        f"{bad}:1: YAML anchors and aliases (&name, *name) are not allowed here; write the "
        "value out in full."]


def test_speech_words_of_the_wrong_kind_are_a_problem_not_a_crash(tmp_path, write):
    import routines as builtin
    from builder.errors import RoutineError
    text = (builtin.VOCABULARY_DIR / "speech.yaml").read_text().replace(
        "countdown: [one, two, three, four, five, six, seven, eight, nine, ten]", "countdown: 5")
    path = write("speech.yaml", text)
    with pytest.raises(RoutineError) as error:
        load_phrases(path)
    assert f"{path}:" in str(error.value) and "countdown: this should be a list of words." \
        in str(error.value)
