"""The audit log: who signed in (or failed to) and what changed in whose plans, for the
therapist to read back and for whoever investigates an incident."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEvent, aware

DETAIL_MAX = 255


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    """When, in UTC."""
    action: str
    """One of ACTIONS' keys."""
    detail: str


ACTIONS = {
    "account_added": "Account made",
    "signed_in": "Signed in",
    "sign_in_failed": "A sign-in failed",
    "signed_out": "Signed out",
    "password_set": "Password set",
    "link_issued": "Password link made",
    "client_added": "Client added",
    "client_deleted": "Client deleted",
    "plan_added": "Plan added",
    "plan_revised": "Plan changed",
    "code_issued": "Share code made",
    "progress_shared": "Your client agreed to share their progress",
    "progress_withheld": "Your client chose not to share their progress",
    "progress_exported": "Your client's progress downloaded as CSV",
}


def record(session: Session, therapist_id: int | None, action: str, detail: str = "",
           at: dt.datetime | None = None) -> None:
    """Add one event to `session` (committed with the change it records)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    session.add(AuditEvent(therapist_id=therapist_id, action=action,
                           detail=detail[:DETAIL_MAX], at=at or dt.datetime.now(dt.UTC)))


def events(session: Session, therapist_id: int, newest: int = 100) -> list[Event]:
    """The therapist's `newest` events, newest first."""
    rows = session.scalars(select(AuditEvent).where(AuditEvent.therapist_id == therapist_id)
                           .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(newest))
    return [Event(aware(row.at), row.action, row.detail) for row in rows]
