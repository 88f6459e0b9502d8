"""What the skill needs of listening history (issue 14), without knowing where it is kept:
the app composes a `Listening` from the plans store (matcoach/listening.py); where there
is none (AWS Lambda without a store), nothing is recorded and "how am I doing" says so.

History is the listener's (Caller.listener: the person Alexa recognised, else the
account); the AudioPlayer events that report it name only the account, so a routine's
saved place keeps whose session it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from .plans import Caller


@dataclass(frozen=True)
class Standing:
    """A listener's progress, as the voice tells it: the seven days up to now (sessions
    and whole minutes), weeks in a row kept up, whole days since the last session, and
    their therapist's plan if they have one (its title, times a week asked, last day,
    sessions still to do this week: 0 is on track, None when it asks no number or has
    ended)."""

    sessions: int
    minutes: int
    streak_weeks: int
    days_since_last: int
    plan_title: str | None = None
    times_per_week: int | None = None
    until: dt.date | None = None
    to_go: int | None = None
    today: dt.date | None = None


class HistoryUnavailable(Exception):
    """The history cannot be read just now (its store is down): said as such, never as
    having none."""


class Listening(Protocol):
    """Listening history as the skill reaches it. Failures of the store are the
    implementation's to log: playback never waits on history, nor fails with it."""

    def start(self, who: Caller, routine_id: str, build: str) -> int | None:
        """A new session of `routine_id` (build `build`) for `who.listener`, played on
        `who.account`; its id (None: it could not be recorded)."""

    def heard(self, session: int, listener: str, played_ms: int, steps: Iterable[int],
              finished: bool = False) -> bool:
        """How far session `session` of `listener` has got: `played_ms` actually heard,
        the steps done (0-based), and whether it played to its end. False when the session
        is gone (the history was deleted meanwhile): stop reporting it."""

    def ongoing(self, session: int, listener: str) -> bool:
        """Whether session `session` of `listener` is still the sitting under way (else
        carrying on with its routine starts a new session)."""

    def pain(self, session: int, listener: str, step: int | None) -> None:
        """"It hurts", at `step` of the session (None: outside the steps)."""

    def standing(self, who: Caller) -> Standing | None:
        """`who.listener`'s progress (with their plan's sessions on its page too), or None
        when they have no history; HistoryUnavailable when it cannot be read."""

    def page(self, who: Caller) -> str | None:
        """The path, under the public address, of `who.listener`'s own progress page (a
        signed link for the skill card, good for some weeks), or None when there is none."""

    def forget(self, who: Caller) -> int:
        """Delete all of `who.listener`'s history; how many sessions."""

    def forget_account(self, account: str) -> None:
        """The skill was disabled on Alexa account `account` (`user:<userId>`): delete
        every voice profile's history there."""
