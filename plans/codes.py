"""Share codes: six digits a therapist reads out to a client, who says them to the speaker
("Alexa, ask Mat Coach for code four eight one five one six"); the plan then belongs to
whoever said it, and the code opens nothing for anybody else.

    codes = Codes(store)
    code = codes.issue(therapist_id, plan_id)         # "048151", for 14 days
    plan = codes.redeem("048151", listener)           # listener: the Alexa person or user
    codes.plan_for(listener)                          # that plan, from then on

Listeners are kept only as SHA-256 digests. Guessing is limited where every worker counts
alike (the database): per listener, and for everybody at once, since Alexa's requests all
come from Amazon's addresses. With a thousand live codes a guess finds one in a thousand;
EVERYONE's 60 wrong codes an hour make finding any unredeemed code about a 6 % chance an
hour for the whole world together, and a code found that way is a plan's audio, which its
therapist takes back by issuing a new code.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from . import audit
from .errors import NotFound, Taken, TooManyAttempts
from .limits import Limit
from .models import ShareCode, aware, digest
from .store import ID_MAX, PlanView, Store, _owned_plan, _plan_view

DIGITS = 6
LIFETIME = dt.timedelta(days=14)
PER_LISTENER = Limit("code_listener", 5, dt.timedelta(minutes=15))
EVERYONE = Limit("code_everyone", 60, dt.timedelta(hours=1))
_ANYONE = "everyone"


@dataclass(frozen=True)
class CodeView:
    code: str
    """Six digits, as said: leading zeros kept."""
    expires_at: dt.datetime
    linked: bool
    """Said to a speaker already: it opens nothing for anybody else."""


class Codes:
    """The share codes kept in `store`; `clock` gives the time (aware, UTC)."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def issue(self, therapist_id: int, plan_id: int) -> CodeView:
        """A new code for the therapist's plan, valid for LIFETIME; the plan's earlier code
        stops working, whoever said it no longer has the plan, and the client's answer
        about sharing their progress is asked again."""
        now = self.clock()
        with self.store.transaction() as session:
            plan = _owned_plan(session, therapist_id, plan_id)
            session.execute(delete(ShareCode).where(ShareCode.plan_id == plan.id))
            session.flush()
            # Whoever says the new code is asked again (plans/consent.py): it may not be
            # the person who said yes to sharing their progress.
            plan.progress_shared = plan.progress_answered_at = None
            code = ShareCode(plan_id=plan.id, code=_fresh(session, now),
                             expires_at=now + LIFETIME)
            session.add(code)
            audit.record(session, therapist_id, "code_issued", f"plan {plan.id}", now)
            return CodeView(code.code, code.expires_at, False)

    def current(self, therapist_id: int, plan_id: int) -> CodeView | None:
        """The plan's code: one that has not expired, or one said on a speaker (which keeps
        the plan however long ago that was)."""
        with self.store.transaction() as session:
            plan = _owned_plan(session, therapist_id, plan_id)
            code = session.scalar(select(ShareCode).where(ShareCode.plan_id == plan.id))
            if code is None or (code.listener is None and
                                aware(code.expires_at) <= self.clock()):
                return None
            return CodeView(code.code, aware(code.expires_at), code.listener is not None)

    def redeem(self, said: str, listener: str, account: str | None = None) -> PlanView:
        """The plan whose code was said by `listener` (an Alexa person or user id) on
        `account` (the Alexa user id; default: the listener), now theirs. TooManyAttempts
        while the listener or everybody has said too many wrong codes; NotFound for a code
        that is not live; Taken for one another listener said first. Saying one's own
        code again is fine (on a new account id too: a skill enabled again gets one)."""
        now = self.clock()
        who = digest(str(listener))
        with self.store.transaction() as session:
            wait = max(PER_LISTENER.retry_after(session, who, now),
                       EVERYONE.retry_after(session, _ANYONE, now))
            if wait:
                raise TooManyAttempts("Too many codes have been tried.", wait)
            code = session.scalar(select(ShareCode).where(ShareCode.code == said))
            live = code is not None and aware(code.expires_at) > now
            if live and code.listener in (None, who):
                if code.listener is None:
                    code.listener, code.linked_at = who, now
                code.account = digest(str(account or listener))
                return _plan_view(code.plan)
            PER_LISTENER.count(session, who, now)
            EVERYONE.count(session, _ANYONE, now)
            taken = live
        # Counted (committed) before saying no, so that a refusal cannot be retried free.
        if taken:
            raise Taken("That code has been used on another speaker.")
        raise NotFound("no such code")

    def plan_for(self, listener: str) -> PlanView | None:
        """The plan a listener linked most lately with a live code, or None."""
        with self.store.transaction() as session:
            code = session.scalar(select(ShareCode)
                                  .where(ShareCode.listener == digest(str(listener)))
                                  .order_by(ShareCode.linked_at.desc()).limit(1))
            return _plan_view(code.plan) if code is not None else None

    def linked(self, plan_id: int, account: str) -> PlanView | None:
        """The plan, while the speakers of `account` (an Alexa user id) have it (its code
        said there, and not replaced by a new one since); None otherwise, for another
        account, or for an id no plan has."""
        if not 0 < plan_id <= ID_MAX:   # PostgreSQL refuses to compare a larger one
            return None
        with self.store.transaction() as session:
            code = session.scalar(select(ShareCode).where(
                ShareCode.plan_id == plan_id, ShareCode.listener.is_not(None),
                ShareCode.account == digest(str(account))))
            return _plan_view(code.plan) if code is not None else None


def _fresh(session: Session, now: dt.datetime) -> str:
    """Six random digits no live code has (expired ones are deleted as they are met)."""
    session.execute(delete(ShareCode).where(ShareCode.expires_at <= now,
                                            ShareCode.listener.is_(None)))
    while True:
        code = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
        if session.scalar(select(ShareCode.id).where(ShareCode.code == code)) is None:
            return code


__all__ = ["DIGITS", "Codes", "CodeView"]
