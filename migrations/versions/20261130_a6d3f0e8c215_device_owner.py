"""device owner

A device id belongs to the user who registered it: the first successful sign-in with it, or,
where the audit trail has none, its last user. Sessions other users opened with someone
else's device id end here.

Revision ID: a6d3f0e8c215
Revises: b5e1c7d29f40
Created: 2026-11-30 09:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a6d3f0e8c215"
down_revision = "b5e1c7d29f40"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("device", sa.Column("registered_by", sa.Uuid(), nullable=True))
    op.execute(
        """
        UPDATE device SET registered_by = first.subject_id
        FROM (
            SELECT DISTINCT ON (device_id) device_id, subject_id
            FROM audit_event
            WHERE kind = 'login.ok' AND device_id IS NOT NULL AND subject_id IS NOT NULL
            ORDER BY device_id, at, id
        ) AS first
        WHERE first.device_id = device.id
        """
    )
    op.execute("UPDATE device SET registered_by = last_user_id WHERE registered_by IS NULL")
    op.alter_column("device", "registered_by", nullable=False)
    op.create_foreign_key(
        op.f("fk_device_registered_by_user_account"),
        "device",
        "user_account",
        ["registered_by"],
        ["id"],
    )
    op.create_index(op.f("ix_device_registered_by"), "device", ["registered_by"])
    op.execute(
        """
        UPDATE refresh_token SET revoked_at = now()
        FROM device
        WHERE refresh_token.device_id = device.id
          AND refresh_token.user_id <> device.registered_by
          AND refresh_token.revoked_at IS NULL
        """
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_device_registered_by"), table_name="device")
    op.drop_constraint(op.f("fk_device_registered_by_user_account"), "device", type_="foreignkey")
    op.drop_column("device", "registered_by")
