"""Upkeep of the tracks folder, with what only this composing package knows: the builds
that users' saved places refer to (kept so that they resume in the same audio).

Run by the background builder after each build and now and then while idle
(matcoach/builds.py), and after `matcoach build`.
"""

from __future__ import annotations

import copy
import sqlite3
from collections.abc import Callable
from pathlib import Path

import click

from builder import home


def upkeep(tracks: Path, database: Path) -> Callable[[], None]:
    """A function that tidies `tracks`, keeping every build a place in `database` names."""
    # Imported here: every `matcoach` command imports this module, and the skill's modules
    # cost a noticeable part of a second.
    from audio.tidy import prune
    from skill.handlers.base import builds_in_use

    def run() -> None:
        prune(tracks, builds_in_use(database))

    return run


def tidying(command: click.Command) -> click.Command:
    """`matcoach build`, followed by the upkeep of the folder it wrote to (with the places
    of this data home's database), whether every routine could be built or not."""
    build = command.callback
    assert build is not None

    def callback(**options):
        try:
            return build(**options)
        finally:
            try:
                upkeep(options["out_dir"], home.database_path())()
            except (OSError, sqlite3.Error) as exc:   # the tracks are built all the same
                click.echo(f"Warning: could not tidy {options['out_dir']} ({exc}); earlier "
                           "builds are kept until the next build.", err=True)

    tidy = copy.copy(command)
    tidy.callback = callback
    return tidy
