"""Every command of the `matcoach` CLI is documented in the README, so they cannot drift."""

from pathlib import Path

import pytest

from matcoach.cli import main

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_each_command_is_in_the_readme(name):
    assert f"`matcoach {name}" in README


@pytest.mark.parametrize("name", sorted(main.commands))
def test_each_command_has_help(name):
    assert main.commands[name].help
