"""submission review states kept as a history of decisions; publications and their
withdrawals kept with why; a settled conflict's note

Revision ID: a8c3e5f7d1b4
Revises: a9d4c2e6f1b3
Created: 2026-12-07 09:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a8c3e5f7d1b4"
down_revision = "a9d4c2e6f1b3"
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

    op.create_table(
        "cycle_publication",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("changed_by", sa.Uuid(), nullable=False),
        sa.Column(
            "changed_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint(
            "action IN ('published', 'withdrawn')", name=op.f("ck_cycle_publication_action")
        ),
        sa.CheckConstraint(
            "action = 'published' OR reason <> ''",
            name=op.f("ck_cycle_publication_withdrawal_says_why"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["cycle.id"],
            name=op.f("fk_cycle_publication_cycle_id_cycle"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["changed_by"],
            ["user_account.id"],
            name=op.f("fk_cycle_publication_changed_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_publication")),
    )
    op.create_index("ix_cycle_publication_cycle_id", "cycle_publication", ["cycle_id"])
    # rounds published before: by whoever the audit log says published them (else whoever
    # opened them), when they were published
    op.execute(
        """
        INSERT INTO cycle_publication (cycle_id, action, changed_by, changed_at)
        SELECT c.id, 'published',
               coalesce((SELECT e.actor_id FROM audit_event e
                         WHERE e.kind = 'cycle.published' AND e.detail ->> 'cycle_id' = c.id::text
                           AND e.actor_id IS NOT NULL
                         ORDER BY e.at DESC LIMIT 1), c.opened_by),
               c.published_at
        FROM cycle c WHERE c.published_at IS NOT NULL
        ORDER BY c.published_at, c.id
        """
    )
    # a withdrawal's removals reach viewers only
    op.drop_constraint(op.f("ck_change_audience"), "change", type_="check")
    op.create_check_constraint(
        op.f("ck_change_audience"),
        "change",
        "audience IN ('everyone', 'staff', 'team', 'withdrawn')",
    )
    op.add_column(
        "sync_conflict", sa.Column("resolution_note", sa.Text(), server_default="", nullable=False)
    )


def downgrade() -> None:
    op.drop_column("sync_conflict", "resolution_note")
    op.execute("DELETE FROM change WHERE audience = 'withdrawn'")
    op.drop_constraint(op.f("ck_change_audience"), "change", type_="check")
    op.create_check_constraint(
        op.f("ck_change_audience"), "change", "audience IN ('everyone', 'staff', 'team')"
    )
    op.drop_index("ix_cycle_publication_cycle_id", table_name="cycle_publication")
    op.drop_table("cycle_publication")
    op.drop_index("ix_submission_review_cycle_id", table_name="submission_review")
    op.drop_index("ix_submission_review_submission_id", table_name="submission_review")
    op.drop_table("submission_review")
