"""Follow-through figures attacked as the school's head would: trends, "did it work?" and the
index read from the same publishable cells as the scorecard, so no combination of them shows
which way a group of 3 scored."""

from datetime import date

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support import followthrough as ft
from tests.support.field import Tablet
from tests.support.identity import make_user

pytestmark = pytest.mark.asyncio

AREA = "MN-067"
KEYS = (
    "consulted_on_plan",
    "teacher_attendance",
    "complaints_answered",
    "inclusion",
    "dormitory_conditions",
)


async def test_a_small_group_moves_no_follow_through_figure_the_school_reads(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    site = await ft.site(committed_database, AREA)
    spring = await ft.round_at(site, date(2026, 3, 1), label="spring")
    autumn = await ft.round_at(site, date(2026, 10, 1), label="autumn")
    # the parents (12) score 3 both times; three teachers score 1, then 5; the school says 5
    for cycle_id, small in ((spring, 1), (autumn, 5)):
        await ft.scored(site, cycle_id, dict.fromkeys(KEYS, 3), group="parents", people=12)
        await ft.scored(site, cycle_id, dict.fromkeys(KEYS, small), group="teachers", people=3)
        await ft.scored(site, cycle_id, dict.fromkeys(KEYS, 5), respondent="provider")
    item = await ft.item(site, spring, ["consulted_on_plan"], "done")

    coordinator = await Tablet(committed_client, site.author).sign_in()
    async with committed_database.sessionmaker() as db:
        head_user = await make_user(db, Role.PROVIDER, facilities=[site.facility_id])
    head = await Tablet(committed_client, head_user).sign_in()

    async def read(tablet: Tablet) -> tuple[list[float], float, float]:
        trend = await committed_client.get(
            f"/reports/v1/facilities/{site.facility_id}/trend",
            params={"template": "parent_engagement"},
            headers=tablet.headers,
        )
        [line] = [i for i in trend.json()["indicators"] if i["key"] == "consulted_on_plan"]
        outcomes = await committed_client.get(
            f"/reports/v1/cycles/{spring}/outcomes", headers=tablet.headers
        )
        [judged] = [i for i in outcomes.json()["items"] if i["id"] == str(item)]
        index = await committed_client.get(
            "/reports/v1/index", params={"area": AREA, "by": "aimag"}, headers=tablet.headers
        )
        [row] = index.json()["rows"]
        [gaps] = [c for c in row["components"] if c["key"] == "gap_closed"]
        return [p["community"] for p in line["points"]], judged["community_change"], gaps["value"]

    # with the three teachers: 2 then 4, +50 on 0-100, every gap narrowed
    assert await read(coordinator) == ([2.0, 4.0], 50.0, 1.0)
    # without them, as every other surface shows the school: 3 and 3, no change, no gap closed
    assert await read(head) == ([3.0, 3.0], 0.0, 0.0)
    card = await committed_client.get(
        f"/reports/v1/cycles/{autumn}/scorecard", headers=head.headers
    )
    [row] = [i for i in card.json()["indicators"] if i["key"] == "consulted_on_plan"]
    assert row["community"]["mean"] == 3.0
