"""sync: the change feed, devices' counters, the mutation log, conflicts, record history

Revision ID: e5b1c0d94a21
Revises: 07a4177c32b8
Created: 2026-11-23 01:15:58.542604+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy.types import UserDefinedType


class _Xid8(UserDefinedType):
    cache_ok = True

    def get_col_spec(self, **kw):
        return "xid8"


XID8 = _Xid8()

revision = "e5b1c0d94a21"
down_revision = "07a4177c32b8"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("xid", XID8, server_default=sa.text("pg_current_xact_id()"), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Text(), nullable=False),
        sa.Column("op", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("facility_id", sa.Uuid(), nullable=True),
        sa.Column("area_code", sa.Text(), nullable=True),
        sa.Column("audience", sa.Text(), server_default="everyone", nullable=False),
        sa.CheckConstraint(
            "audience IN ('everyone', 'staff', 'team')", name=op.f("ck_change_audience")
        ),
        sa.CheckConstraint("op IN ('upsert', 'delete')", name=op.f("ck_change_op")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change")),
    )
    op.create_index("ix_change_record", "change", ["entity", "record_id"], unique=False)
    op.create_index("ix_change_xid_id", "change", ["xid", "id"], unique=False)
    op.create_table(
        "sync_epoch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("epoch", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_epoch")),
    )
    op.create_table(
        "sync_scope",
        sa.Column("hash", sa.Text(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("area_codes", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("facility_ids", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.PrimaryKeyConstraint("hash", name=op.f("pk_sync_scope")),
    )
    op.create_table(
        "record_version",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("changed", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("snapshot", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("deleted", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("mutation_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_record_version_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_version")),
    )
    op.create_index(
        "ix_record_version_record",
        "record_version",
        ["entity", "record_id", "version"],
        unique=False,
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("entity", sa.Text(), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("base_value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("server_value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("device_value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("server_version", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("mutation_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("status", sa.Text(), server_default="open", nullable=False),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("resolved_value", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("resolved_by", sa.Uuid(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'resolved')", name=op.f("ck_sync_conflict_status")),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_sync_conflict_facility_id_facility")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by"],
            ["user_account.id"],
            name=op.f("fk_sync_conflict_resolved_by_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_sync_conflict_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index(
        "ix_sync_conflict_facility_status", "sync_conflict", ["facility_id", "status"], unique=False
    )
    op.create_index(
        "ix_sync_conflict_record", "sync_conflict", ["entity", "record_id"], unique=False
    )
    op.create_table(
        "sync_device",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("last_mutation_id", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column(
            "updated_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_sync_device_device_id_device")
        ),
        sa.PrimaryKeyConstraint("device_id", name=op.f("pk_sync_device")),
    )
    op.create_table(
        "sync_mutation",
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("mutation_id", sa.BigInteger(), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("result", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("client_ts", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clock_flagged", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("xid", XID8, server_default=sa.text("pg_current_xact_id()"), nullable=False),
        sa.Column(
            "settled_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["device.id"], name=op.f("fk_sync_mutation_device_id_device")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_sync_mutation_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("device_id", "mutation_id", name=op.f("pk_sync_mutation")),
    )
    op.execute("INSERT INTO sync_epoch (id) VALUES (1)")


def downgrade() -> None:
    op.drop_table("sync_mutation")
    op.drop_table("sync_device")
    op.drop_index("ix_sync_conflict_record", table_name="sync_conflict")
    op.drop_index("ix_sync_conflict_facility_status", table_name="sync_conflict")
    op.drop_table("sync_conflict")
    op.drop_index("ix_record_version_record", table_name="record_version")
    op.drop_table("record_version")
    op.drop_table("sync_scope")
    op.drop_table("sync_epoch")
    op.drop_index("ix_change_xid_id", table_name="change")
    op.drop_index("ix_change_record", table_name="change")
    op.drop_table("change")
