"""Whether a plan's client lets their therapist see their progress: not asked yet (NULL),
yes or no, and when they answered.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans") as plans:
        plans.add_column(sa.Column("progress_shared", sa.Boolean(), nullable=True))
        plans.add_column(sa.Column("progress_answered_at", sa.DateTime(timezone=True),
                                   nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plans") as plans:
        plans.drop_column("progress_answered_at")
        plans.drop_column("progress_shared")
