"""The demo's action plans: agreed at the interface meeting, budgeted, approved by the area's
coordinator, each item linked to the indicator it should move, with progress and money spent."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import PlanDecision
from backend.action_plans.sync import ACTION_ITEM, ACTION_UPDATE, MEETING
from backend.auth.models import Role
from backend.scorecards.document import TemplateDocument
from backend.seed.records import Desk, make, write_followed


@dataclass(frozen=True)
class Planned:
    issue: str
    action: str
    responsible: str
    indicator: str
    cost_mnt: int
    funding_source: str
    level: str
    # spent by the first progress report; the first item of a plan is done by then
    spent_mnt: int


PLANS = {
    "parent_engagement": [
        Planned(
            "Төсвийн мэдээлэл самбарт тавигддаггүй",
            "Улирал бүр Шилэн дансанд болон самбарт нийтлэх",
            "Сургуулийн захирал",
            "budget_published",
            150_000,
            "facility_budget",
            "facility",
            120_000,
        ),
        Planned(
            "Охидын бие засах газар ажиллахгүй",
            "Өвлөөс өмнө засварлах",
            "Аж ахуйн эрхлэгч",
            "toilets_and_water",
            2_400_000,
            "soum_ldf",
            "soum",
            1_500_000,
        ),
    ],
    "medicine_availability": [
        Planned(
            "Инсулины нөөц тасалддаг",
            "Сар бүрийн захиалгыг нөөцийн картаар хянах",
            "Эмийн сангийн эрхлэгч",
            "could_get_medicines",
            800_000,
            "aimag_budget",
            "aimag",
            800_000,
        ),
        Planned(
            "Үнийн жагсаалт харагдахгүй",
            "Касс дээр үнийн жагсаалт байрлуулах",
            "Эмийн сангийн эрхлэгч",
            "could_get_medicines",
            50_000,
            "facility_budget",
            "facility",
            0,
        ),
    ],
    "health_insurance": [
        Planned(
            "Даатгалын хамралтын талаар мэдээлэл дутмаг",
            "Хүлээлгийн танхимд зурагт хуудас байрлуулах",
            "Эрүүл мэндийн төвийн дарга",
            "knows_coverage",
            200_000,
            "health_insurance",
            "facility",
            180_000,
        ),
        Planned(
            "Хүлээлгийн хугацаа урт",
            "Цаг захиалгын дэвтэр нэвтрүүлэх",
            "Бүртгэлийн ажилтан",
            "ease_of_use",
            600_000,
            "soum_ldf",
            "soum",
            300_000,
        ),
    ],
}


async def seed_plan(
    db: AsyncSession,
    desk: Desk,
    document: TemplateDocument,
    held_on: date,
    people: dict[str, uuid.UUID],
    rng: random.Random,
) -> None:
    facilitator = people["facilitator"]
    meeting_id = await make(
        db,
        desk,
        MEETING,
        {
            "cycle_id": desk.cycle_id,
            "held_on": held_on,
            "venue": "Сумын соёлын төв",
            "status": "held",
            "attendance": {
                "community_female": rng.randint(12, 20),
                "community_male": rng.randint(8, 15),
                "provider": 4,
                "officials": 2,
            },
            "priorities": [i.key for i in document.indicators[:2]],
        },
        author=facilitator,
        role=Role.FACILITATOR,
    )
    items = []
    for n, planned in enumerate(PLANS[document.family]):
        item_id = await make(
            db,
            desk,
            ACTION_ITEM,
            {
                "cycle_id": desk.cycle_id,
                "meeting_id": meeting_id,
                "indicator_keys": [planned.indicator],
                "issue": planned.issue,
                "action": planned.action,
                "responsible": planned.responsible,
                "due_on": held_on + timedelta(days=30 + 30 * n),
                "review_on": held_on + timedelta(days=90),
                "cost_mnt": planned.cost_mnt,
                "funding_source": planned.funding_source,
                "level": planned.level,
            },
            author=facilitator,
            role=Role.FACILITATOR,
        )
        items.append(item_id)
    # the area's coordinator approves the plan after the meeting
    for item_id in items:
        desk.follow(desk.made[(ACTION_ITEM.name, item_id)], {"approval": "approved"})
    await write_followed(db, desk)
    db.add(
        PlanDecision(
            cycle_id=desk.cycle_id,
            decision="approved",
            items=items,
            decided_by=people["coordinator"],
        )
    )
    for n, (item_id, planned) in enumerate(zip(items, PLANS[document.family], strict=True)):
        await make(
            db,
            desk,
            ACTION_UPDATE,
            {
                "action_item_id": item_id,
                "status": "done" if n == 0 else "in_progress",
                "reported_on": held_on + timedelta(days=20),
                "spent_mnt": planned.spent_mnt,
                "note": "Хийгдсэн ажлыг иргэдийн төлөөлөл шалгав" if n == 0 else "Төсөв батлагдсан",
            },
            author=facilitator,
            role=Role.FACILITATOR,
        )
