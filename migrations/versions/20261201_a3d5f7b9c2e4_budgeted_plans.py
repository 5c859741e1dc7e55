"""budgeted and approved action plans, money spent, and who is told of what (the outbox)

Revision ID: a3d5f7b9c2e4
Revises: f2b7d4a9c1e6
Created: 2026-12-01 00:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "a3d5f7b9c2e4"
down_revision = "f2b7d4a9c1e6"
branch_labels = None
depends_on = None

FUNDING_SOURCES = (
    "facility_budget",
    "soum_ldf",
    "aimag_budget",
    "ministry",
    "health_insurance",
    "community",
    "other",
)
LEVELS = ("facility", "soum", "aimag", "national")
APPROVALS = ("pending", "approved", "returned")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


def upgrade() -> None:
    op.add_column("action_item", sa.Column("cost_mnt", sa.BigInteger(), nullable=True))
    op.add_column("action_item", sa.Column("funding_source", sa.Text(), nullable=True))
    op.add_column("action_item", sa.Column("level", sa.Text(), nullable=True))
    op.add_column("action_item", sa.Column("review_on", sa.Date(), nullable=True))
    op.add_column(
        "action_item",
        sa.Column("approval", sa.Text(), server_default="pending", nullable=False),
    )
    op.create_check_constraint(op.f("ck_action_item_cost_mnt"), "action_item", "cost_mnt >= 0")
    op.create_check_constraint(
        op.f("ck_action_item_funding_source"),
        "action_item",
        _in("funding_source", FUNDING_SOURCES),
    )
    op.create_check_constraint(op.f("ck_action_item_level"), "action_item", _in("level", LEVELS))
    op.create_check_constraint(
        op.f("ck_action_item_approval"), "action_item", _in("approval", APPROVALS)
    )
    op.add_column(
        "action_update",
        sa.Column("spent_mnt", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.create_check_constraint(
        op.f("ck_action_update_spent_mnt"), "action_update", "spent_mnt >= 0"
    )

    # a round's plan approved or returned: who, when, why, and which items it covered
    op.create_table(
        "plan_decision",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("decision", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("items", postgresql.ARRAY(sa.Uuid()), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
        sa.Column(
            "decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "decision IN ('approved', 'returned')", name=op.f("ck_plan_decision_decision")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_plan_decision_cycle_id_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["user_account.id"],
            name=op.f("fk_plan_decision_decided_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_decision")),
    )
    op.create_index(op.f("ix_plan_decision_cycle_id"), "plan_decision", ["cycle_id"])

    # an approved item's cost, funding, level or responsible party changed: before and after
    op.create_table(
        "action_revision",
        sa.Column("id", sa.Uuid(), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("action_item_id", sa.Uuid(), nullable=False),
        sa.Column("before", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("after", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("revised_by", sa.Uuid(), nullable=False),
        sa.Column(
            "revised_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["action_item_id"],
            ["action_item.id"],
            name=op.f("fk_action_revision_action_item_id_action_item"),
        ),
        sa.ForeignKeyConstraint(
            ["revised_by"],
            ["user_account.id"],
            name=op.f("fk_action_revision_revised_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_revision")),
    )
    op.create_index(
        op.f("ix_action_revision_action_item_id"), "action_revision", ["action_item_id"]
    )

    # who may be told of what, in which language
    op.add_column("user_account", sa.Column("email", sa.Text(), nullable=True))
    op.add_column(
        "user_account", sa.Column("language", sa.Text(), server_default="mn", nullable=False)
    )
    op.add_column(
        "user_account", sa.Column("reminders", sa.Boolean(), server_default="true", nullable=False)
    )
    op.create_check_constraint(
        op.f("ck_user_account_language"), "user_account", "language IN ('mn', 'en')"
    )

    # messages to send, written in the transaction of the change they tell of; one per key
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "send_after", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sending_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("given_up_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_outbox_message_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("key", name=op.f("uq_outbox_message_key")),
    )
    op.create_index(
        op.f("ix_outbox_message_due"),
        "outbox_message",
        ["send_after"],
        postgresql_where=sa.text("sent_at IS NULL AND given_up_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.drop_table("outbox_message")
    op.drop_constraint("ck_user_account_language", "user_account")
    for column in ("reminders", "language", "email"):
        op.drop_column("user_account", column)
    op.drop_index("ix_action_revision_action_item_id", table_name="action_revision")
    op.drop_table("action_revision")
    op.drop_index("ix_plan_decision_cycle_id", table_name="plan_decision")
    op.drop_table("plan_decision")
    op.drop_constraint("ck_action_update_spent_mnt", "action_update")
    op.drop_column("action_update", "spent_mnt")
    for name in ("approval", "level", "funding_source", "cost_mnt"):
        op.drop_constraint(f"ck_action_item_{name}", "action_item")
    for column in ("approval", "review_on", "level", "funding_source", "cost_mnt"):
        op.drop_column("action_item", column)
