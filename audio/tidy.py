"""Tidying the tracks folder: kept builds that no one can need any more are removed.

Kept, for each routine: its current build, the one before it (a session or download
started just before a rebuild finishes on the audio it started), and every build in
`in_use` (the builds saved places refer to: a listener who paused last week resumes at the
same offset of the same audio). Any other build is removed whole, and its URL answers
410 Gone from then on.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from builder.lengths import read_cue_sheet

from .kept import (
    BUILD_ID,
    BUILDS,
    STAGING,
    clear_leftovers,
    is_kept,
    keep,
    kept_folder,
    published_build,
    remove_folder,
    routine_lock,
)
from .tags import read_build

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptBuild:
    """A build kept in the tracks folder."""

    routine: str
    build: str
    made_ns: int
    """When its cue sheet was written (ns since the epoch): the order builds were made in."""

    def folder(self, out_dir: Path) -> Path:
        """Where it is kept."""
        return kept_folder(out_dir, self.build)


def kept_builds(out_dir: Path) -> list[KeptBuild]:
    """Every build kept in `out_dir`, oldest first."""
    found = []
    folders = (out_dir / BUILDS).iterdir() if (out_dir / BUILDS).is_dir() else []
    for folder in folders:
        if not BUILD_ID.match(folder.name):
            continue   # a `.gone-` folder, or not ours
        for sheet in folder.glob("*.json"):
            try:
                made = sheet.stat().st_mtime_ns
            except OSError:   # removed since it was listed
                continue
            found.append(KeptBuild(sheet.stem, folder.name, made))
    return sorted(found, key=lambda kept: kept.made_ns)


def current_builds(out_dir: Path, name: str) -> set[str]:
    """The builds routine `name` is published as: the one its cue sheet names and the one
    its MP3 is tagged with (two only when a publish was cut short between renames)."""
    sheet = read_cue_sheet(out_dir / f"{name}.json") or {}
    return {build for build in (sheet.get("build"), read_build(out_dir / f"{name}.mp3"))
            if build}


def prune(out_dir: Path, in_use: Collection[str]) -> list[KeptBuild]:
    """Keep every published build, adopting those published before builds were kept;
    remove the kept builds no one needs (see the module docstring). A routine being built
    is left for the next time. Returns what was removed."""
    clear_leftovers(out_dir)
    adopt_published(out_dir)
    by_routine: dict[str, list[KeptBuild]] = {}
    for kept in kept_builds(out_dir):
        by_routine.setdefault(kept.routine, []).append(kept)
    removed = []
    for routine, builds in by_routine.items():
        with routine_lock(out_dir, routine, wait=False) as held:
            if not held:
                continue
            current = current_builds(out_dir, routine)
            older = [kept for kept in builds if kept.build not in current]
            previous = {kept.build for kept in older[-1:]}
            for kept in older:
                if kept.build not in previous and kept.build not in in_use:
                    remove_folder(kept.folder(out_dir))
                    removed.append(kept)
    if removed:
        log.info("removed %d earlier build(s) no saved place refers to", len(removed))
    return removed


def adopt_published(out_dir: Path) -> None:
    """Keep each routine's published build if it is not kept yet (tracks published before
    builds were kept), so that its URL goes on working after the next build."""
    for sheet in out_dir.glob("*.json"):
        name = sheet.stem
        build = published_build(out_dir, name)
        if build is None or is_kept(out_dir, build, name):
            continue
        with routine_lock(out_dir, name, wait=False) as held:
            if not held or published_build(out_dir, name) != build:
                continue
            # Named like a build's staging, so the next build clears it if this is killed.
            work = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=out_dir / STAGING))
            try:
                keep(out_dir, out_dir, name, build, work)
            finally:
                shutil.rmtree(work, ignore_errors=True)
