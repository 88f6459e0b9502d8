"""Persistent attributes on SQLite: one row per user, through ask-sdk's adapter interface."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_model import RequestEnvelope

SCHEMA = """
CREATE TABLE IF NOT EXISTS attributes (
    user_id    TEXT PRIMARY KEY,
    attributes TEXT NOT NULL,
    updated_at TEXT NOT NULL
)
"""


def user_id(envelope: RequestEnvelope) -> str:
    """Who the attributes belong to: Alexa's user id, present on every request."""
    return envelope.context.system.user.user_id


class SqliteAdapter(AbstractPersistenceAdapter):
    """Stores each user's attributes as JSON; WAL mode lets readers and a writer overlap."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connection() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        """The user's attributes, or an empty dict for someone new."""
        row = self._connection().execute(
            "SELECT attributes FROM attributes WHERE user_id = ?",
            (user_id(request_envelope),)).fetchone()
        return json.loads(row[0]) if row else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        """Replace the user's attributes."""
        with self._connection() as db:
            db.execute(
                "INSERT INTO attributes (user_id, attributes, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes, "
                "updated_at = excluded.updated_at",
                (user_id(request_envelope), json.dumps(attributes),
                 datetime.now(UTC).isoformat()))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        """Forget the user."""
        with self._connection() as db:
            db.execute("DELETE FROM attributes WHERE user_id = ?", (user_id(request_envelope),))

    def _connection(self) -> sqlite3.Connection:
        # One connection per thread: sqlite3 connections must stay on the thread that made them.
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=10)
            self._local.connection = connection
        return connection
