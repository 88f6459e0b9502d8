"""The list, show, moves and validate commands, as a person at a terminal uses them."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.library import content_hash, load_library
from matcoach.cli import main

LIBRARY = load_library()


@pytest.fixture
def run(tmp_path):
    """Run `matcoach ARGS` in-process with an empty tracks folder; returns the result."""
    def run(*args: str, tracks: Path | None = None):
        env = {"MATCOACH_AUDIO_DIR": str(tracks or tmp_path / "tracks")}
        return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return run


def test_list_shows_every_routine_with_an_estimated_length(run):
    result = run("list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].split() == ["ID", "TITLE", "LENGTH", "LEVEL", "EQUIPMENT"]
    for routine_id in LIBRARY.routines:
        assert any(line.startswith(routine_id + " ") for line in lines), routine_id
    assert "~ estimated length; `matcoach build` gives the exact one." in result.output


def test_list_json_has_the_fields_and_filters_by_everyday_words(run):
    result = run("list", "--json", "--equipment", "massage ball")
    rows = json.loads(result.output)
    assert rows and all("spiky-ball" in row["equipment"] for row in rows)
    assert set(rows[0]) == {"id", "title", "equipment", "body_areas", "goals", "level",
                            "duration_s", "duration_exact"}
    assert all(row["duration_exact"] is False for row in rows)


def test_list_filters_by_length_area_and_goal(run):
    everything = json.loads(run("list", "--json").output)
    short = json.loads(run("list", "--json", "--max-minutes", "6").output)
    assert short and len(short) < len(everything)
    assert all(row["duration_s"] <= 360 for row in short)
    feet = json.loads(run("list", "--json", "--area", "feet").output)
    assert feet and all("feet" in row["body_areas"] for row in feet)
    cramps = json.loads(run("list", "--json", "--goal", "cramp").output)
    assert cramps and all("leg-cramps" in row["goals"] for row in cramps)


def test_an_unknown_filter_word_says_what_is_known(run):
    result = CliRunner().invoke(main, ["list", "--equipment", "trampoline"])
    assert result.exit_code == 2
    assert '"trampoline" is not one I know. Try one of: foam-roller' in result.output


def test_a_built_routine_shows_its_exact_length(run, tmp_path):
    routine = LIBRARY.routines["lower-back-release"]
    tracks = tmp_path / "built"
    tracks.mkdir()
    sheet = {"routine": routine.id, "duration_ms": 754_321, "source": content_hash(routine),
             "chapters": [{"index": 0, "step": None, "start_ms": 0},
                          {"index": 1, "step": 0, "start_ms": 20_000}]}
    (tracks / f"{routine.id}.json").write_text(json.dumps(sheet))
    rows = {r["id"]: r for r in json.loads(run("list", "--json", tracks=tracks).output)}
    assert rows[routine.id]["duration_s"] == 754 and rows[routine.id]["duration_exact"]
    assert "12:34" in run("list", tracks=tracks).output
    shown = run("show", routine.id, tracks=tracks).output
    assert "Length: 12:34" in shown and "   0:20  1. " in shown


def test_a_stale_cue_sheet_is_not_trusted(run, tmp_path):
    tracks = tmp_path / "built"
    tracks.mkdir()
    sheet = {"duration_ms": 1000, "source": "an older version", "chapters": []}
    (tracks / "lower-back-release.json").write_text(json.dumps(sheet))
    rows = {r["id"]: r for r in json.loads(run("list", "--json", tracks=tracks).output)}
    assert rows["lower-back-release"]["duration_exact"] is False


def test_show_reads_like_a_routine_card(run):
    routine = LIBRARY.routines["lower-back-release"]
    result = run("show", routine.id)
    assert result.exit_code == 0
    text = result.output
    assert text.startswith(routine.title + "\n" + routine.summary)
    assert "Length: about " in text and "(estimated;" in text
    assert "You need: foam roller" in text
    assert f"Safety: {routine.safety}" in text
    for number, step in enumerate(routine.steps, 1):
        assert f"  {number}. {step.title}" in text
    assert "~0:" in text, "step times are marked as estimates"


def test_show_says_what_each_caution_of_a_step_says(run):
    # Newcomer trial: show printed "Cautions: heat, heat-time", ids a reader cannot use.
    text = run("show", "lower-back-release").output
    cautions = LIBRARY.context.safety.cautions
    indent = " " * 12
    assert "Cautions:" not in text and "heat, heat-time" not in text
    for caution in ("heat", "heat-time"):
        # As heard: in full at the first heat step, the short reminder at the last only.
        assert text.count(f"\n{indent}Caution: {cautions[caution].say}\n") == 1
        assert text.count(f"\n{indent}Caution: {cautions[caution].again}\n") == 1


def test_show_says_the_words_of_each_side_and_what_to_feel(run):
    # Newcomer trial: show left out first_say, switch_say and feel, so a therapist could
    # not check left and right without building the audio.
    text = run("show", "shoulder-knot-wall").output
    indent = " " * 12
    assert f"\n{indent}First side: The right side of your neck first, then the left.\n" in text
    assert f"\n{indent}Feel: A gentle stretch on the right of your neck.\n" in text
    assert (f"\n{indent}Switch: Bring your head slowly back to the middle. Now the left "
            "side: let your left shoulder sink, and tilt your head gently toward your right "
            "shoulder.\n") in text
    assert f"\n{indent}First side: Right side first.\n" in text


def test_show_lists_what_the_equipment_also_needs(run):
    # Newcomer trial: the intro asks for a thin towel; "You need" left it out.
    text = run("show", "warm-before-and-after").output
    assert "\nYou need: warm wheat bag, thin towel, foam roller, yoga mat\n" in text
    assert "\nYou need: spiky ball, wall\n" in run("show", "shoulder-knot-wall").output


def test_show_takes_a_routine_file_as_well_as_an_id(run, write):
    # Newcomer trial: `show my.yaml` said there is no routine "my.yaml" in the library.
    path = write("elsewhere/my.yaml", "title: My routine\nsummary: Mine.\nsteps:\n"
                 "  - {title: Roll, say: Roll slowly., work: 30s}\n")
    result = run("show", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("My routine\nMine.\n")
    assert "  1. Roll (30s" in result.output
    missing = CliRunner().invoke(main, ["show", str(path.with_name("gone.yaml"))])
    assert missing.exit_code == 1
    assert missing.output == f"Error: There is no routine file at {path.with_name('gone.yaml')}.\n"
    bad = write("elsewhere/bad.yaml", "title: Bad\nsteps: []\n")
    refused = CliRunner().invoke(main, ["show", str(bad)])
    assert refused.exit_code == 1 and isinstance(refused.exception, SystemExit)
    assert refused.output.splitlines() == [
        f"{bad}:2: steps: this routine has no steps; add at least one.",
        f"{bad} is not a valid routine."]


def test_show_says_in_its_help_that_it_takes_a_file(run):
    text = run("show", "--help").output
    assert "Usage: main show [OPTIONS] ID|FILE" in text and "FILE a routine file" in text


def test_show_an_unknown_routine_suggests_a_near_one(run):
    result = CliRunner().invoke(main, ["show", "lower-back-relase"])
    assert result.exit_code == 1
    assert 'There is no routine "lower-back-relase" in the library. Did you mean ' in result.output
    assert "lower-back-release" in result.output.split("Did you mean ")[1]


def test_moves_lists_the_catalog(run):
    result = run("moves")
    assert result.exit_code == 0
    for move_id in LIBRARY.context.moves:
        assert move_id in result.output


def test_validate_the_built_in_library(run):
    result = run("validate", str(LIBRARY.folder))
    assert result.exit_code == 0
    assert result.output == f"All {len(LIBRARY.routines)} routines are valid.\n"


def test_validate_reports_every_problem_of_every_file(run, write):
    good = write("good.yaml", "title: Fine\nsteps:\n  - rest: 5s\n")
    bad = write("bad.yaml", "title: Bad\nlevel: medium\nsteps:\n  - rest: soon\n")
    broken = write("broken.yaml", "title: [\n")
    result = CliRunner().invoke(main, ["validate", str(good), str(bad), str(broken)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith(f"{bad}:2: level:")
    assert lines[1].startswith(f"{bad}:4: step 1, rest:")
    assert lines[2].startswith(f"{broken}:2: this is not valid YAML")
    assert lines[-1] == "3 problems found."


def test_the_installed_command_never_shows_a_traceback(write):
    bad = write("bad.yaml", "title: Bad\nsteps: {}\n")
    command = Path(sys.executable).parent / "matcoach"
    result = subprocess.run([command, "validate", bad], capture_output=True, text=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{bad}:2: steps: steps must be a list" in result.stderr
