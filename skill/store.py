"""Persistent attributes on SQLite: one row per user, through ask-sdk's adapter interface."""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Iterator
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
BUSY_TIMEOUT_MS = 10_000
IDLE_CONNECTIONS = 8


def user_id(envelope: RequestEnvelope) -> str:
    """Who the attributes belong to: Alexa's user id, present on every request."""
    return envelope.context.system.user.user_id


def saved_values(path: Path, json_path: str) -> set[str]:
    """Every distinct text value at `json_path` (SQLite's JSON path, e.g. "$.place.build")
    in anyone's attributes in the database at `path` (none when there is no database yet).

    Read only, for other processes (the builder): one scan inside SQLite, no row parsed in
    Python. Raises sqlite3.Error when the file is not a database of places.
    """
    if not path.exists():
        return set()
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                 timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        rows = connection.execute(
            "SELECT DISTINCT json_extract(attributes, ?) FROM attributes", (json_path,))
        return {value for (value,) in rows if isinstance(value, str)}
    finally:
        connection.close()


class SqliteAdapter(AbstractPersistenceAdapter):
    """Stores each user's attributes as JSON; WAL mode lets readers and a writer overlap.

    Connections are borrowed from a small pool for one operation and given back, so any
    thread may use the adapter and the open files stay bounded (at most IDLE_CONNECTIONS
    kept, however many threads a server starts). The constructor leaves no connection open,
    so an app made before a fork (gunicorn's preload) shares none with its workers.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._idle: list[sqlite3.Connection] = []
        self._idle_lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        connection = self._connect()
        try:
            connection.execute("PRAGMA journal_mode=WAL")   # kept in the file, once is enough
            connection.execute(SCHEMA)
        finally:
            connection.close()

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict:
        """The user's attributes, or an empty dict for someone new."""
        with self._borrowed() as db:
            row = db.execute("SELECT attributes FROM attributes WHERE user_id = ?",
                             (user_id(request_envelope),)).fetchone()
        return json.loads(row[0]) if row else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict) -> None:
        """Replace the user's attributes."""
        with self._borrowed() as db, db:
            db.execute(
                "INSERT INTO attributes (user_id, attributes, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(user_id) DO UPDATE SET attributes = excluded.attributes, "
                "updated_at = excluded.updated_at",
                (user_id(request_envelope), json.dumps(attributes),
                 datetime.now(UTC).isoformat()))

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        """Forget the user."""
        with self._borrowed() as db, db:
            db.execute("DELETE FROM attributes WHERE user_id = ?", (user_id(request_envelope),))

    def close(self) -> None:
        """Close every idle connection (those in use close when they are given back)."""
        with self._idle_lock:
            idle, self._idle = self._idle, []
        for connection in idle:
            connection.close()

    @contextlib.contextmanager
    def _borrowed(self) -> Iterator[sqlite3.Connection]:
        with self._idle_lock:
            connection = self._idle.pop() if self._idle else None
        if connection is None:
            connection = self._connect()
        try:
            yield connection
        finally:
            with self._idle_lock:
                keep = len(self._idle) < IDLE_CONNECTIONS
                if keep:
                    self._idle.append(connection)
            if not keep:
                connection.close()

    def _connect(self) -> sqlite3.Connection:
        # check_same_thread=False: a connection moves between threads, but only ever
        # serves one operation at a time (it is out of the pool while in use).
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                     check_same_thread=False)
        # Per connection (SQLite keeps these per connection, not in the file). NORMAL is
        # durable in WAL mode against a crash of the app; only a power cut may lose the
        # last place saved (sqlite.org/pragma.html#pragma_synchronous).
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return connection
