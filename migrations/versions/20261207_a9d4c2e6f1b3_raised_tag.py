"""the programme's list of tags for raised indicators, handed down to tablets

Revision ID: a9d4c2e6f1b3
Revises: a9d3e5f7b1c4
Created: 2026-12-07 09:00:00+00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "a9d4c2e6f1b3"
down_revision = "a9d3e5f7b1c4"
branch_labels = None
depends_on = None

# the issues groups raise most often in schools, clinics and pharmacies: a list to start from,
# which coordinators rename, retire and add to
STARTERS = (
    ("heating", "Халаалт, дулаан", "Heating and warmth"),
    ("toilets", "Ариун цэврийн өрөө", "Toilets"),
    ("water", "Ундны ус", "Drinking water"),
    ("cleanliness", "Ариун цэвэр, цэвэрлэгээ", "Cleanliness"),
    ("teacher_attendance", "Багшийн ирц, хичээл тасалдах", "Teacher attendance, lessons missed"),
    ("textbooks", "Сурах бичиг", "Textbooks"),
    ("dormitory", "Дотуур байр", "Dormitory"),
    ("school_meals", "Хүүхдийн хоол", "School meals"),
    ("informal_payments", "Албан бус төлбөр, хандив", "Informal payments and contributions"),
    ("staff_attitude", "Ажилтны харьцаа", "Staff attitude"),
    ("waiting_time", "Хүлээлгийн хугацаа", "Waiting time"),
    ("medicine_availability", "Эмийн хүртээмж", "Medicine availability"),
    ("medicine_prices", "Эмийн үнэ", "Medicine prices"),
    ("health_insurance", "Эрүүл мэндийн даатгал", "Health insurance"),
    ("information", "Мэдээллийн ил тод байдал", "Information and transparency"),
    ("complaints", "Гомдол шийдвэрлэлт", "Complaint handling"),
    (
        "disability_access",
        "Хөгжлийн бэрхшээлтэй хүний хүртээмж",
        "Access for people with disabilities",
    ),
    ("safety", "Аюулгүй байдал", "Safety"),
    ("transport", "Тээвэр, зам", "Transport and roads"),
)

FEED = """
CREATE FUNCTION feed_raised_tag() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO change (entity, record_id, op) VALUES ('raised_tag', NEW.key, 'upsert');
  RETURN NULL;
END $$
"""


def upgrade() -> None:
    op.create_table(
        "raised_tag",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("label_mn", sa.Text(), nullable=False),
        sa.Column("label_en", sa.Text(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False
        ),
        sa.CheckConstraint("key ~ '^[a-z][a-z0-9_]{0,63}$'", name=op.f("ck_raised_tag_key")),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_raised_tag")),
    )
    op.execute(FEED)
    op.execute(
        "CREATE TRIGGER raised_tag_feed AFTER INSERT OR UPDATE ON raised_tag "
        "FOR EACH ROW EXECUTE FUNCTION feed_raised_tag()"
    )
    table = sa.table("raised_tag", sa.column("key"), sa.column("label_mn"), sa.column("label_en"))
    op.bulk_insert(
        table, [{"key": key, "label_mn": mn, "label_en": en} for key, mn, en in STARTERS]
    )
    # the tags indicators carry already join the list under their own key, for a coordinator
    # to name: nothing already tagged is left off the list
    op.execute(
        "INSERT INTO raised_tag (key, label_mn, label_en) "
        "SELECT DISTINCT tag, tag, tag FROM cycle_indicator WHERE tag IS NOT NULL "
        "ON CONFLICT (key) DO NOTHING"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS raised_tag_feed ON raised_tag")
    op.execute("DROP FUNCTION IF EXISTS feed_raised_tag()")
    op.drop_table("raised_tag")
