"""field records: submissions, interface meetings, action items and updates

Revision ID: 07a4177c32b8
Revises: b70272392fe2
Created: 2026-11-23 01:15:58.542604+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "07a4177c32b8"
down_revision = "b70272392fe2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interface_meeting",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=True),
        sa.Column("venue", sa.Text(), server_default="", nullable=False),
        sa.Column(
            "attendance",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="{}",
            nullable=False,
        ),
        sa.Column("priorities", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("notes", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.Text(), server_default="planned", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
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
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('planned', 'held', 'closed')", name=op.f("ck_interface_meeting_status")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_interface_meeting_created_by_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_interface_meeting_cycle_id_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_interface_meeting_facility_id_facility")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interface_meeting")),
    )
    op.create_index(
        "ix_interface_meeting_cycle_id", "interface_meeting", ["cycle_id"], unique=False
    )
    op.create_index(
        op.f("ix_interface_meeting_facility_id"), "interface_meeting", ["facility_id"], unique=False
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("template_version_id", sa.Uuid(), nullable=False),
        sa.Column("respondent", sa.Text(), nullable=False),
        sa.Column("group", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("answers", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("collected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
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
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "respondent IN ('community', 'provider', 'monitor')",
            name=op.f("ck_submission_respondent"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user_account.id"], name=op.f("fk_submission_created_by_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_submission_cycle_id_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_submission_facility_id_facility")
        ),
        sa.ForeignKeyConstraint(
            ["template_version_id"],
            ["template_version.id"],
            name=op.f("fk_submission_template_version_id_template_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
    )
    op.create_index("ix_submission_cycle_id", "submission", ["cycle_id"], unique=False)
    op.create_index(op.f("ix_submission_facility_id"), "submission", ["facility_id"], unique=False)
    op.create_table(
        "action_item",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("meeting_id", sa.Uuid(), nullable=True),
        sa.Column(
            "indicator_keys", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False
        ),
        sa.Column("issue", sa.Text(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("responsible", sa.Text(), server_default="", nullable=False),
        sa.Column("resources", sa.Text(), server_default="", nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("status", sa.Text(), server_default="not_started", nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
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
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('not_started', 'in_progress', 'blocked', 'done', 'dropped')",
            name=op.f("ck_action_item_status"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["user_account.id"], name=op.f("fk_action_item_created_by_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_action_item_cycle_id_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_action_item_facility_id_facility")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["interface_meeting.id"],
            name=op.f("fk_action_item_meeting_id_interface_meeting"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_item")),
    )
    op.create_index("ix_action_item_cycle_id", "action_item", ["cycle_id"], unique=False)
    op.create_index(
        op.f("ix_action_item_facility_id"), "action_item", ["facility_id"], unique=False
    )
    op.create_table(
        "action_update",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("action_item_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("reported_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
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
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('not_started', 'in_progress', 'blocked', 'done', 'dropped')",
            name=op.f("ck_action_update_status"),
        ),
        sa.ForeignKeyConstraint(
            ["action_item_id"],
            ["action_item.id"],
            name=op.f("fk_action_update_action_item_id_action_item"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_action_update_created_by_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_action_update_facility_id_facility")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_update")),
    )
    op.create_index(
        "ix_action_update_action_item_id", "action_update", ["action_item_id"], unique=False
    )
    op.create_index(
        op.f("ix_action_update_facility_id"), "action_update", ["facility_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_action_update_facility_id"), table_name="action_update")
    op.drop_index("ix_action_update_action_item_id", table_name="action_update")
    op.drop_table("action_update")
    op.drop_index(op.f("ix_action_item_facility_id"), table_name="action_item")
    op.drop_index("ix_action_item_cycle_id", table_name="action_item")
    op.drop_table("action_item")
    op.drop_index(op.f("ix_submission_facility_id"), table_name="submission")
    op.drop_index("ix_submission_cycle_id", table_name="submission")
    op.drop_table("submission")
    op.drop_index(op.f("ix_interface_meeting_facility_id"), table_name="interface_meeting")
    op.drop_index("ix_interface_meeting_cycle_id", table_name="interface_meeting")
    op.drop_table("interface_meeting")
