"""Listening history (issue 14): a row per routine or plan played, and pain reports.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "listening_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sa.String(64), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("routine", sa.String(120), nullable=False),
        sa.Column("build", sa.String(16), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("played_ms", sa.Integer(), nullable=False),
        sa.Column("steps_done", sa.Text(), nullable=False),
        sa.Column("finished", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE",
                                name="fk_listening_sessions_plan_id_plans"),
        sa.PrimaryKeyConstraint("id", name="pk_listening_sessions"))
    op.create_index("ix_listening_sessions_owner_started_at", "listening_sessions",
                    ["owner", "started_at"])
    op.create_index("ix_listening_sessions_started_at", "listening_sessions", ["started_at"])
    op.create_index("ix_listening_sessions_plan_id", "listening_sessions", ["plan_id"])
    op.create_table(
        "pain_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["session_id"], ["listening_sessions.id"], ondelete="CASCADE",
                                name="fk_pain_reports_session_id_listening_sessions"),
        sa.PrimaryKeyConstraint("id", name="pk_pain_reports"))
    op.create_index("ix_pain_reports_session_id", "pain_reports", ["session_id"])


def downgrade() -> None:
    op.drop_index("ix_pain_reports_session_id", table_name="pain_reports")
    op.drop_table("pain_reports")
    op.drop_index("ix_listening_sessions_plan_id", table_name="listening_sessions")
    op.drop_index("ix_listening_sessions_started_at", table_name="listening_sessions")
    op.drop_index("ix_listening_sessions_owner_started_at", table_name="listening_sessions")
    op.drop_table("listening_sessions")
