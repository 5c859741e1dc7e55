"""community-raised indicators of a round, synced from tablets and fed to them

Revision ID: f2b7d4a9c1e6
Revises: e8a1c4f7b2d3
Created: 2026-11-30 23:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "f2b7d4a9c1e6"
down_revision = "e8a1c4f7b2d3"
branch_labels = None
depends_on = None


def _again(table: str) -> str:
    return f"""
    INSERT INTO change (entity, record_id, op, version, facility_id, area_code, cycle_id)
    SELECT '{table}', r.id::text, 'upsert', r.version, r.facility_id, f.area_code, NEW.id
    FROM {table} r JOIN facility f ON f.id = r.facility_id
    WHERE r.cycle_id = NEW.id AND r.deleted_at IS NULL
    ORDER BY r.id;
"""


def _feed_cycle(tables: tuple[str, ...]) -> str:
    """The cycle's feed row; a just-published round's records are handed out again."""
    again = "".join(_again(table) for table in tables)
    updates = """
    INSERT INTO change (entity, record_id, op, version, facility_id, area_code, cycle_id)
    SELECT 'action_update', r.id::text, 'upsert', r.version, r.facility_id, f.area_code, NEW.id
    FROM action_update r JOIN action_item i ON i.id = r.action_item_id
         JOIN facility f ON f.id = r.facility_id
    WHERE i.cycle_id = NEW.id AND r.deleted_at IS NULL
    ORDER BY r.id;
"""
    return f"""
CREATE OR REPLACE FUNCTION feed_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, facility_id, area_code, cycle_id)
  SELECT 'cycle', NEW.id::text, 'upsert', NEW.facility_id, f.area_code, NEW.id
  FROM facility f WHERE f.id = NEW.facility_id;
  IF TG_OP = 'UPDATE' AND OLD.published_at IS NULL AND NEW.published_at IS NOT NULL THEN
    -- viewers' cursors may be past these records' rows: hand the round out again
{again}{updates}  END IF;
  RETURN NULL;
END $$
"""


FEED_CYCLE_INDICATOR = """
CREATE FUNCTION feed_cycle_indicator() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM cycle WHERE id = NEW.cycle_id AND published_at IS NULL FOR SHARE;
  INSERT INTO change (entity, record_id, op, version, facility_id, area_code, cycle_id)
  SELECT 'cycle_indicator', NEW.id::text,
         CASE WHEN NEW.deleted_at IS NULL THEN 'upsert' ELSE 'delete' END,
         NEW.version, NEW.facility_id, f.area_code, NEW.cycle_id
  FROM facility f WHERE f.id = NEW.facility_id;
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "cycle_indicator",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("cycle_id", sa.Uuid(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("label", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("raised_by", postgresql.ARRAY(sa.Text()), server_default="{}", nullable=False),
        sa.Column("origin", sa.Text(), server_default="community", nullable=False),
        sa.Column("status", sa.Text(), server_default="proposed", nullable=False),
        sa.Column("merged_into", sa.Uuid(), nullable=True),
        sa.Column("tag", sa.Text(), nullable=True),
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
            "kind IN ('scale', 'yes_no', 'count')", name=op.f("ck_cycle_indicator_kind")
        ),
        sa.CheckConstraint(
            "origin IN ('community', 'provider')", name=op.f("ck_cycle_indicator_origin")
        ),
        sa.CheckConstraint(
            "status IN ('proposed', 'selected', 'dropped', 'merged')",
            name=op.f("ck_cycle_indicator_status"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["cycle.id"], name=op.f("fk_cycle_indicator_cycle_id_cycle")
        ),
        sa.ForeignKeyConstraint(
            ["facility_id"], ["facility.id"], name=op.f("fk_cycle_indicator_facility_id_facility")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["user_account.id"],
            name=op.f("fk_cycle_indicator_created_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_indicator")),
    )
    op.create_index("ix_cycle_indicator_cycle_id", "cycle_indicator", ["cycle_id"])
    op.create_index(op.f("ix_cycle_indicator_facility_id"), "cycle_indicator", ["facility_id"])
    op.create_index(
        "uq_cycle_indicator_key",
        "cycle_indicator",
        ["cycle_id", "key"],
        unique=True,
        postgresql_where=sa.text("status IN ('proposed', 'selected') AND deleted_at IS NULL"),
    )
    op.execute(FEED_CYCLE_INDICATOR)
    op.execute(
        "CREATE TRIGGER cycle_indicator_feed AFTER INSERT OR UPDATE ON cycle_indicator "
        "FOR EACH ROW EXECUTE FUNCTION feed_cycle_indicator()"
    )
    op.execute(_feed_cycle(("interface_meeting", "action_item", "cycle_indicator")))


def downgrade() -> None:
    op.execute(_feed_cycle(("interface_meeting", "action_item")))
    op.execute("DROP TRIGGER IF EXISTS cycle_indicator_feed ON cycle_indicator")
    op.execute("DROP FUNCTION IF EXISTS feed_cycle_indicator()")
    op.drop_table("cycle_indicator")
