"""Tidying up: the tracks folder and the cache stay under a size cap, least recently used
first out.

What counts: the builds kept in the tracks folder (audio/kept.py; the published files are
links to them), published files that are not, and the cache's spoken phrases and encoded
islands (audio/cache.py). When they add up to more than the cap (bytes, the sizes of the
files), what was used longest ago goes first, until they fit. A build is used when it is
made and when /audio/ serves it (Shelf.used); a cache entry when a build looks it up.

Never removed: each routine's current build and the one before it (a session or download
started just before a rebuild finishes on the audio it started), every build in `in_use`
(those saved places refer to: a listener who paused last week resumes in the same audio),
and cache entries used within RECENT_S (a build running beside this one may need them).
If what is left still does not fit, a warning says so. A removed build's URL answers 410
Gone; a removed cache entry is made again when a build needs it.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Collection, Iterator
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
RECENT_S = 3600          # cache entries used this recently are left alone
CACHE_FOLDERS = ("phrases", "islands")


@dataclass(frozen=True)
class KeptBuild:
    """A build kept in the tracks folder."""

    routine: str
    build: str
    made_ns: int
    """When its cue sheet was written (ns since the epoch): the order builds were made in."""
    used_ns: int
    """When it was last made or served (its folder's modification time)."""
    size: int
    """Bytes."""


@dataclass(frozen=True)
class Tidied:
    """What tidying found and did."""

    total: int
    """Bytes counted before: kept builds, other published files and the cache."""
    removed: tuple[Path, ...]
    """Build folders and cache entries removed, least recently used first."""
    left: int
    """Bytes counted after."""


def tidy(out_dir: Path, cache_dir: Path | None, in_use: Collection[str],
         cap_bytes: int, now: float | None = None) -> Tidied:
    """Bring the tracks folder and the cache under `cap_bytes` (see the module docstring);
    `now` (seconds since the epoch) stands for the clock. Returns what was done."""
    clear_leftovers(out_dir)
    adopt_published(out_dir)
    builds = kept_builds(out_dir)
    protected = protected_builds(out_dir, builds, in_use)
    recent_ns = int(((now if now is not None else time.time()) - RECENT_S) * 1e9)
    entries = list(cache_entries(cache_dir)) if cache_dir else []
    total = sum(b.size for b in builds) + sum(size for _, size, _ in entries) \
        + unkept_bytes(out_dir)
    candidates = [(b.used_ns, b.size, b) for b in builds if b.build not in protected]
    candidates += [(used, size, path) for path, size, used in entries if used < recent_ns]
    left, removed = total, []
    for _, size, what in sorted(candidates, key=lambda c: c[0]):
        if left <= cap_bytes:
            break
        if _remove(out_dir, what):
            left -= size
            removed.append(kept_folder(out_dir, what.build) if isinstance(what, KeptBuild)
                           else what)
    if removed:
        log.info("removed %d earlier build(s) and cache entries used longest ago: %d MB "
                 "left of a %d MB cap", len(removed), left // 2**20, cap_bytes // 2**20)
    if left > cap_bytes:
        log.warning("the tracks and cache take %d MB, over the %d MB cap (MATCOACH_DISK_CAP), "
                    "and what is left is in use: current builds, the ones before them, builds "
                    "saved places refer to, and what builds used in the last hour",
                    left // 2**20, cap_bytes // 2**20)
    return Tidied(total, tuple(removed), left)


def kept_builds(out_dir: Path) -> list[KeptBuild]:
    """Every build kept in `out_dir`, oldest first."""
    found = []
    folders = (out_dir / BUILDS).iterdir() if (out_dir / BUILDS).is_dir() else []
    for folder in folders:
        if not BUILD_ID.fullmatch(folder.name):
            continue   # a `.gone-` folder, or not ours
        try:
            sizes = {p.name: p.stat() for p in folder.iterdir()}
            used = folder.stat().st_mtime_ns
        except OSError:   # removed since it was listed
            continue
        for name, info in sizes.items():
            if name.endswith(".json"):
                found.append(KeptBuild(name.removesuffix(".json"), folder.name,
                                       info.st_mtime_ns, used,
                                       sum(s.st_size for s in sizes.values())))
    return sorted(found, key=lambda kept: kept.made_ns)


def protected_builds(out_dir: Path, builds: list[KeptBuild],
                     in_use: Collection[str]) -> set[str]:
    """The builds never removed: each routine's current build and the one made before it,
    and those in `in_use`."""
    protected = set(in_use)
    for routine in {b.routine for b in builds} | {p.stem for p in out_dir.glob("*.json")}:
        current = current_builds(out_dir, routine)
        older = [b.build for b in builds if b.routine == routine and b.build not in current]
        protected |= current | set(older[-1:])
    return protected


def current_builds(out_dir: Path, name: str) -> set[str]:
    """The builds routine `name` is published as: the one its cue sheet names and the one
    its MP3 is tagged with (two only when a publish was cut short between renames)."""
    sheet = read_cue_sheet(out_dir / f"{name}.json") or {}
    return {build for build in (sheet.get("build"), read_build(out_dir / f"{name}.mp3"))
            if isinstance(build, str)}


def cache_entries(cache_dir: Path) -> Iterator[tuple[Path, int, int]]:
    """(path, bytes, last used in ns) of every complete entry of the cache."""
    for kind in CACHE_FOLDERS:
        for fan in _folders(cache_dir / kind):
            for entry in os.scandir(fan):
                if entry.name.startswith("."):
                    continue   # a write in progress (DiskCache writes ".<random>.part")
                try:
                    info = entry.stat()
                except OSError:
                    continue
                yield Path(entry.path), info.st_size, info.st_mtime_ns


def unkept_bytes(out_dir: Path) -> int:
    """Bytes of published files that are not links to a kept build."""
    total = 0
    for path in out_dir.iterdir() if out_dir.is_dir() else []:
        try:
            info = path.stat()
        except OSError:
            continue
        if path.is_file() and info.st_nlink == 1:
            total += info.st_size
    return total


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


def _remove(out_dir: Path, what: KeptBuild | Path) -> bool:
    """Remove a build (under its routine's lock: not while it is being built) or a cache
    entry; False when it could not be."""
    if isinstance(what, Path):
        try:
            what.unlink()
        except FileNotFoundError:
            return False
        return True
    with routine_lock(out_dir, what.routine, wait=False) as held:
        # Looked at again under the lock: a build published since may have made it current.
        if not held or what.build in current_builds(out_dir, what.routine):
            return False
        remove_folder(kept_folder(out_dir, what.build))
        return True


def _folders(folder: Path) -> list[Path]:
    try:
        return [Path(entry.path) for entry in os.scandir(folder) if entry.is_dir()]
    except OSError:   # no cache yet
        return []
