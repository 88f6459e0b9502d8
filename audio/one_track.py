"""A folder that holds one routine's track (a therapist's plan, built privately), and the
builder's word on it, `.builder/track.json`, written whole (renamed into place):

    {"version": 3, "state": "building" | "ready" | "failed", "done": 4, "total": 9,
     "build": "<16 hex>" (ready), "why": "..." (failed), "updated_at": unix time}

`version` is the writer's own number for what it built (a plan's version); the track
itself is laid out as in any tracks folder (audio/kept.py): `<id>.mp3 .json .vtt` and
`builds/<build>/`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from builder.lengths import read_cue_sheet
from builder.model import Routine
from builder.timeline import Chapter

from .kept import BUILD_ID, BUILDS
from .shelf import Track, work_windows
from .status import write_whole

STATUS = ".builder/track.json"


def read_track_status(folder: Path) -> dict | None:
    """The status the folder holds, or None (never built, or unreadable)."""
    try:
        status = json.loads((folder / STATUS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return status if isinstance(status, dict) else None


def write_track_status(folder: Path, status: dict) -> None:
    """Write the status whole, stamped with the time: a reader sees the old or the new."""
    write_whole(folder / STATUS, {**status, "updated_at": time.time()})


def track_in(folder: Path, routine: Routine, build: str | None = None) -> Track | None:
    """The track of `routine` (its id names the files) that `folder` keeps: build `build`
    while it is kept whole, or with None the build the published cue sheet names; None
    while there is none (not built yet, removed, or a cue sheet being replaced)."""
    if build is None:
        build = str((read_cue_sheet(folder / f"{routine.id}.json") or {}).get("build"))
    if not isinstance(build, str) or not BUILD_ID.fullmatch(build):
        return None
    kept = folder / BUILDS / build
    sheet = read_cue_sheet(kept / f"{routine.id}.json")
    audio = f"{routine.id}.mp3"
    if sheet is None or sheet.get("build") != build or not (kept / audio).is_file():
        return None
    try:
        chapters = tuple(Chapter(**chapter) for chapter in sheet["chapters"])
        work = work_windows(chapters, list(sheet.get("cues") or []))
        return Track(routine, build, int(sheet["duration_ms"]), chapters, audio, work)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None   # not a cue sheet of ours
