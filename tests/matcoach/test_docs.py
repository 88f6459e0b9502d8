"""Every command of the `matcoach` CLI is documented in the README, so they cannot drift."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from matcoach.cli import main

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_each_command_is_in_the_readme(name):
    assert f"`matcoach {name}" in README


@pytest.mark.parametrize("name", sorted(main.commands))
def test_each_command_has_help(name):
    assert main.commands[name].help


def test_the_example_routine_in_the_readme_is_valid(tmp_path):
    """A newcomer copies it first: it must validate without a problem or warning."""
    start = README.index("```yaml\n", README.index("## Writing a routine")) + len("```yaml\n")
    path = tmp_path / "readme-example.yaml"
    path.write_text(README[start:README.index("```\n", start)], encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert (result.exit_code, result.output) == (0, "The routine is valid.\n")
