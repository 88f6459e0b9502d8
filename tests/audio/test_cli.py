"""`matcoach build` as a person uses it."""

from click.testing import CliRunner

from builder.durations import clock
from matcoach.cli import main

from .conftest import ROUTINE


def build(tmp_path, cache_dir, *args):
    env = {"MATCOACH_CACHE": str(cache_dir)}
    return CliRunner().invoke(main, ["build", *args, "--out", str(tmp_path / "out")], env=env)


def test_build_a_file_then_nothing_to_do_then_force(tmp_path, cache_dir, built):
    routine = tmp_path / "test-routine.yaml"
    routine.write_text(ROUTINE)
    first = build(tmp_path, cache_dir, str(routine))
    assert first.exit_code == 0, first.output
    assert f"Tracks in {tmp_path / 'out'}/:" in first.output
    assert summary(first.output) == ["test-routine.mp3", clock(built.track.duration_ms), "built"]
    again = build(tmp_path, cache_dir, str(routine))
    assert summary(again.output) == ["test-routine.mp3", clock(built.track.duration_ms),
                                     "unchanged"]
    forced = build(tmp_path, cache_dir, str(routine), "--force")
    assert summary(forced.output)[-1] == "built"


def summary(output: str) -> list[str]:
    """The words of the summary line for the one track built."""
    return output.split("Tracks in")[1].splitlines()[1].split()


def test_nothing_named_is_a_usage_error(tmp_path, cache_dir):
    result = build(tmp_path, cache_dir)
    assert result.exit_code == 2
    assert "Name the routines to build (ids or files), or use --all." in result.output


def test_an_unknown_id_or_invalid_file_builds_nothing(tmp_path, cache_dir):
    unknown = build(tmp_path, cache_dir, "lower-back-relase")
    assert unknown.exit_code == 1 and 'There is no routine "lower-back-relase"' in unknown.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: Bad\nsteps: []\n")
    invalid = build(tmp_path, cache_dir, str(bad))
    assert invalid.exit_code == 1
    assert f"{bad}:2: steps: this routine has no steps" in invalid.output
    assert not (tmp_path / "out").exists()


def test_a_routine_whose_cues_collide_names_the_file_step_and_cue_once(tmp_path, cache_dir):
    clash = tmp_path / "clash.yaml"
    clash.write_text("title: Clash\nsteps:\n  - title: Hold\n    say: Hold.\n    work: 10s\n"
                     "    cues:\n      halfway: true\n"
                     "      every: {interval: 4s, say: Keep breathing slowly and deeply.}\n")
    result = build(tmp_path, cache_dir, str(clash))
    assert result.exit_code == 1
    problem = f'{clash}:7: step 1 (Hold): the every ("Keep breathing slowly and deeply.") cue at 4s'
    assert result.output.count(problem) == 1
    assert "runs into the halfway cue at 5s" in result.output
    assert "clash: failed (see below)" in result.output
    assert result.output.rstrip().endswith("1 routine could not be built.")


def test_a_missing_voice_model_is_one_sentence(tmp_path, cache_dir):
    result = build(tmp_path, cache_dir, "five-minute-reset", "--voice", str(tmp_path / "x.onnx"))
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: There is no Piper voice model at "
                                      f"{tmp_path / 'x.onnx'}; give the path of a .onnx file "
                                      "with its .onnx.json beside it.")


def test_a_file_outside_the_library_is_built_with_a_note(tmp_path, cache_dir, built):
    routine = tmp_path / "test-routine.yaml"
    routine.write_text(ROUTINE)
    result = build(tmp_path, cache_dir, str(routine))
    assert result.exit_code == 0
    assert f"Note: {routine} is not in the library" in result.output


def test_a_routine_file_that_is_not_there(tmp_path, cache_dir):
    result = build(tmp_path, cache_dir, str(tmp_path / "nowhere.yaml"))
    assert result.exit_code == 1
    assert f"There is no routine file at {tmp_path / 'nowhere.yaml'}." in result.output
