"""Routine files that once crashed or hung whatever read them (a server, the builder,
validate): each is now one problem with its file and line, under both YAML parsers.
How fast any file is read is measured by bench/fuzz_bench.py, not here."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

import builder.yamlsource as yamlsource
from builder.library import check_files, load_context
from builder.limits import MAX_DEPTH, MAX_FILE_BYTES
from builder.phrases import load_phrases
from builder.yamlsource import parse_text, read_source

ALIAS = "title: &t Neck\nsummary: *t\nsteps: []\n"
RECURSIVE = "title: &a [*a]\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
    for i in range(8))
DEEP_FLOW = "a: " + "[" * 5000 + "]" * 5000 + "\n"
DEEP_BLOCK = "".join("  " * i + f"k{i}:\n" for i in range(40)) + "  " * 40 + "x\n"
DEEP_DASHES = "- " * 1000 + "x\n"
TAGS = "tags such as"
NO_CHARACTER = "names no character that can be written"


@pytest.fixture(params=["C", "pure-Python"])
def parser(request, monkeypatch):
    """Each test runs under PyYAML's C parser (used where the wheel has it) and its
    pure-Python one (the fallback), which must refuse the same files the same way."""
    if request.param == "C" and not hasattr(yaml, "CSafeLoader"):
        pytest.fail("this PyYAML wheel has no C parser (libyaml); install one that has")
    chosen = yaml.CSafeLoader if request.param == "C" else yaml.SafeLoader
    monkeypatch.setattr(yamlsource, "_Parser", chosen)
    return chosen


@pytest.mark.parametrize("text, line, words", [
    (ALIAS, 2, "aliases (*name) are not allowed"),
    (RECURSIVE, 1, "aliases (*name) are not allowed"),
    (BOMB, 2, "aliases (*name) are not allowed"),
    ("a: &a {x: 1}\nb:\n  <<: *a\n", 3, "merge keys (<<) are not allowed"),
    ("b:\n  <<: {x: 1}\n  y: 2\n", 2, "merge keys (<<) are not allowed"),
    (DEEP_FLOW, 1, f"nested more than {MAX_DEPTH} levels deep"),
    (DEEP_BLOCK, 33, f"nested more than {MAX_DEPTH} levels deep"),
    (DEEP_DASHES, 1, f"nested more than {MAX_DEPTH} levels deep"),
    ("title: !!python/name:os.system x\n", 1, 'tags such as "!!python/name:os.system"'),
    ("title: !foo x\n", 1, TAGS),
    ("work: !!int nope\n", 1, TAGS),
    ("title: !!binary aGVsbG8=\n", 1, TAGS),
    ("steps: !!set {a, b}\n", 1, TAGS),
    ("title: Neck\nsay: a\x00b\n", 2, "the character U+0000 cannot be in a YAML file"),
    ("title: a\x1bb\n", 1, "the character U+001B cannot be in a YAML file"),
    ('title: "Half \\ud800 a pair"\n', 1, NO_CHARACTER),
    ('title: ok\nsay: "\\ud83d\\ude00"\n', 2, NO_CHARACTER),
    ('title: "\\U00110000"\n', 1, NO_CHARACTER),
    ("? [a, b]\n: c\n", 1, "a key must be a plain word"),
    ("title: A\n---\ntitle: B\n", 2, "more than one YAML document"),
    ("title: 'unclosed\n", 2, "this is not valid YAML"),
])
def test_one_problem_with_its_line(parser, text, line, words):
    source = parse_text(text, "bad.yaml")
    assert source.data is None
    [problem] = source.problems
    assert (problem.file, problem.line) == ("bad.yaml", line)
    assert words in problem.message


def test_plain_data_reads_as_before(parser):
    source = parse_text("title: &t Neck\nwork: 45\nrest: 1.5\nok: true\nnone: ~\n"
                        "quoted: '45'\nlist: [a, {b: 2}]\n", "good.yaml")
    assert source.problems == []
    assert source.data == {"title": "Neck", "work": 45, "rest": 1.5, "ok": True,
                           "none": None, "quoted": "45", "list": ["a", {"b": 2}]}
    assert source.lines[("list", 1, "b")] == 7


PLAIN_VALUES = [
    # (written plainly, read as): what an author means, not what YAML 1.1 made of it
    ("010", 10), ("08", 8), ("017", 17), ("+5", 5), ("-3", -3), ("0", 0),    # 010 was 8
    ("2.5", 2.5), (".5", 0.5), ("1.", 1.0),
    ("true", True), ("False", False), ("TRUE", True), ("~", None), ("null", None), ("", None),
    ("0x10", "0x10"), ("0b11", "0b11"), ("0o17", "0o17"), ("1_000", "1_000"),   # 16, 3, 1000
    ("190:20:30", "190:20:30"), ("1:30", "1:30"), ("1:30.5", "1:30.5"),        # 685230, 90
    ("1.0e+40", "1.0e+40"), ("1e40", "1e40"), (".inf", ".inf"), (".NaN", ".NaN"),
    ("yes", "yes"), ("No", "No"), ("on", "on"), ("OFF", "OFF"), ("y", "y"),
    ("2001-12-14", "2001-12-14"), ("2001-12-14 21:59:43.10 -5", "2001-12-14 21:59:43.10 -5"),
    ("=", "="), ("１０", "１０"), ("²", "²"), ("٣", "٣"),
]


@pytest.mark.parametrize(("written", "value"), PLAIN_VALUES, ids=[w for w, _ in PLAIN_VALUES])
def test_plain_values_are_read_as_an_author_means_them(parser, written, value):
    """Issue 10: `work: 010` gave 8 s, `0x10` 16 s, `1_000` 16m40s, and `190:20:30` was
    refused as "685230": YAML 1.1 reads octal, hex, underscores and base 60. Now only
    decimal digits make a number, and the rest stays text, quoted as written."""
    source = parse_text(f"a: {written}\nb: '{written}'\n", "r.yaml")
    assert source.problems == []
    assert source.data["a"] == value and type(source.data["a"]) is type(value)
    assert source.data["b"] == written      # quoted: always the text


def test_a_number_too_large_to_hold_is_refused_with_its_line(parser):
    for big in ("1" * 5000, "1" * 400 + ".5"):
        [problem] = parse_text(f"title: T\nwork: {big}\n", "r.yaml").problems
        assert str(problem) == f"r.yaml:2: '{big[:40]}' cannot be read as a value; put " \
            "quotes around text."


def test_a_repeated_key_is_named_at_the_repeat(parser):
    source = parse_text("title: A\nsay: x\ntitle: B\n", "r.yaml")
    assert source.data["title"] == "B"
    assert [str(p) for p in source.problems] == [
        "r.yaml:3: title: this key appears twice; keep one of them."]


def test_nesting_deep_enough_to_crash_the_c_composer_is_refused_in_a_child_process():
    """100,000 nested '[' in a 200 KB file once crashed the process (segmentation fault)
    inside PyYAML's C composer. Such a file is now refused for its size; 60,000 in 120 KB
    fits, and is refused for its depth. Run in a child, so a crash fails this test, not
    the run."""
    code = ("from builder.yamlsource import parse_text\n"
            "text = 'a: ' + '[' * 60_000 + ']' * 60_000\n"
            "print(parse_text(text, 'deep.yaml').problems[0])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(yamlsource.__file__)))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("deep.yaml:1: this is nested more than 32 levels deep")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as stream:
        stream.truncate(50 * 1024 * 1024)     # 50 MB, sparse: costs no disk
    [problem] = read_source(big).problems
    assert str(problem) == f"{big}: the file is larger than 128 KB, the most a YAML file " \
        "here may be."
    at_limit = tmp_path / "at-limit.yaml"
    at_limit.write_bytes(b"title: " + b"x" * (MAX_FILE_BYTES - len(b"title: ")))
    assert read_source(at_limit).problems == []


def test_bytes_that_are_not_utf8_are_named_with_their_line(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: Neck\nsay: Caf\xe9\n".encode("latin-1"))
    assert [str(p) for p in read_source(path).problems] == [
        f"{path}:2: this is not UTF-8 text (byte 0xe9); save the file as UTF-8."]


def test_a_folder_is_not_read_as_a_file(tmp_path):
    folder = tmp_path / "x.yaml"
    folder.mkdir()
    assert [str(p) for p in read_source(folder).problems] == [
        f"{folder}: this is a folder, not a YAML file."]


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
        f"{bad}:1: YAML aliases (*name) are not allowed here; write the "
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


def test_reading_keeps_nothing_behind(parser):
    """PyYAML's construct_object() keeps every node it builds in its loader: through the
    one shared loader, a server reloading its library grew without end. Scalars are now
    built without any loader, and none is kept between reads."""
    for _ in range(3):
        parse_text("title: Neck\nwork: 45\nok: true\n", "r.yaml")
    kept = [name for name, value in vars(yamlsource).items()
            if isinstance(value, yaml.constructor.BaseConstructor)]
    assert kept == []


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    """Opening a FIFO waits for a writer: one in a library once hung every command and
    froze a server. Run in a child, so a hang fails this test instead of the run."""
    fifo = tmp_path / "x.yaml"
    os.mkfifo(fifo)
    code = ("import sys; from builder.yamlsource import read_source\n"
            "print(read_source(__import__('pathlib').Path(sys.argv[1])).problems[0])\n")
    done = subprocess.run([sys.executable, "-c", code, str(fifo)], capture_output=True,
                          text=True, timeout=60,
                          cwd=os.path.dirname(os.path.dirname(yamlsource.__file__)))
    assert done.stdout == f"{fifo}: this is not a regular file (a pipe, device or socket); " \
        "give a YAML file.\n", done.stderr
