"""Alembic, run from the code (no alembic.ini to find): the schema of plans/ brought to the
newest migration in plans/migrations/versions.

Several processes may start at once (gunicorn workers without --preload, two machines on
one PostgreSQL): the upgrade runs under a lock, so one migrates and the others then find
the schema current. PostgreSQL: an advisory lock held by the migrating transaction; SQLite:
an exclusive lock on a file beside the database (SQLite's own locking comes too late,
after Alembic has read the version).
"""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).parent / "migrations"
ADVISORY_KEY = 0x4D6174436F616368   # "MatCoach": any 64-bit number no other app uses


def config(engine: Engine) -> Config:
    """Alembic's configuration for `engine`'s database (its connection given to env.py)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate `engine`'s database to `revision` (the newest by default), in one
    transaction where the database allows it, one process at a time."""
    cfg = config(engine)
    with _file_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                               {"key": ADVISORY_KEY})
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)


@contextlib.contextmanager
def _file_lock(engine: Engine) -> Iterator[None]:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    with open(f"{database}.migrating", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
