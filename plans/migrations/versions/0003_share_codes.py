"""Share codes: six digits that give a plan to whoever says them to the speaker.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "share_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("listener", sa.String(64), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["plan_id"], ["plans.id"], ondelete="CASCADE",
                                name="fk_share_codes_plan_id_plans"),
        sa.PrimaryKeyConstraint("id", name="pk_share_codes"),
        sa.UniqueConstraint("plan_id", name="uq_share_codes_plan_id"),
        sa.UniqueConstraint("code", name="uq_share_codes_code"))
    op.create_index("ix_share_codes_listener", "share_codes", ["listener"])


def downgrade() -> None:
    op.drop_index("ix_share_codes_listener", table_name="share_codes")
    op.drop_table("share_codes")
