"""attachments

Revision ID: c41d7e0a9b52
Revises: a097e3a7cf62
Created: 2026-11-23 15:50:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "c41d7e0a9b52"
down_revision = "a097e3a7cf62"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("media_type", sa.Text(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("stored_size", sa.BigInteger(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("has_thumbnail", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("uploaded_by", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column(
            "last_referenced_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name=op.f("ck_attachment_sha256")),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_attachment_device_id_device")
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by"],
            ["user_account.id"],
            name=op.f("fk_attachment_uploaded_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_attachment")),
    )
    op.create_table(
        "attachment_part",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_attachment_part_device_id_device")
        ),
        sa.PrimaryKeyConstraint("device_id", "sha256", "offset", name=op.f("pk_attachment_part")),
    )
    op.create_table(
        "attachment_ref",
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_attachment_ref_device_id_device")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_attachment_ref_facility_id_facility")
        ),
        sa.PrimaryKeyConstraint("sha256", "entity", "record_id", name=op.f("pk_attachment_ref")),
    )
    op.create_index("ix_attachment_ref_device_id", "attachment_ref", ["device_id"])
    op.create_index("ix_attachment_ref_entity", "attachment_ref", ["entity", "record_id"])
    op.add_column(
        "action_update",
        sa.Column("evidence", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
    )


def downgrade() -> None:
    op.drop_column("action_update", "evidence")
    op.drop_index("ix_attachment_ref_entity", table_name="attachment_ref")
    op.drop_index("ix_attachment_ref_device_id", table_name="attachment_ref")
    op.drop_table("attachment_ref")
    op.drop_table("attachment_part")
    op.drop_table("attachment")
