"""Upkeep of the tracks folder and the cache, with what only this composing package knows:
the builds that users' saved places refer to (kept so that they resume in the same audio),
and the size cap, MATCOACH_DISK_CAP (audio/tidy.py does the tidying).

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

from .config import ConfigError, disk_cap


def upkeep(tracks: Path, cache: Path, database: Path, cap_bytes: int) -> Callable[[], None]:
    """A function that brings `tracks` and `cache` under `cap_bytes`, keeping every build a
    place in `database` names. It raises sqlite3.Error when the places cannot be read (then
    nothing is removed: which builds they need is unknown)."""
    # Imported here: every `matcoach` command imports this module, and the skill's modules
    # cost a noticeable part of a second.
    from audio.tidy import tidy
    from skill.handlers.base import builds_in_use

    def run() -> None:
        tidy(tracks, cache, builds_in_use(database), cap_bytes)

    return run


def tidying(command: click.Command) -> click.Command:
    """`matcoach build`, followed by the upkeep of the folder it wrote to and of the cache
    (with the places of this data home's database), whether every routine could be built
    or not."""
    build = command.callback
    assert build is not None

    def callback(**options):
        try:
            cap = disk_cap()
        except ConfigError as exc:   # before building: a typo should not cost a build
            raise click.ClickException(str(exc)) from exc
        try:
            return build(**options)
        finally:
            try:
                upkeep(options["out_dir"], home.cache_dir(), home.database_path(), cap)()
            except (OSError, sqlite3.Error) as exc:   # the tracks are built all the same
                click.echo(f"Warning: could not tidy {options['out_dir']} ({exc}); nothing "
                           "was removed.", err=True)

    tidy = copy.copy(command)
    tidy.callback = callback
    return tidy
