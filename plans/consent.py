"""Whether a plan's client lets their therapist see their progress (sessions, steps
skipped, pain reports: issue 14). Asked once, by voice when the code is said or on the
plan's private page; nothing of their progress reaches the therapist without a yes, and the
client may change their answer at any time, the same ways.

    consent = Consent(store)
    consent.answer(plan_id, True, "by voice")   # audit-logged for the plan's therapist
    store.plan(therapist_id, plan_id).progress_shared   # True, False, or None (not asked)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from . import audit
from .errors import NotFound
from .models import Plan
from .store import Store, _get

WAYS = ("by voice", "on the private page")


class Consent:
    """The clients' answers, kept on their plans in `store`; `clock` gives the time."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def answer(self, plan_id: int, shared: bool, way: str) -> None:
        """Record the client's answer for the plan (`way`: one of WAYS), in its therapist's
        audit log. NotFound for a plan that does not exist (deleted meanwhile)."""
        if way not in WAYS:
            raise ValueError(f"unknown way of answering {way!r}")
        now = self.clock()
        with self.store.transaction() as session:
            plan = _get(session, Plan, plan_id)
            if plan is None:
                raise NotFound("no such plan")
            plan.progress_shared, plan.progress_answered_at = bool(shared), now
            audit.record(session, plan.client.therapist_id,
                         "progress_shared" if shared else "progress_withheld",
                         f"plan {plan.id}, {way}", now)


__all__ = ["WAYS", "Consent"]
