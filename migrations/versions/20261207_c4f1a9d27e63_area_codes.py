"""the statistics office's code and OCHA's P-code of an area

Revision ID: c4f1a9d27e63
Revises: d5b8f3a0c2e9
Created: 2026-12-07 09:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c4f1a9d27e63"
down_revision = "d5b8f3a0c2e9"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # filled by the reference seed, which runs after every upgrade (`scorecard serve`, `seed`)
    op.add_column("area", sa.Column("nso_code", sa.Text(), nullable=True))
    op.add_column("area", sa.Column("pcode", sa.Text(), nullable=True))
    op.create_unique_constraint(op.f("uq_area_nso_code"), "area", ["nso_code"])


def downgrade() -> None:
    op.drop_constraint(op.f("uq_area_nso_code"), "area", type_="unique")
    op.drop_column("area", "pcode")
    op.drop_column("area", "nso_code")
