"""Limits on failed attempts, counted in the database so that every worker process (and
every machine sharing the database) counts the same ones.

A limit is `most` attempts per `window` for one key of a scope: the key is what is
limited (an email, an address, an Alexa user), kept only as a SHA-256 digest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from .models import Attempt, aware, digest

KEPT = dt.timedelta(days=1)   # longer than any window; older attempts are deleted


@dataclass(frozen=True)
class Limit:
    """At most `most` attempts per `window` for one key of `scope`."""

    scope: str
    most: int
    window: dt.timedelta

    def retry_after(self, session: Session, key: str, now: dt.datetime) -> int:
        """Seconds until a new attempt is allowed (0: allowed now). Until the transaction
        ends, no other transaction checks this key: a check and the count that follows it
        are one step (SQLite: every transaction holds the write lock, plans/store.py;
        PostgreSQL: an advisory lock on the key)."""
        if session.get_bind().dialect.name == "postgresql":
            session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
                            {"key": f"{self.scope}:{digest(key)}"})
        rows = session.scalars(
            select(Attempt.at).where(Attempt.scope == self.scope, Attempt.key == digest(key),
                                     Attempt.at > now - self.window)
            .order_by(Attempt.at.desc()).limit(self.most)).all()
        if len(rows) < self.most:
            return 0
        oldest = aware(rows[-1])
        return max(1, int((oldest + self.window - now).total_seconds() + 0.999))

    def count(self, session: Session, key: str, now: dt.datetime) -> Attempt:
        """Count an attempt for `key` against the limit (and forget this scope's attempts
        older than a day); the attempt, with its id, so that it can be taken back."""
        session.execute(delete(Attempt).where(Attempt.scope == self.scope,
                                              Attempt.at < now - KEPT))
        attempt = Attempt(scope=self.scope, key=digest(key), at=now)
        session.add(attempt)
        session.flush()
        return attempt

    def clear(self, session: Session, key: str) -> None:
        """Forget every attempt counted for `key` (a password reset ends a lock-out)."""
        session.execute(delete(Attempt).where(Attempt.scope == self.scope,
                                              Attempt.key == digest(key)))


