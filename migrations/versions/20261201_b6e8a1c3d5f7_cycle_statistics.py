"""per-cycle statistics kept current by a trigger on submission

Revision ID: b6e8a1c3d5f7
Revises: a3d5f7b9c2e4
Created: 2026-12-01 01:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b6e8a1c3d5f7"
down_revision = "a3d5f7b9c2e4"
branch_labels = None
depends_on = None

# access.MIN_GROUP_SIZE when this revision was written: a community group smaller than this
# is marked small, and small cells never enter an outsider's figure. Changing the threshold
# needs a migration that marks the cells anew (tests/integration/reports/
# test_statistics_property.py fails until then).
MIN_GROUP_SIZE = 5

KEY = "cycle_id, facility_id, indicator"
# Each figure of a cell: n answers, the groups' participants summed over those answers, and
# the answers' total, per kind of respondent; a community group under the threshold apart.
FIGURES = {
    "community_n": ("sign", "respondent = 'community' AND NOT small"),
    "community_participants": ("sign * participants", "respondent = 'community' AND NOT small"),
    "community_total": ("sign * score", "respondent = 'community' AND NOT small"),
    "small_n": ("sign", "small"),
    "small_participants": ("sign * participants", "small"),
    "small_total": ("sign * score", "small"),
    "provider_n": ("sign", "respondent = 'provider'"),
    "provider_total": ("sign * score", "respondent = 'provider'"),
    "monitor_n": ("sign", "respondent = 'monitor'"),
    "monitor_total": ("sign * score", "respondent = 'monitor'"),
}
COLUMNS = ", ".join(FIGURES)
COUNTS = ("community_n", "small_n", "provider_n", "monitor_n")


def _cells(rows: str) -> str:
    """The numeric answers of `rows` (a query with a `sign` column, +1 or -1, and the columns
    of submission), exactly as `backend/reports/queries.scored_answers` counts them: live
    submissions, numbers as they are, yes/no as 1/0."""
    return f"""
  SELECT r.sign, r.cycle_id, r.facility_id, a.key AS indicator, r.respondent,
         (r.respondent = 'community' AND r.participants < {MIN_GROUP_SIZE}) AS small,
         r.participants,
         CASE jsonb_typeof(a.value -> 'value')
           WHEN 'number' THEN (a.value ->> 'value')::numeric
           ELSE (a.value ->> 'value')::boolean::integer
         END AS score
  FROM ({rows}) AS r
  CROSS JOIN LATERAL jsonb_each(
    CASE WHEN jsonb_typeof(r.answers) = 'object' THEN r.answers ELSE '{{}}'::jsonb END
  ) AS a
  WHERE r.deleted_at IS NULL AND jsonb_typeof(a.value -> 'value') IN ('number', 'boolean')
"""


def _sums(rows: str) -> str:
    figures = ",\n         ".join(
        f"coalesce(sum({value}) FILTER (WHERE {which}), 0) AS {name}"
        for name, (value, which) in FIGURES.items()
    )
    return f"""
  SELECT {KEY},
         {figures}
  FROM ({_cells(rows)}) AS c
  GROUP BY {KEY}
"""


# Changed rows only: an update that leaves the counted columns alone (a version, a hash)
# adds nothing.
_CHANGED = """
  (o.cycle_id, o.facility_id, o.respondent, o.participants, o.answers, o.deleted_at)
  IS DISTINCT FROM (n.cycle_id, n.facility_id, n.respondent, n.participants, n.answers,
                    n.deleted_at)
"""
ROWS = {
    "insert": "SELECT 1 AS sign, * FROM new_rows",
    "update": f"""
    SELECT 1 AS sign, n.* FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE {_CHANGED}
    UNION ALL
    SELECT -1 AS sign, o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE {_CHANGED}
""",
    "delete": "SELECT -1 AS sign, * FROM old_rows",
}
REFERENCING = {
    "insert": "NEW TABLE AS new_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
}


PENDING = "pg_temp.cycle_statistic_pending"
_CHANGED_CELL = " OR ".join(f"d.{name} <> 0" for name in FIGURES)
_ADDED = ",\n      ".join(f"{name} = s.{name} + excluded.{name}" for name in FIGURES)
_SUMMED = ", ".join(f"sum({name}) AS {name}" for name in FIGURES)


def _function(event: str) -> str:
    """The statement's deltas, appended to the transaction's own pending rows (a temporary
    table: no WAL, no locks, no index), so that a push of a hundred scorecards of one round
    writes each cell of `cycle_statistic` once, at commit, not a hundred times."""
    return f"""
CREATE FUNCTION cycle_statistic_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF to_regclass('{PENDING}') IS NULL THEN
    CREATE TEMPORARY TABLE cycle_statistic_pending (LIKE cycle_statistic)
      ON COMMIT DELETE ROWS;
  END IF;
  INSERT INTO {PENDING} ({KEY}, {COLUMNS})
  SELECT {KEY}, {COLUMNS}
  FROM ({_sums(ROWS[event])}) AS d
  WHERE {_CHANGED_CELL};
  RETURN NULL;
END $$
"""


# The transaction's pending deltas added to the cells in one INSERT ... ON CONFLICT DO UPDATE,
# in key order (two transactions writing the same cells lock them in the same order, and
# each adds its own delta to what the other committed); then the cells left with no answer
# go. Called at commit by the deferred trigger below, and by a reader before it reads
# `cycle_statistic` in a transaction that wrote submissions.
APPLY = f"""
CREATE FUNCTION cycle_statistic_apply() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  cycles uuid[];
BEGIN
  IF to_regclass('{PENDING}') IS NULL THEN
    RETURN;
  END IF;
  SELECT array_agg(DISTINCT cycle_id) INTO cycles FROM {PENDING};
  IF cycles IS NULL THEN
    RETURN;
  END IF;
  INSERT INTO cycle_statistic AS s ({KEY}, {COLUMNS})
  SELECT {KEY}, {COLUMNS}
  FROM (SELECT {KEY}, {_SUMMED} FROM {PENDING} GROUP BY {KEY}) AS d
  WHERE {_CHANGED_CELL}
  ORDER BY {KEY}
  ON CONFLICT ({KEY}) DO UPDATE
  SET {_ADDED};
  DELETE FROM {PENDING};
  DELETE FROM cycle_statistic s
  WHERE {" AND ".join(f"s.{name} = 0" for name in COUNTS)} AND s.cycle_id = ANY(cycles);
END $$
"""
FLUSH = """
CREATE FUNCTION cycle_statistic_flush() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM cycle_statistic_apply();  -- the first at commit applies; the rest find nothing
  RETURN NULL;
END $$
"""


TRUNCATED = f"""
CREATE FUNCTION cycle_statistic_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF to_regclass('{PENDING}') IS NOT NULL THEN
    DELETE FROM {PENDING};
  END IF;
  DELETE FROM cycle_statistic;
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    # no submission may be written between the backfill and the triggers
    op.execute("LOCK TABLE submission IN SHARE ROW EXCLUSIVE MODE")
    op.create_table(
        "cycle_statistic",
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("facility_id", sa.Uuid(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=False),
        *(
            sa.Column(
                name, sa.Numeric() if name.endswith("_total") else sa.BigInteger(), nullable=False
            )
            for name in FIGURES
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_cycle_statistic_cycle_id_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_cycle_statistic_facility_id_facility")
        ),
        sa.PrimaryKeyConstraint(
            "cycle_id",
            "facility_id",
            "indicator",
            name=op.f("pk_cycle_statistic"),
        ),
    )
    op.execute(
        f"INSERT INTO cycle_statistic ({KEY}, {COLUMNS}) "
        f"SELECT {KEY}, {COLUMNS} "
        f"FROM ({_sums('SELECT 1 AS sign, * FROM submission')}) AS d"
    )
    op.create_index(
        op.f("ix_submission_first_session"),
        "submission",
        ["cycle_id", "collected_at"],
        postgresql_where=sa.text("respondent = 'community' AND deleted_at IS NULL"),
        postgresql_include=["participants"],
    )
    for event in ROWS:
        op.execute(_function(event))
        op.execute(
            f"CREATE TRIGGER submission_statistic_{event} AFTER {event.upper()} ON submission "
            f"REFERENCING {REFERENCING[event]} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION cycle_statistic_{event}()"
        )
    op.execute(APPLY)
    op.execute(FLUSH)
    op.execute(
        "CREATE CONSTRAINT TRIGGER submission_statistic_flush "
        "AFTER INSERT OR UPDATE OR DELETE ON submission DEFERRABLE INITIALLY DEFERRED "
        "FOR EACH ROW EXECUTE FUNCTION cycle_statistic_flush()"
    )
    op.execute(TRUNCATED)
    op.execute(
        "CREATE TRIGGER submission_statistic_truncate AFTER TRUNCATE ON submission "
        "FOR EACH STATEMENT EXECUTE FUNCTION cycle_statistic_truncate()"
    )


def downgrade() -> None:
    for event in (*ROWS, "truncate", "flush"):
        op.execute(f"DROP TRIGGER IF EXISTS submission_statistic_{event} ON submission")
        op.execute(f"DROP FUNCTION IF EXISTS cycle_statistic_{event}()")
    op.execute("DROP FUNCTION IF EXISTS cycle_statistic_apply()")
    op.drop_index(op.f("ix_submission_first_session"), table_name="submission")
    op.drop_table("cycle_statistic")
