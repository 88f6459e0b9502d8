"""Share codes: six digits a therapist reads out to a client, who says them to the speaker
("Alexa, ask Mat Coach for code four eight one five one six"); the plan then belongs to
whoever said it, and the code opens nothing for anybody else.

    codes = Codes(store)
    code = codes.issue(therapist_id, plan_id)         # "048151", for 14 days
    plan = codes.redeem("048151", listener, account)  # the Alexa person (or user), user
    codes.plan_for(listener, account)                 # that plan, from then on
    codes.forget_account(account)                     # the skill disabled: unlinked

Listeners and accounts are kept only as SHA-256 digests. Guessing is limited where every
worker counts alike (the database): per account (a household's voice profiles share one
allowance), and for everybody at once, since Alexa's requests all come from Amazon's
addresses. With a thousand live codes a guess finds one in a thousand;
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
PER_ACCOUNT = Limit("code_account", 5, dt.timedelta(minutes=15))
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
        `account` (the Alexa user id; default: the listener), now theirs and the one
        `plan_for` gives them. TooManyAttempts while the account, or everybody, has said
        too many wrong codes; NotFound for a code that is not live; Taken for one said
        first by someone else. Saying one's own code again is fine, however long ago it
        was linked (on a new account id too: a skill enabled again gets one; and on the
        same account, with or without the voice recognised)."""
        now = self.clock()
        who, home = digest(str(listener)), digest(str(account or listener))
        with self.store.transaction() as session:
            _held_back(session, home, now)
            code = session.scalar(select(ShareCode).where(ShareCode.code == said))
            if code is not None and _opens(code, who, home, now):
                if code.listener is None or code.listener == who:
                    code.listener, code.account = who, home
                code.linked_at = now   # said last: the plan "play my plan" plays
                return _plan_view(code.plan)
            PER_ACCOUNT.count(session, home, now)
            EVERYONE.count(session, _ANYONE, now)
            taken = code is not None and code.listener is not None
        # Counted (committed) before saying no, so that a refusal cannot be retried free.
        if taken:
            raise Taken("That code has been used by someone else.")
        raise NotFound("no such code")

    def plan_for(self, listener: str, account: str | None = None) -> PlanView | None:
        """The plan a listener said a code for most lately, or None."""
        found = self.plans_for(listener, account)
        return found[0] if found else None

    def plans_for(self, listener: str, account: str | None = None) -> list[PlanView]:
        """Every plan a listener has, the one said last first: linked to them, or, for a
        person on `account`, linked on that account when Alexa knew no voice."""
        who, home = digest(str(listener)), digest(str(account or listener))
        with self.store.transaction() as session:
            codes = session.scalars(select(ShareCode).where(
                (ShareCode.listener == who) |
                ((ShareCode.listener == home) & (ShareCode.account == home)))
                .order_by(ShareCode.linked_at.desc(), ShareCode.id.desc()))
            return [_plan_view(code.plan) for code in codes]

    def plan_ids_of(self, listener_digest: str) -> list[int]:
        """The plans said by the listener whose digest is `listener_digest` (their own
        progress page knows them by it alone)."""
        with self.store.transaction() as session:
            return list(session.scalars(select(ShareCode.plan_id)
                                        .where(ShareCode.listener == listener_digest)))

    def linked(self, plan_id: int, listener: str, account: str) -> PlanView | None:
        """The plan, for a request of `listener` (a person, or the account when Alexa
        knew no voice) on `account` (an Alexa user id): while its code, said on that
        account, is not replaced; for a person, only if it was said by them or by the
        account with no voice recognised. None otherwise, or for an id no plan has."""
        if not 0 < plan_id <= ID_MAX:   # PostgreSQL refuses to compare a larger one
            return None
        who, home = digest(str(listener)), digest(str(account))
        with self.store.transaction() as session:
            code = session.scalar(select(ShareCode).where(
                ShareCode.plan_id == plan_id, ShareCode.listener.is_not(None),
                ShareCode.account == home))
            if code is None or (who != home and code.listener not in (who, home)):
                return None   # another person's of the same household
            return _plan_view(code.plan)

    def forget_account(self, account: str) -> int:
        """Unlink every plan said on Alexa `account` (the skill was disabled there): its
        code opens nothing any more, for anybody; the therapist makes a new one if the
        client comes back. How many plans."""
        home, now = digest(str(account)), self.clock()
        with self.store.transaction() as session:
            codes = session.scalars(select(ShareCode).where(ShareCode.account == home)).all()
            for code in codes:
                code.listener = code.account = code.linked_at = None
                code.expires_at = min(aware(code.expires_at), now)
            return len(codes)


def _held_back(session: Session, home: str, now: dt.datetime) -> None:
    """TooManyAttempts while the account, or everybody together, has said too many wrong
    codes lately. (Everybody's limit is what stops a guesser with many accounts; it also
    means a few accounts guessing on purpose can keep everyone waiting for up to an hour:
    guessing held back comes first.)"""
    wait = max(PER_ACCOUNT.retry_after(session, home, now),
               EVERYONE.retry_after(session, _ANYONE, now))
    if wait:
        raise TooManyAttempts("Too many codes have been tried.", wait)


def _opens(code: ShareCode, who: str, home: str, now: dt.datetime) -> bool:
    """Whether `code` opens its plan for listener `who` on account `home`: not said yet
    and not expired, or said by them or on their account (which keep it for good)."""
    if code.listener is None:
        return aware(code.expires_at) > now
    return code.listener == who or code.account == home


def _fresh(session: Session, now: dt.datetime) -> str:
    """Six random digits no live code has (expired ones are deleted as they are met)."""
    session.execute(delete(ShareCode).where(ShareCode.expires_at <= now,
                                            ShareCode.listener.is_(None)))
    while True:
        code = f"{secrets.randbelow(10 ** DIGITS):0{DIGITS}d}"
        if session.scalar(select(ShareCode.id).where(ShareCode.code == code)) is None:
            return code


__all__ = ["DIGITS", "Codes", "CodeView"]
