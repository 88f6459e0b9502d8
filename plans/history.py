"""Listening history (issue 14, its first slice: the store): a row for every routine or
plan played, what was actually heard of it, the steps finished, and pain reports; kept
per owner, deleted on request, and forgotten after KEEP.

    history = History(store)
    session = history.start(owner, "plan:3", build, plan_id=3)    # its id
    history.heard(session, owner, played_ms=120_000, steps={0, 1})
    history.pain(session, owner, step=2)
    history.finish(session, owner)
    history.ongoing(session, owner)        # still this sitting? (else carrying on is a new one)
    history.sessions(owner, since)                                 # newest first
    history.forget(owner)                                          # "delete my history"
    history.of_listener(digest(owner), plan_ids), history.forget_listener(...)  # theirs
    history.of_plan(plan_id, since)           # a plan's, whoever played it (its therapist)
    history.forget_account(account)           # the skill disabled: the account's, all of it

An owner is whoever the history belongs to, as the caller names them (an Alexa person
or account, a plan's private link); it is kept only as a SHA-256 digest. Every call that
names a session names its owner too: another owner's session is NotFound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import and_, delete, or_, select

from .errors import InvalidInput, NotFound
from .models import ListeningSession, PainReport, aware, digest
from .store import Store, _get

KEEP = dt.timedelta(days=365)   # history older than a year is deleted (README, privacy)
SITTING = dt.timedelta(hours=4)
"""A session is one sitting: carrying on with a routine after longer than this without a
report starts a new session (from where it was), counted on the day it happens."""
LONGEST_MS = 24 * 3600 * 1000   # no session plays longer than a day: more is a bad report
MOST_STEPS = 500                # as the builder's limit on a routine's steps


@dataclass(frozen=True)
class SessionView:
    id: int
    plan_id: int | None
    routine: str
    """The routine id, or `plan:<id>`."""
    build: str
    started_at: dt.datetime
    played_ms: int
    steps_done: frozenset[int]
    finished: bool
    pain_steps: tuple[int | None, ...]
    """The step of each pain report, in the order they were made."""


class History:
    """The listening history kept in `store`; `clock` gives the time (aware, UTC)."""

    def __init__(self, store: Store, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.store = store
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def start(self, owner: str, routine: str, build: str, plan_id: int | None = None,
              account: str | None = None) -> int:
        """A new session of `routine` (build `build`) for `owner`, played on the Alexa
        `account` if any; its id. Older history than KEEP is deleted on the way."""
        now = self.clock()
        with self.store.transaction() as session:
            session.execute(delete(ListeningSession)
                            .where(ListeningSession.started_at < now - KEEP))
            row = ListeningSession(owner=digest(owner), plan_id=plan_id, routine=routine[:120],
                                   account=digest(account) if account else None,
                                   build=build[:16], started_at=now, updated_at=now,
                                   played_ms=0, steps_done="", finished=False)
            session.add(row)
            session.flush()
            return row.id

    def heard(self, session_id: int, owner: str, played_ms: int,
              steps: Iterable[int] = ()) -> None:
        """What has been heard so far: `played_ms` of audio (it only grows: a report from
        before a skip back takes nothing away) and the steps whose end tone was reached
        (added to those already done). InvalidInput for a length or step out of range."""
        if not _whole(played_ms) or not 0 <= played_ms <= LONGEST_MS:
            raise InvalidInput("played_ms", f"not a whole number of ms from 0 to {LONGEST_MS}")
        steps = list(steps)   # checked before hashing: a list in it is no step, not a crash
        if any(not _whole(s) or not 0 <= s < MOST_STEPS for s in steps):
            raise InvalidInput("steps", f"a step is a whole number from 0 to {MOST_STEPS - 1}")
        with self.store.transaction() as session:
            row = _owned(session, session_id, owner)
            row.played_ms = max(row.played_ms, played_ms)
            row.steps_done = _joined(_steps(row.steps_done) | set(steps))
            row.updated_at = self.clock()

    def ongoing(self, session_id: int, owner: str) -> bool:
        """Whether `owner`'s session is still the sitting under way: not finished, and
        reported on within SITTING (False too for a session that is not theirs, or gone)."""
        with self.store.transaction() as session:
            try:
                row = _owned(session, session_id, owner)
            except NotFound:
                return False
            return not row.finished and aware(row.updated_at) > self.clock() - SITTING

    def finish(self, session_id: int, owner: str) -> None:
        """The session played to its end."""
        with self.store.transaction() as session:
            row = _owned(session, session_id, owner)
            row.finished, row.updated_at = True, self.clock()

    def pain(self, session_id: int, owner: str, step: int | None) -> None:
        """"It hurts", at `step` (None: outside the steps)."""
        if step is not None and (not _whole(step) or not 0 <= step < MOST_STEPS):
            raise InvalidInput("step", f"a step is a whole number from 0 to {MOST_STEPS - 1}")
        with self.store.transaction() as session:
            row = _owned(session, session_id, owner)
            row.pains.append(PainReport(step=step, at=self.clock()))

    def sessions(self, owner: str, since: dt.datetime | None = None) -> list[SessionView]:
        """`owner`'s sessions started at or after `since` (all kept, without), newest
        first."""
        return self._views(ListeningSession.owner == digest(owner), since)

    def of_listener(self, owner_digest: str, plan_ids: Iterable[int] = (),
                    since: dt.datetime | None = None) -> list[SessionView]:
        """A listener's history, newest first: the sessions of the owner whose digest
        (plans.models.digest) is `owner_digest`, and those of their plans `plan_ids` played
        on the plan's private page. The listener's own page knows them by the
        digest alone (web/listener_progress.py)."""
        return self._views(_listeners(owner_digest, plan_ids), since)

    def of_plan(self, plan_id: int, since: dt.datetime | None = None) -> list[SessionView]:
        """The sessions of plan `plan_id`, whoever played them (by voice or on its page),
        started at or after `since`, newest first. For its therapist, who may see them
        only with the client's consent: the caller checks it."""
        return self._views(ListeningSession.plan_id == plan_id, since)

    def forget(self, owner: str) -> int:
        """Delete all of `owner`'s history ("delete my history"); how many sessions."""
        return self._delete(ListeningSession.owner == digest(owner))

    def forget_listener(self, owner_digest: str, plan_ids: Iterable[int] = ()) -> int:
        """Delete a listener's history, as `of_listener` gives it ("delete my history" by
        voice or on their page); how many sessions."""
        return self._delete(_listeners(owner_digest, plan_ids))

    def forget_plan(self, plan_id: int) -> int:
        """Delete every session of plan `plan_id`, whoever played it (its client's "delete
        my history" on the plan's page: by voice and on the page alike); how many."""
        return self._delete(ListeningSession.plan_id == plan_id)

    def forget_account(self, account: str) -> int:
        """Delete every session played on the Alexa `account`, whichever voice profile
        owned it, and the account's own (the skill was disabled); how many."""
        hashed = digest(account)
        return self._delete(or_(ListeningSession.account == hashed,
                                ListeningSession.owner == hashed))

    def _views(self, where, since: dt.datetime | None) -> list[SessionView]:
        # Older than KEEP is never shown, even before a new session deletes it.
        oldest = self.clock() - KEEP
        since = oldest if since is None else max(since, oldest)
        with self.store.transaction() as session:
            query = select(ListeningSession).where(where, ListeningSession.started_at >= since)
            rows = session.scalars(query.order_by(ListeningSession.started_at.desc(),
                                                  ListeningSession.id.desc()))
            return [_view(row) for row in rows]

    def _delete(self, where) -> int:
        with self.store.transaction() as session:
            rows = session.scalars(select(ListeningSession).where(where)).all()
            for row in rows:
                session.delete(row)   # their pain reports with them
            return len(rows)


def _listeners(owner_digest: str, plan_ids: Iterable[int]):
    """The sessions of a listener: their own, and their plans' played on the plan's page
    (no Alexa account: by voice, a plan's earlier holder, before a new code, is someone
    else whose sessions are not theirs to see)."""
    ids = list(plan_ids)
    mine = ListeningSession.owner == owner_digest
    on_page = and_(ListeningSession.plan_id.in_(ids), ListeningSession.account.is_(None))
    return or_(mine, on_page) if ids else mine


def _owned(session, session_id: int, owner: str) -> ListeningSession:
    row = _get(session, ListeningSession, session_id)
    if row is None or row.owner != digest(owner):
        raise NotFound("no such session")
    return row


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _steps(text: str) -> set[int]:
    return {int(part) for part in text.split(",") if part}


def _joined(steps: set[int]) -> str:
    return ",".join(str(step) for step in sorted(steps))


def _view(row: ListeningSession) -> SessionView:
    return SessionView(row.id, row.plan_id, row.routine, row.build, aware(row.started_at),
                       row.played_ms,
                       frozenset(_steps(row.steps_done)), row.finished,
                       tuple(pain.step for pain in row.pains))


__all__ = ["KEEP", "History", "SessionView"]
