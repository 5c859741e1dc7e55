"""who has sent each attachment's bytes: the proof of possession a mention needs

Revision ID: c7f2a9e4d1b6
Revises: d9e4b8a1c3f7
Created: 2026-11-30 21:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "c7f2a9e4d1b6"
down_revision = "d9e4b8a1c3f7"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "attachment_holder",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["sha256"],
            ["attachment.sha256"],
            name=op.f("fk_attachment_holder_sha256_attachment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_attachment_holder_device_id_device")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_attachment_holder_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment_holder")),
        sa.UniqueConstraint(
            "sha256",
            "device_id",
            "user_id",
            name=op.f("uq_attachment_holder_sha256_device_id_user_id"),
            postgresql_nulls_not_distinct=True,
        ),
    )
    op.create_index("ix_attachment_holder_user_id", "attachment_holder", ["user_id"])
    # until now only the first upload was remembered: its device and user hold the file
    op.execute(
        "INSERT INTO attachment_holder (sha256, device_id, user_id, created_at) "
        "SELECT sha256, device_id, uploaded_by, created_at FROM attachment"
    )


def downgrade() -> None:
    op.drop_index("ix_attachment_holder_user_id", table_name="attachment_holder")
    op.drop_table("attachment_holder")
