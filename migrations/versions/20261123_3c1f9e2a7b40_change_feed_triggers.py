"""change feed triggers

Revision ID: 3c1f9e2a7b40
Revises: e5b1c0d94a21
Created: 2026-11-23 01:20:00+00:00
"""

from __future__ import annotations

from alembic import op

revision = "3c1f9e2a7b40"
down_revision = "e5b1c0d94a21"
branch_labels = None
depends_on = None


# Every table a tablet receives writes its change-feed row from a trigger, so that no write
# path (API, sync, import, seed, hand-run SQL) can forget one. Scope and audience are fixed
# at write time: a facility's records, soums and below by area, the rest for everyone.
FEED_TABLES = (
    "area",
    "facility",
    "template_version",
    "cycle",
    "submission",
    "interface_meeting",
    "action_item",
    "action_update",
)

FEED_FUNCTIONS = [
    """
CREATE FUNCTION feed_area() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, area_code)
  VALUES ('area', NEW.code, 'upsert',
          CASE WHEN NEW.level IN ('soum', 'bag', 'khoroo') THEN NEW.code END);
  RETURN NULL;
END $$
""",
    """
CREATE FUNCTION feed_facility() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, facility_id, area_code)
  VALUES ('facility', NEW.id::text, 'upsert', NEW.id, NEW.area_code);
  RETURN NULL;
END $$
""",
    """
CREATE FUNCTION feed_template_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'draft' THEN
    INSERT INTO change (entity, record_id, op) VALUES ('template_version', NEW.id::text, 'upsert');
  END IF;
  RETURN NULL;
END $$
""",
    """
CREATE FUNCTION feed_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op, facility_id, area_code)
  SELECT 'cycle', NEW.id::text, 'upsert', NEW.facility_id, f.area_code
  FROM facility f WHERE f.id = NEW.facility_id;
  RETURN NULL;
END $$
""",
    """
CREATE FUNCTION feed_submission() RETURNS trigger LANGUAGE plpgsql AS $$
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
CREATE FUNCTION feed_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
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
    for function in FEED_FUNCTIONS:
        op.execute(function)
    for table in FEED_TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_feed AFTER INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION feed_{table}()"
        )


def downgrade() -> None:
    for table in FEED_TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_feed ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS feed_{table}()")
