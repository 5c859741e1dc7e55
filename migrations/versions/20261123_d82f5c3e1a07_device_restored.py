"""device restored flag

Revision ID: d82f5c3e1a07
Revises: c41d7e0a9b52
Created: 2026-11-23 16:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d82f5c3e1a07"
down_revision = "c41d7e0a9b52"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "sync_device", sa.Column("restored", sa.Boolean(), server_default="false", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("sync_device", "restored")
