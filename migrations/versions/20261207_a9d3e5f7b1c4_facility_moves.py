"""a facility moved to another area takes its records' feed with it

Revision ID: a9d3e5f7b1c4
Revises: f3a1c5e7b9d2
Created: 2026-12-07 21:50:00+00:00
"""

from __future__ import annotations

from alembic import op

revision = "a9d3e5f7b1c4"
down_revision = "f3a1c5e7b9d2"
branch_labels = None
depends_on = None

# The feed's rows are stamped with their facility's area when written. When a facility moves,
# its records leave the old area's tablets (a `leave` row per record, scoped to the old area
# alone: no facility, so the facility's own people keep them) and every row of the facility
# belongs to the new area from then on; the new area's tablets past those rows get each record
# once more, as it is now.
MOVING = """
CREATE OR REPLACE FUNCTION feed_facility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.area_code IS DISTINCT FROM NEW.area_code THEN
    INSERT INTO change (entity, record_id, op, version, facility_id, area_code, cycle_id, audience)
    SELECT DISTINCT ON (entity, record_id)
           entity, record_id, 'leave', version, NULL, OLD.area_code, cycle_id, audience
    FROM change WHERE facility_id = NEW.id
    ORDER BY entity, record_id, id DESC;
    UPDATE change SET area_code = NEW.area_code WHERE facility_id = NEW.id;
    INSERT INTO change (entity, record_id, op, version, facility_id, area_code, cycle_id, audience)
    SELECT DISTINCT ON (entity, record_id)
           entity, record_id, op, version, facility_id, NEW.area_code, cycle_id, audience
    FROM change WHERE facility_id = NEW.id
    ORDER BY entity, record_id, id DESC;
  END IF;
  INSERT INTO change (entity, record_id, op, facility_id, area_code)
  VALUES ('facility', NEW.id::text, 'upsert', NEW.id, NEW.area_code);
  RETURN NULL;
END $$
"""

STAYING = """
CREATE OR REPLACE FUNCTION feed_facility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, facility_id, area_code)
  VALUES ('facility', NEW.id::text, 'upsert', NEW.id, NEW.area_code);
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.drop_constraint("op", "change", type_="check")
    op.create_check_constraint("op", "change", "op IN ('upsert', 'delete', 'leave')")
    op.execute(MOVING)


def downgrade() -> None:
    op.execute(STAYING)
    op.execute("DELETE FROM change WHERE op = 'leave'")
    op.drop_constraint("op", "change", type_="check")
    op.create_check_constraint("op", "change", "op IN ('upsert', 'delete')")
