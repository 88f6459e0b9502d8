"""Listening history as the skill reaches it (skill/progress.py's Listening), kept in the
plans store (plans/history.py) and told as progress (plans/progress.py).

History never holds playback up: a store that fails is logged, and the routine plays on
unrecorded.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable

from sqlalchemy.exc import SQLAlchemyError

from plans import PlansError, Store
from plans.codes import Codes
from plans.errors import NotFound
from plans.history import LONGEST_MS, History
from plans.models import digest
from plans.progress import Schedule, progress
from skill.plans import Caller, plan_number
from skill.progress import HistoryUnavailable, Standing
from web.listener_progress import progress_path

log = logging.getLogger(__name__)
FAILED = (PlansError, SQLAlchemyError)


class StoreListening:
    """Sessions kept in `store`; `clock` gives the time (aware, UTC)."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime] | None = None,
                 secret: Callable[[], str | bytes | None] = lambda: None) -> None:
        self.history = History(store, clock)
        self.secret = secret   # the app's SECRET_KEY, which signs the progress page's link
        self.codes = Codes(store, clock)
        self.clock = self.history.clock

    def start(self, who: Caller, routine_id: str, build: str) -> int | None:
        """See Listening.start. A plan's session names its plan (the skill plays a plan
        only for its listener), so its therapist may see it, with consent."""
        try:
            return self.history.start(who.listener, routine_id, build,
                                      plan_number(routine_id), who.account)
        except FAILED as exc:   # the plan deleted this moment, or the store is down
            log.warning("a session of %s was not recorded: %s", routine_id, exc)
            return None

    def heard(self, session: int, listener: str, played_ms: int, steps: Iterable[int],
              finished: bool = False) -> bool:
        """See Listening.heard (a report of more than a day is kept as a day)."""
        try:
            self.history.heard(session, listener, min(played_ms, LONGEST_MS), steps)
            if finished:
                self.history.finish(session, listener)
        except NotFound:
            return False
        except FAILED as exc:
            log.warning("listening session %s not updated: %s", session, exc)
        return True

    def ongoing(self, session: int, listener: str) -> bool:
        """See Listening.ongoing (a store that fails: a new session, as if it were not)."""
        try:
            return self.history.ongoing(session, listener)
        except FAILED as exc:
            log.warning("listening session %s not read: %s", session, exc)
            return False

    def pain(self, session: int, listener: str, step: int | None) -> None:
        """See Listening.pain."""
        try:
            self.history.pain(session, listener, step)
        except FAILED as exc:
            log.warning("a pain report of session %s was not recorded: %s", session, exc)

    def standing(self, who: Caller) -> Standing | None:
        """See Listening.standing: the listener's sessions and their plan's (played on its
        private page too); the streak against the plan's schedule when they have one."""
        try:
            return self._standing(who)
        except FAILED as exc:
            log.warning("progress not read: %s", exc)
            raise HistoryUnavailable(str(exc)) from exc

    def _standing(self, who: Caller) -> Standing | None:
        plans = self.codes.plans_for(who.listener, who.account)   # the one said last first
        sessions = self.history.of_listener(digest(who.listener), [p.id for p in plans])
        plan = plans[0] if plans else None
        of_plan = [s for s in sessions if plan is not None and s.plan_id == plan.id]
        if not sessions:
            return None
        now = self.clock()
        overall = progress(sessions, now, weeks=1)
        if overall.last_at is None:   # only starts that never got going
            return None
        if plan is None:
            return Standing(overall.this_week.sessions, overall.this_week.minutes,
                            overall.streak_weeks, overall.days_since_last() or 0,
                            today=now.date())
        schedule = Schedule(plan.times_per_week, plan.until)
        planned = progress(of_plan, now, schedule, weeks=1)
        return Standing(overall.this_week.sessions, overall.this_week.minutes,
                        planned.streak_weeks, overall.days_since_last() or 0, plan.title,
                        plan.times_per_week, plan.until, planned.to_go, now.date())

    def page(self, who: Caller) -> str | None:
        """See Listening.page (web/listener_progress.py serves it)."""
        secret = self.secret()
        return progress_path(secret, who.listener) if secret else None

    def forget(self, who: Caller) -> int:
        """See Listening.forget: their sessions, and their plans' (on its page too)."""
        plans = self.codes.plans_for(who.listener, who.account)
        return self.history.forget_listener(digest(who.listener), [p.id for p in plans])

    def forget_account(self, account: str) -> None:
        """See Listening.forget_account: the history of every voice profile there."""
        self.history.forget_account(account)
