"""which way is better for a community-raised indicator (null: not set yet)

Revision ID: c4a7e2f9b1d8
Revises: b6e8a1c3d5f7
Created: 2026-12-07 00:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4a7e2f9b1d8"
down_revision = "b6e8a1c3d5f7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # nullable and without a default: indicators raised before read as unknown, never as
    # "higher", which is what made a cold classroom scored 4 of 5 look good
    op.add_column("cycle_indicator", sa.Column("better", sa.Text(), nullable=True))
    op.create_check_constraint(
        op.f("ck_cycle_indicator_better"),
        "cycle_indicator",
        "better IN ('higher', 'lower', 'none')",
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_cycle_indicator_better"), "cycle_indicator", type_="check")
    op.drop_column("cycle_indicator", "better")
