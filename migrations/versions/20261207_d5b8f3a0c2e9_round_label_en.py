"""a round's (and a campaign's) label in English beside the Mongolian one

Revision ID: d5b8f3a0c2e9
Revises: c4a7e2f9b1d8
Created: 2026-12-07 01:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d5b8f3a0c2e9"
down_revision = "c4a7e2f9b1d8"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `label` stays as it is and is read as the Mongolian one; rounds opened before have no
    # English label, and English readers get the one label they have
    op.add_column("cycle", sa.Column("label_en", sa.Text(), nullable=True))
    op.add_column("campaign", sa.Column("label_en", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("campaign", "label_en")
    op.drop_column("cycle", "label_en")
