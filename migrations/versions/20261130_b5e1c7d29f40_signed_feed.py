"""change feed rows name their round; publication hands a round out again

Revision ID: b5e1c7d29f40
Revises: d82f5c3e1a07
Created: 2026-11-30 10:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "b5e1c7d29f40"
down_revision = "d82f5c3e1a07"
branch_labels = None
depends_on = None


def _child(table: str) -> str:
    """A meeting's or an action item's feed row, with its round.

    Writing into an unpublished round takes a share lock on the cycle, so a publication either
    waits for the write (and hands the record out again) or commits before it (and the row
    itself reaches viewers): a viewer can never have skipped a row that publication missed.
    """
    return f"""
CREATE OR REPLACE FUNCTION feed_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM cycle WHERE id = NEW.cycle_id AND published_at IS NULL FOR SHARE;
  INSERT INTO change (entity, record_id, op, version, facility_id, area_code, cycle_id)
  SELECT '{table}', NEW.id::text,
         CASE WHEN NEW.deleted_at IS NULL THEN 'upsert' ELSE 'delete' END,
         NEW.version, NEW.facility_id, f.area_code, NEW.cycle_id
  FROM facility f WHERE f.id = NEW.facility_id;
  RETURN NULL;
END $$
"""


def _again(table: str, source: str, condition: str) -> str:
    """Feed rows for a just-published round's live records of one table."""
    return f"""
    INSERT INTO change (entity, record_id, op, version, facility_id, area_code, cycle_id)
    SELECT '{table}', r.id::text, 'upsert', r.version, r.facility_id, f.area_code, NEW.id
    FROM {source} JOIN facility f ON f.id = r.facility_id
    WHERE {condition} AND r.deleted_at IS NULL
    ORDER BY r.id;
"""


HAND_OUT_AGAIN = "".join(
    [
        _again("interface_meeting", "interface_meeting r", "r.cycle_id = NEW.id"),
        _again("action_item", "action_item r", "r.cycle_id = NEW.id"),
        _again(
            "action_update",
            "action_update r JOIN action_item i ON i.id = r.action_item_id",
            "i.cycle_id = NEW.id",
        ),
    ]
)

FUNCTIONS = [
    f"""
CREATE OR REPLACE FUNCTION feed_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, facility_id, area_code, cycle_id)
  SELECT 'cycle', NEW.id::text, 'upsert', NEW.facility_id, f.area_code, NEW.id
  FROM facility f WHERE f.id = NEW.facility_id;
  IF TG_OP = 'UPDATE' AND OLD.published_at IS NULL AND NEW.published_at IS NOT NULL THEN
    -- viewers' cursors may be past these records' rows: hand the round out again
{HAND_OUT_AGAIN}  END IF;
  RETURN NULL;
END $$
""",
    """
CREATE OR REPLACE FUNCTION feed_submission() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, version, facility_id, area_code, audience, cycle_id)
  SELECT 'submission', NEW.id::text,
         CASE WHEN NEW.deleted_at IS NULL THEN 'upsert' ELSE 'delete' END,
         NEW.version, NEW.facility_id, f.area_code,
         CASE WHEN NEW.respondent = 'provider' THEN 'staff' ELSE 'team' END,
         NEW.cycle_id
  FROM facility f WHERE f.id = NEW.facility_id;
  RETURN NULL;
END $$
""",
    _child("interface_meeting"),
    _child("action_item"),
    """
CREATE OR REPLACE FUNCTION feed_action_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  round uuid;
BEGIN
  SELECT cycle_id INTO round FROM action_item WHERE id = NEW.action_item_id;
  PERFORM 1 FROM cycle WHERE id = round AND published_at IS NULL FOR SHARE;
  INSERT INTO change (entity, record_id, op, version, facility_id, area_code, cycle_id)
  SELECT 'action_update', NEW.id::text,
         CASE WHEN NEW.deleted_at IS NULL THEN 'upsert' ELSE 'delete' END,
         NEW.version, NEW.facility_id, f.area_code, round
  FROM facility f WHERE f.id = NEW.facility_id;
  RETURN NULL;
END $$
""",
]

BACKFILL = [
    "UPDATE change SET cycle_id = record_id::uuid WHERE entity = 'cycle'",
    *(
        f"UPDATE change c SET cycle_id = r.cycle_id FROM {table} r "
        f"WHERE c.entity = '{table}' AND c.record_id = r.id::text"
        for table in ("submission", "interface_meeting", "action_item")
    ),
    "UPDATE change c SET cycle_id = i.cycle_id "
    "FROM action_update r JOIN action_item i ON i.id = r.action_item_id "
    "WHERE c.entity = 'action_update' AND c.record_id = r.id::text",
]

# The functions as 3c1f9e2a7b40 made them.
PREVIOUS = [
    """
CREATE OR REPLACE FUNCTION feed_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, facility_id, area_code)
  SELECT 'cycle', NEW.id::text, 'upsert', NEW.facility_id, f.area_code
  FROM facility f WHERE f.id = NEW.facility_id;
  RETURN NULL;
END $$
""",
    """
CREATE OR REPLACE FUNCTION feed_submission() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, version, facility_id, area_code, audience)
  SELECT 'submission', NEW.id::text,
         CASE WHEN NEW.deleted_at IS NULL THEN 'upsert' ELSE 'delete' END,
         NEW.version, NEW.facility_id, f.area_code,
         CASE WHEN NEW.respondent = 'provider' THEN 'staff' ELSE 'team' END
  FROM facility f WHERE f.id = NEW.facility_id;
  RETURN NULL;
END $$
""",
] + [
    f"""
CREATE OR REPLACE FUNCTION feed_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, version, facility_id, area_code)
  SELECT '{table}', NEW.id::text,
         CASE WHEN NEW.deleted_at IS NULL THEN 'upsert' ELSE 'delete' END,
         NEW.version, NEW.facility_id, f.area_code
  FROM facility f WHERE f.id = NEW.facility_id;
  RETURN NULL;
END $$
"""
    for table in ("interface_meeting", "action_item", "action_update")
]


def upgrade() -> None:
    op.add_column("change", sa.Column("cycle_id", sa.Uuid(), nullable=True))
    for statement in BACKFILL:
        op.execute(statement)
    for function in FUNCTIONS:
        op.execute(function)


def downgrade() -> None:
    for function in PREVIOUS:
        op.execute(function)
    op.drop_column("change", "cycle_id")
