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
