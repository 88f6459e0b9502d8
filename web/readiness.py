"""Which routines can be played yet, and what the pages say about the ones that cannot.

A routine of the library is in one of four states: ready (its track is published), waiting
(a builder is running and will build it), failed (the running builder could not build it)
or unbuilt (no builder is running, so it will not be built until someone starts one).
"""

from __future__ import annotations

from dataclasses import dataclass

from audio.status import BuildStatus
from builder.render import wait_words

READY, WAITING, FAILED, UNBUILT = "ready", "waiting", "failed", "unbuilt"
REASON_CHARS = 160
"""A failure's reason is cut to this many characters: a line on a card, not a log."""


@dataclass(frozen=True)
class Readiness:
    """Whether a routine can be played, and if not, when or why not."""

    state: str
    """READY, WAITING, FAILED or UNBUILT."""
    ready_in_s: int | None = None
    """About how many seconds until it is playable (WAITING only; None: not known)."""
    reason: str | None = None
    """Why it could not be built, in brief (FAILED only)."""

    @property
    def ready(self) -> bool:
        """Whether the routine can be played now."""
        return self.state == READY

    @property
    def wait(self) -> str | None:
        """"ready in about a minute" while waiting, else None."""
        return f"ready {wait_words(self.ready_in_s)}" if self.state == WAITING else None

    @property
    def text(self) -> str:
        """The state in one line for a person: "Being prepared — ready in about a minute"."""
        if self.state == WAITING:
            return f"Being prepared — {self.wait}"
        if self.state == FAILED:
            return f"Could not be built: {self.reason}"
        return "Not built yet" if self.state == UNBUILT else "Ready to play"


def readiness(routine_id: str, built: bool, status: BuildStatus | None) -> Readiness:
    """The readiness of one routine, given whether its track is published and what the
    builder reports (None when no builder is running)."""
    if built:
        return Readiness(READY)
    if status is None:
        return Readiness(UNBUILT)
    if routine_id in status.failed:
        return Readiness(FAILED, reason=brief(status.failed[routine_id]))
    # A routine the builder has not listed yet (its file just appeared) is still on its way.
    return Readiness(WAITING, ready_in_s=status.ready_in_s.get(routine_id))


def progress_text(status: BuildStatus | None) -> str | None:
    """"Building 3 of 14 — all ready in about 2 minutes", or None when nothing is built."""
    if status is None or not status.waiting():
        return None
    number = status.done + 1
    return (f"Building {number} of {max(status.total, number)} — "
            f"all ready {wait_words(status.left_s)}")


def brief(reason: str) -> str:
    """The first line of a failure's reason, at most REASON_CHARS long (an encoder's error
    carries its whole stderr, which is for the log, not for a card)."""
    line = (reason.strip().splitlines() or [""])[0].strip() or "no reason was given"
    if len(line) > REASON_CHARS:
        line = line[:REASON_CHARS - 1].rstrip() + "…"
    return line.rstrip(".")
