"""The Alexa account a share code was said on, beside the person: a plan linked to a voice
profile still plays, pauses and resumes on that account's speakers, whose playback events
name no person, and on no other account's.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("share_codes") as codes:
        codes.add_column(sa.Column("account", sa.String(64), nullable=True))
    # Codes said before: their listener was the account unless a person was recognised;
    # such a person says the code again to play it (their account is not known).
    op.execute("UPDATE share_codes SET account = listener WHERE listener IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("share_codes") as codes:
        codes.drop_column("account")
