"""what a device sent with each version: the base of its later edits, field by field

Revision ID: e8a1c4f7b2d3
Revises: c7f2a9e4d1b6
Created: 2026-11-30 22:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "e8a1c4f7b2d3"
down_revision = "c7f2a9e4d1b6"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "record_version",
        sa.Column("sent", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("record_version", "sent")
