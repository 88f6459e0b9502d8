"""What the background builder is doing, in a small JSON file in the tracks folder.

The one build process (`matcoach serve` starts it) writes the file atomically whenever
something changes and at least every HEARTBEAT_S seconds; every server worker reads it to
show progress and to say which routines are still being prepared. A file older than
STALE_S means no builder is running (it was stopped or killed).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

# In a folder of its own: writing it must not change the tracks folder's mtime, which is
# how the shelf notices a publish with one stat().
STATUS_FILE = ".builder/status.json"
HEARTBEAT_S = 5.0
STALE_S = 15.0


@dataclass(frozen=True)
class BuildStatus:
    """The builder's state: which routines it is building and when each should be ready."""

    done: int = 0
    """Routines built (or found current) since the builder last had nothing to do."""
    total: int = 0
    """done + building + queued."""
    building: tuple[str, ...] = ()
    queued: tuple[str, ...] = ()
    """Routine ids waiting, in the order they will be built."""
    failed: dict[str, str] = field(default_factory=dict)
    """Routine id -> why it could not be built (one sentence)."""
    left_s: int | None = None
    """About how long until everything queued is built, in seconds (None: not known yet)."""
    ready_in_s: dict[str, int] = field(default_factory=dict)
    """Routine id -> about how many seconds until it is playable."""
    updated_at: float = 0.0
    """Unix time of the last write."""
    stopped: bool = False
    """The builder has shut down."""
    library: str | None = None
    """The library folder the builder builds from (None: the built-in library). A server
    on another library sharing these tracks is not served by this builder."""

    def live(self, now: float | None = None) -> bool:
        """Whether a builder is running (it wrote lately and has not said it stopped)."""
        now = time.time() if now is None else now
        return not self.stopped and now - self.updated_at < STALE_S

    def waiting(self) -> tuple[str, ...]:
        """Every routine not yet built that the builder will build: now, then queued."""
        return self.building + self.queued


def write_status(folder: Path, status: BuildStatus) -> None:
    """Replace the status file in `folder` in one step (readers never see half of it)."""
    write_whole(folder / STATUS_FILE, asdict(status))


def write_whole(target: Path, data: dict) -> None:
    """`data` as JSON in `target`, replaced in one step: written to a file of its own
    beside it, then renamed over it (its folder is made if need be)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".status-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def read_status(folder: Path) -> BuildStatus | None:
    """The status in `folder`, or None when there is none (or it cannot be read)."""
    try:
        data = json.loads((folder / STATUS_FILE).read_text(encoding="utf-8"))
        return BuildStatus(**{**data, "building": tuple(data.get("building", ())),
                              "queued": tuple(data.get("queued", ()))})
    except (OSError, ValueError, TypeError):
        return None
