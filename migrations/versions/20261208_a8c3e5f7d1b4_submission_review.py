"""submission review states, kept as a history of decisions

Revision ID: a8c3e5f7d1b4
Revises: f3a1c5e7b9d2
Created: 2026-12-08 09:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a8c3e5f7d1b4"
down_revision = "f3a1c5e7b9d2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "submission_review",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("submission_version", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
        sa.Column(
            "decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "state IN ('approved', 'has_issues', 'rejected')",
            name=op.f("ck_submission_review_state"),
        ),
        sa.CheckConstraint(
            "state = 'approved' OR note <> ''", name=op.f("ck_submission_review_says_why")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_submission_review_submission_id_submission"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_submission_review_cycle_id_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["user_account.id"],
            name=op.f("fk_submission_review_decided_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission_review")),
    )
    op.create_index(
        "ix_submission_review_submission_id", "submission_review", ["submission_id", "id"]
    )
    op.create_index("ix_submission_review_cycle_id", "submission_review", ["cycle_id"])


def downgrade() -> None:
    op.drop_index("ix_submission_review_cycle_id", table_name="submission_review")
    op.drop_index("ix_submission_review_submission_id", table_name="submission_review")
    op.drop_table("submission_review")
