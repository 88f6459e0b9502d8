"""The `matcoach` command: every subcommand of every package, in one place."""

from __future__ import annotations

import click

from audio import cli as audio_cli
from builder import cli as builder_cli


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="matcoach")
def main() -> None:
    """Mat Coach: narrated self-massage routines for the mat, a phone or a smart speaker."""


for command in (builder_cli.list_command, builder_cli.show_command,
                builder_cli.moves_command, builder_cli.validate_command,
                audio_cli.build_command):
    main.add_command(command)
