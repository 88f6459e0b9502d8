"""Alembic's environment for plans/: migrations run on the connection plans.migrate gives."""

from __future__ import annotations

from alembic import context

from plans.models import Base

connection = context.config.attributes["connection"]
# render_as_batch: SQLite alters a table by copying it, which Alembic's batch mode does.
context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
