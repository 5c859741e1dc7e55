"""how a submission arrived: from a tablet, or typed from a paper sheet at the console

Revision ID: a8c3e5f1d7b4
Revises: a8c3e5f7d1b4
Created: 2026-12-07 09:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a8c3e5f1d7b4"
down_revision = "a8c3e5f7d1b4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # every submission stored so far came from a tablet (or the demo, made as a tablet's)
    op.add_column(
        "submission",
        sa.Column("source", sa.Text(), server_default="tablet", nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_submission_source"), "submission", "source IN ('tablet', 'paper')"
    )


def downgrade() -> None:
    op.drop_constraint(op.f("ck_submission_source"), "submission", type_="check")
    op.drop_column("submission", "source")
