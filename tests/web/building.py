"""A library with one routine more than the built tracks have, and ways to play the
background builder: report what it is doing, publish the routine as it would."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from audio.status import BuildStatus, write_status

NEW_ID = "neck-ease"
# Sorts between the built ones, so the library's order puts it among them.
NEW_ROUTINE = """
    title: Neck ease
    summary: Warmth for a stiff neck.
    equipment: [wheat-bag]
    goals: [reduce-stress]
    intro: Sit comfortably.
    steps:
      - title: Warmth on the neck
        say: Rest the bag across your neck.
        equipment: wheat-bag
        body_area: neck
        cautions: [heat, heat-time]
        work: 8s
        lead_in: 1s
    outro: Done.
    """


def report(tracks: Path, **fields) -> None:
    """Write the status file a running builder would (written now, so it counts as live)."""
    write_status(tracks, BuildStatus(updated_at=time.time(), **fields))


def building(tracks: Path, ready_in_s: int = 50) -> None:
    """The builder is at work on the new routine, the only one left."""
    report(tracks, done=0, total=1, building=(NEW_ID,), left_s=ready_in_s,
           ready_in_s={NEW_ID: ready_in_s})


def publish(built: Path, tracks: Path) -> None:
    """Publish the new routine's track the way the builder does: the build kept under
    builds/ in one step, then the MP3 and transcript, the cue sheet last and in one step
    (its arrival makes the routine playable), then report that nothing is left to build."""
    kept = next((built / "builds").iterdir())
    shutil.copytree(kept, tracks / ".kept-new")
    (tracks / "builds").mkdir(exist_ok=True)
    os.rename(tracks / ".kept-new", tracks / "builds" / kept.name)
    for suffix in (".mp3", ".vtt"):
        shutil.copyfile(built / f"{NEW_ID}{suffix}", tracks / f"{NEW_ID}{suffix}")
    staged = tracks / f".{NEW_ID}.json.part"
    shutil.copyfile(built / f"{NEW_ID}.json", staged)
    os.replace(staged, tracks / f"{NEW_ID}.json")
    report(tracks, done=1, total=1)
