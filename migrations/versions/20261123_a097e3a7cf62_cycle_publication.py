"""cycle publication

Revision ID: a097e3a7cf62
Revises: 3c1f9e2a7b40
Created: 2026-11-23 01:57:52.744199+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a097e3a7cf62"
down_revision = "3c1f9e2a7b40"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("cycle", sa.Column("published_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "cycle", sa.Column("reasons_reviewed_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("cycle", "reasons_reviewed_at")
    op.drop_column("cycle", "published_at")
