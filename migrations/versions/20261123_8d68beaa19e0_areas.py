"""areas

Revision ID: 8d68beaa19e0
Revises:
Created: 2026-11-23 00:40:22.224856+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "8d68beaa19e0"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "area",
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("level", sa.Text(), nullable=False),
        sa.Column("parent_code", sa.Text(), nullable=True),
        sa.Column("name_mn", sa.Text(), nullable=False),
        sa.Column("name_en", sa.Text(), nullable=False),
        sa.Column("iso_code", sa.Text(), nullable=True),
        sa.Column("aliases", sa.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("lineage", sa.ARRAY(sa.Text()), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "level IN ('country', 'aimag', 'capital', 'district', 'soum', 'bag', 'khoroo')",
            name=op.f("ck_area_level"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_code"], ["area.code"], name=op.f("fk_area_parent_code_area")
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_area")),
        sa.UniqueConstraint("iso_code", name=op.f("uq_area_iso_code")),
    )
    op.create_index("ix_area_lineage", "area", ["lineage"], unique=False, postgresql_using="gin")
    op.create_index("ix_area_parent_code", "area", ["parent_code"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_area_parent_code", table_name="area")
    op.drop_index("ix_area_lineage", table_name="area", postgresql_using="gin")
    op.drop_table("area")
