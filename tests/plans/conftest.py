"""The plans store on both databases it runs on: SQLite (a file, as the data home has it)
and PostgreSQL (a throwaway database in the cluster `pg_virtualenv` makes, which `.ci/run`
wraps the suite in). Without a cluster the PostgreSQL tests are skipped with a message
saying how to run them; in CI (MATCOACH_REQUIRE_POSTGRES) a missing cluster fails them."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from plans import Store

HOW_TO_GET_IT = ("No PostgreSQL to test against (PGHOST is not set). Run the suite in a "
                 "throwaway cluster: pg_virtualenv -- make test (Debian's postgresql and "
                 "postgresql-common packages), as .ci/run does.")


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path) -> str:
    """The URL of an empty database of each kind (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'plans.sqlite'}"
        return
    if not os.environ.get("PGHOST"):
        if os.environ.get("MATCOACH_REQUIRE_POSTGRES"):
            pytest.fail(HOW_TO_GET_IT)
        pytest.skip(HOW_TO_GET_IT)
    name = f"matcoach_test_{uuid.uuid4().hex[:12]}"
    # libpq takes host, port, user and password from the PG* variables pg_virtualenv sets.
    admin = create_engine("postgresql+psycopg:///postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg:///{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def store(database) -> Store:
    """A store on an empty database of each kind, migrated to the newest schema."""
    store = Store(database)
    store.upgrade()
    yield store
    store.close()
