"""Accounts: sessions ended on a password change, one-time links, attempts counted
against limits, and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("therapists") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False,
                                   server_default="1"))
    op.create_table(
        "one_time_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["therapist_id"], ["therapists.id"], ondelete="CASCADE",
                                name="fk_one_time_links_therapist_id_therapists"),
        sa.PrimaryKeyConstraint("id", name="pk_one_time_links"),
        sa.UniqueConstraint("digest", name="uq_one_time_links_digest"))
    op.create_index("ix_one_time_links_therapist_id", "one_time_links", ["therapist_id"])
    op.create_table(
        "attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(32), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_attempts"))
    op.create_index("ix_attempts_scope_key_at", "attempts", ["scope", "key", "at"])
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.String(255), nullable=False),
        sa.ForeignKeyConstraint(["therapist_id"], ["therapists.id"], ondelete="CASCADE",
                                name="fk_audit_events_therapist_id_therapists"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_events"))
    op.create_index("ix_audit_events_therapist_id", "audit_events", ["therapist_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_therapist_id", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_attempts_scope_key_at", table_name="attempts")
    op.drop_table("attempts")
    op.drop_index("ix_one_time_links_therapist_id", table_name="one_time_links")
    op.drop_table("one_time_links")
    with op.batch_alter_table("therapists") as batch:
        batch.drop_column("session_version")
