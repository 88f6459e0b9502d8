"""Which files a library is read from (a hostile tester's finds, issue 10): what editors
and operating systems leave beside a routine is not a routine, .YAML is YAML, and a
library's moves and vocabulary folders are not folders of routines."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import routines as builtin
from builder.library import load_context
from matcoach.cli import main

RESET = builtin.LIBRARY_DIR / "five-minute-reset.yaml"
FEET = builtin.LIBRARY_DIR / "happy-feet.yaml"
APPLE_DOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \x00\x02\xff\xfe"


def run(*args: str):
    """`matcoach ARGS`; a traceback fails the test instead of being printed."""
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """Two routines of the built-in library in a folder of their own, as an editor and a
    macOS copy leave them: an Emacs lock (a symlink to nowhere) beside the one being
    edited, and the other's metadata in ._happy-feet.yaml."""
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(RESET, folder)
    shutil.copy(FEET, folder)
    (folder / ".#five-minute-reset.yaml").symlink_to("someone@host.4242:1700000000")
    (folder / "._happy-feet.yaml").write_bytes(APPLE_DOUBLE)
    return folder


def test_editor_and_os_files_beside_routines_are_not_read(library):
    """They made `validate` fail and `list` print "2 problems in the library"."""
    assert run("validate", str(library)).output == "All 2 routines are valid.\n"
    listed = run("list", "--library", str(library))
    assert listed.exit_code == 0
    assert [line.split()[0] for line in listed.output.splitlines()[1:3]] == [
        "five-minute-reset", "happy-feet"]


def test_editor_files_in_the_moves_and_vocabulary_folders_are_not_read(library):
    shutil.copytree(builtin.MOVES_DIR, library / "moves")
    shutil.copytree(builtin.VOCABULARY_DIR, library / "vocabulary")
    for folder in ("moves", "vocabulary"):
        (library / folder / ".#calf-stretch-wall.yaml").symlink_to("someone@host.1:1")
        (library / folder / "._equipment.yaml").write_bytes(APPLE_DOUBLE)
    assert run("validate", str(library)).output == "All 2 routines are valid.\n"


@pytest.mark.parametrize("name", ["Feet.YAML", "feet.Yml"])
def test_a_routine_file_is_read_whatever_the_case_of_its_suffix(library, name):
    """Upper.YAML was silently left out of the library."""
    text = FEET.read_text(encoding="utf-8").replace("title: Happy feet", "title: Feet again")
    (library / name).write_text("id: feet-again\n" + text, encoding="utf-8")
    listed = run("list", "--library", str(library))
    assert "feet-again" in listed.output and "Feet again" in listed.output


def test_a_move_written_as_yml_is_in_the_catalog(tmp_path):
    """The catalog read only *.yaml, while the live library watched *.yml too."""
    moves = tmp_path / "lib" / "moves"
    shutil.copytree(builtin.MOVES_DIR, moves)
    (moves / "calf-stretch-wall.yaml").rename(moves / "calf-stretch-wall.YML")
    assert "calf-stretch-wall" in load_context(tmp_path / "lib").moves


@pytest.mark.parametrize(("part", "what"), [
    ("moves", "the move catalog of the library in {lib}, not a folder of routines"),
    ("vocabulary", "the vocabulary folder of the library in {lib}, not a folder of routines"),
    ("moves/calf-stretch-wall.yaml", "a move of the catalog of the library in {lib}, not "
     "a routine"),
    ("vocabulary/speech.yaml", "a vocabulary file of the library in {lib}, not a routine"),
])
def test_validating_a_library_s_moves_or_vocabulary_says_what_to_validate(part, what):
    """`validate routines/moves` checked the moves as routines: 67 errors beside the point,
    one of them a 5 KB dump of a value."""
    lib = builtin.LIBRARY_DIR
    result = run("validate", str(lib / part))
    assert result.exit_code == 1
    assert result.output == (f"{lib / part}: this is {what.format(lib=lib)}; validate the "
                             f"library folder instead (matcoach validate {lib}), which checks "
                             "its moves and vocabularies too.\n1 problem found.\n")


def test_show_says_a_move_file_is_not_a_routine():
    move = builtin.MOVES_DIR / "calf-stretch-wall.yaml"
    result = CliRunner().invoke(main, ["show", str(move)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {move}: this is a move of the catalog of the "
                                    f"library in {builtin.LIBRARY_DIR}, not a routine; ")


def test_routines_in_a_folder_named_moves_are_still_routines(tmp_path):
    """Only a library's own moves folder is its catalog: a folder of routines that happens
    to be called moves, with no library around it, is validated as routines."""
    folder = tmp_path / "moves"
    folder.mkdir()
    shutil.copy(RESET, folder)
    assert run("validate", str(folder)).output == "The routine is valid.\n"
