"""a focus group's size, kept beside each submission

Revision ID: d9e4b8a1c3f7
Revises: a6d3f0e8c215
Created: 2026-11-30 19:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "d9e4b8a1c3f7"
down_revision = "a6d3f0e8c215"
branch_labels = None
depends_on = None

# How many people a focus group had, from its counts by category. The categories overlap
# (a young woman is counted under female and under youth), so adding them all would make a
# group of three look like five. The size is the sum by sex where the group was counted by
# sex, and otherwise its largest single count: never more people than were there.
GROUP_SIZE = """
CREATE FUNCTION group_size(g jsonb) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN jsonb_typeof(g -> 'participants') IS DISTINCT FROM 'object' THEN 0
    WHEN (g -> 'participants') ?| ARRAY['female', 'male', 'other'] THEN
      (SELECT coalesce(sum((p.value #>> '{}')::numeric), 0)::integer
       FROM jsonb_each(g -> 'participants') AS p
       WHERE p.key IN ('female', 'male', 'other') AND jsonb_typeof(p.value) = 'number')
    ELSE
      (SELECT coalesce(max((p.value #>> '{}')::numeric), 0)::integer
       FROM jsonb_each(g -> 'participants') AS p
       WHERE jsonb_typeof(p.value) = 'number')
  END
$$
"""


def upgrade() -> None:
    op.execute(GROUP_SIZE)
    op.add_column(
        "submission",
        sa.Column(
            "participants",
            sa.Integer(),
            sa.Computed('group_size("group")', persisted=True),
            nullable=False,
        ),
    )


def downgrade() -> None:
    op.drop_column("submission", "participants")
    op.execute("DROP FUNCTION group_size(jsonb)")
