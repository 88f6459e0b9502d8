"""Listening history by account too (issue 14): a session keeps a digest of the Alexa
account it was played on, so that disabling the skill deletes the history of every voice
profile of that account (a session's owner is the person when Alexa recognised them).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("listening_sessions") as table:
        table.add_column(sa.Column("account", sa.String(64), nullable=True))
        table.create_index("ix_listening_sessions_account", ["account"])


def downgrade() -> None:
    with op.batch_alter_table("listening_sessions") as table:
        table.drop_index("ix_listening_sessions_account")
        table.drop_column("account")
