"""Therapists' data: therapists, their clients, and the plans they write for them (a
routine for one client, in versions, with a schedule and a note), share codes and the
client's consent, and listeners' history (plans/history.py), stored with SQLAlchemy
in SQLite (the data home's file, by default) or PostgreSQL, its schema kept by Alembic
migrations. Both the web app and the skill use it; it knows neither.

Every read and change of a client or plan names the therapist asking: a client or plan of
another therapist is NotFound, exactly as one that does not exist.
"""

from __future__ import annotations

from .errors import InvalidInput, NotFound, PlansError, Taken, Unavailable
from .store import ClientView, PlanView, Store

__all__ = ["ClientView", "InvalidInput", "NotFound", "PlanView", "PlansError", "Store",
           "Taken", "Unavailable"]
