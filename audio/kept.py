"""Builds kept in the tracks folder, so that a track URL names bytes that never change.

    <id>.mp3 .json .vtt              the routine's current build (contract 2), hard links to
    builds/<build>/<id>.mp3 .json .vtt  every build kept: whole or absent, never changed

A listener's saved offset and a podcast app's half-finished download both belong to one
build. Replacing `<id>.mp3` in place served them the new build's bytes under the old one's
name (a resumed download spliced two encodings; a resumed session landed elsewhere), so a
URL names a build folder, `/audio/<build>/<id>.mp3`, and a folder is written once, by
renaming a complete one into place, and removed only whole. Publishing links the kept files
into the current names, so the current build costs no second copy.

Every change to a routine's files (publishing, keeping, removing) happens under that
routine's lock, `.partial/<id>.lock`, so a build and a tidy-up never cross. A kill -9 at
any moment leaves every kept build whole and the published files those of a kept build
(or, between two renames, an MP3 and cue sheet that disagree: the shelf then serves the
kept build the cue sheet names, and the next build finishes publishing).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from builder.lengths import read_cue_sheet

from .tags import read_build

BUILDS = "builds"
STAGING = ".partial"   # never served: the web app serves only named tracks and builds
SUFFIXES = (".mp3", ".vtt", ".json")   # publishing order: the cue sheet, last, names the build
BUILD_ID = re.compile(r"^[0-9a-f]{16}$")
GONE_PREFIX = ".gone-"


def kept_folder(out_dir: Path, build: str) -> Path:
    """Where build `build` is kept."""
    return out_dir / BUILDS / build


def is_kept(out_dir: Path, build: str, name: str) -> bool:
    """Whether build `build` of routine `name` is kept whole."""
    folder = kept_folder(out_dir, build)
    return all((folder / f"{name}{suffix}").is_file() for suffix in SUFFIXES)


def published_build(out_dir: Path, name: str) -> str | None:
    """The build a routine's published MP3 and cue sheet both name (None when they are
    missing or disagree)."""
    sheet = read_cue_sheet(out_dir / f"{name}.json") or {}
    build = sheet.get("build")
    return build if build and read_build(out_dir / f"{name}.mp3") == build else None


@contextlib.contextmanager
def routine_lock(out_dir: Path, name: str, wait: bool = True) -> Iterator[bool]:
    """Hold routine `name`'s lock; yields False without it when `wait` is False and
    another process holds it (a build in progress)."""
    parent = out_dir / STAGING
    parent.mkdir(parents=True, exist_ok=True)
    with open(parent / f"{name}.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        yield True


def keep(source: Path, out_dir: Path, name: str, build: str, work: Path) -> Path:
    """Keep the files `source/<name>.*` as build `build`, unless it is kept already (the
    first one kept stays: a build's bytes never change), and return its folder. `work` is a
    private folder on the same file system. Call with the routine's lock held."""
    target = kept_folder(out_dir, build)
    if is_kept(out_dir, build, name):
        return target
    if target.exists():   # not whole: not one of ours, or damaged by hand; make it again
        remove_folder(target)
    holding = Path(tempfile.mkdtemp(prefix="kept-", dir=work))
    for suffix in SUFFIXES:
        _link_or_copy(source / f"{name}{suffix}", holding / f"{name}{suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    # One rename: the folder appears whole, or not at all.
    os.rename(holding, target)
    return target


def publish(stage: Path, out_dir: Path, name: str, build: str) -> None:
    """Make the files staged in `stage` routine `name`'s current build: kept first (as is
    the build they replace, if it was published before builds were kept), then linked into
    the published names one rename at a time. Call with the routine's lock held."""
    outgoing = published_build(out_dir, name)
    if outgoing and outgoing != build:
        keep(out_dir, out_dir, name, outgoing, stage)
    folder = keep(stage, out_dir, name, build, stage)
    for suffix in SUFFIXES:
        linked = stage / f".{name}{suffix}.publish"
        _link_or_copy(folder / f"{name}{suffix}", linked)
        os.replace(linked, out_dir / f"{name}{suffix}")


def remove_folder(folder: Path) -> None:
    """Remove a kept build's folder whole: renamed out of the way first (its URL is gone at
    once, and a kill -9 leaves a `.gone-` folder, cleared later, never half a build)."""
    aside = folder.parent / f"{GONE_PREFIX}{folder.name}-{os.getpid()}"
    try:
        os.rename(folder, aside)
    except FileNotFoundError:
        return
    shutil.rmtree(aside, ignore_errors=True)


def clear_leftovers(out_dir: Path) -> None:
    """Remove what a removal killed half-way left (`.gone-` folders)."""
    for leftover in (out_dir / BUILDS).glob(f"{GONE_PREFIX}*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _link_or_copy(source: Path, target: Path) -> None:
    """A hard link (no second copy, and atomic); a copy where the file system has none."""
    try:
        os.link(source, target)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
        shutil.copy2(source, target)
