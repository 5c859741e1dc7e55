"""per-piece review of community text and evidence

Revision ID: e7c2a4b6d8f1
Revises: c4f1a9d27e63
Created: 2026-12-07 18:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "e7c2a4b6d8f1"
down_revision = "c4f1a9d27e63"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "piece_review",
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("piece", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.Text(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
        sa.Column(
            "decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("state IN ('passed', 'hidden')", name=op.f("ck_piece_review_state")),
        sa.CheckConstraint(
            "state = 'passed' OR note <> ''", name=op.f("ck_piece_review_hidden_says_why")
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_piece_review_cycle_id_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["user_account.id"],
            name=op.f("fk_piece_review_decided_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("record_id", "piece", "content_hash", name=op.f("pk_piece_review")),
    )
    op.create_index("ix_piece_review_cycle_id", "piece_review", ["cycle_id"])
    # what a round's one-shot review let through stays passed: every piece it had then
    op.execute(
        """
        INSERT INTO piece_review (record_id, piece, content_hash, cycle_id, state, decided_by,
                                  decided_at)
        SELECT s.id, a.key || ':' || part.name,
               encode(sha256(convert_to(part.text, 'UTF8')), 'hex'),
               s.cycle_id, 'passed', c.opened_by, c.reasons_reviewed_at
        FROM submission s
        JOIN cycle c ON c.id = s.cycle_id AND c.reasons_reviewed_at IS NOT NULL
        CROSS JOIN LATERAL jsonb_each(s.answers) AS a(key, value)
        CROSS JOIN LATERAL (VALUES ('reason', a.value ->> 'reason'),
                                   ('suggestion', a.value ->> 'suggestion')) AS part(name, text)
        WHERE s.respondent <> 'provider' AND jsonb_typeof(a.value) = 'object'
          AND coalesce(part.text, '') <> '' AND s.updated_at <= c.reasons_reviewed_at
        ON CONFLICT DO NOTHING
        """
    )
    op.execute(
        """
        INSERT INTO piece_review (record_id, piece, content_hash, cycle_id, state, decided_by,
                                  decided_at)
        SELECT s.id, 'photo:' || photo.sha256, photo.sha256, s.cycle_id, 'passed', c.opened_by,
               c.reasons_reviewed_at
        FROM submission s
        JOIN cycle c ON c.id = s.cycle_id AND c.reasons_reviewed_at IS NOT NULL
        CROSS JOIN LATERAL jsonb_each(s.answers) AS a(key, value)
        CROSS JOIN LATERAL jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(a.value -> 'evidence') = 'array' THEN a.value -> 'evidence'
                 ELSE '[]'::jsonb END) AS photo(sha256)
        WHERE s.respondent <> 'provider' AND jsonb_typeof(a.value) = 'object'
          AND s.updated_at <= c.reasons_reviewed_at
        ON CONFLICT DO NOTHING
        """
    )
    op.execute(
        """
        INSERT INTO piece_review (record_id, piece, content_hash, cycle_id, state, decided_by,
                                  decided_at)
        SELECT i.id, 'label',
               encode(sha256(convert_to((i.label ->> 'mn') || E'\\n'
                                        || coalesce(i.label ->> 'en', ''), 'UTF8')), 'hex'),
               i.cycle_id, 'passed', c.opened_by, c.reasons_reviewed_at
        FROM cycle_indicator i
        JOIN cycle c ON c.id = i.cycle_id AND c.reasons_reviewed_at IS NOT NULL
        WHERE i.origin = 'community' AND i.updated_at <= c.reasons_reviewed_at
        ON CONFLICT DO NOTHING
        """
    )


def downgrade() -> None:
    op.drop_index("ix_piece_review_cycle_id", table_name="piece_review")
    op.drop_table("piece_review")
