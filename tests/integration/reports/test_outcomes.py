"""Did it work? Each class on a hand-computed example, the roll-up by funding source, and an
outsider's reading from publishable cells only."""

from datetime import date

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support import followthrough as ft
from tests.support.field import Tablet
from tests.support.identity import make_user

pytestmark = pytest.mark.asyncio

AREA = "MN-073"


async def test_each_class_from_the_next_round(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    site = await ft.site(committed_database, AREA)
    spring = await ft.round_at(site, date(2026, 3, 1))
    autumn = await ft.round_at(site, date(2026, 10, 1))
    # spring: community 2 and 3 (25 and 50 on 0-100), the school 4 and 3 (75 and 50)
    for group in ("parents", "students"):
        await ft.scored(
            site, spring, {"consulted_on_plan": 2, "teacher_attendance": 3}, group=group
        )
    await ft.scored(
        site, spring, {"consulted_on_plan": 4, "teacher_attendance": 3}, respondent="provider"
    )
    # autumn: community 4 and 2 (75 and 25), the school 4 and 4 (75 and 75); a group of 3 who
    # scored 1 counts for the coordinator only
    for group in ("parents", "students"):
        await ft.scored(
            site, autumn, {"consulted_on_plan": 4, "teacher_attendance": 2}, group=group
        )
    await ft.scored(site, autumn, {"consulted_on_plan": 1}, group="teachers", people=3)
    await ft.scored(
        site, autumn, {"consulted_on_plan": 4, "teacher_attendance": 4}, respondent="provider"
    )

    consulted, attendance = ["consulted_on_plan"], ["teacher_attendance"]
    items = {
        "done_improved": await ft.item(
            site, spring, consulted, "done", cost_mnt=500_000, funding_source="soum_ldf"
        ),
        "done_not_improved": await ft.item(
            site, spring, attendance, "done", cost_mnt=300_000, funding_source="facility_budget"
        ),
        "not_done_improved": await ft.item(site, spring, consulted, "not_started"),
        "not_done_not_improved": await ft.item(site, spring, attendance, "in_progress"),
        "dropped": await ft.item(site, spring, consulted, "dropped"),
        "both": await ft.item(site, spring, consulted + attendance, "done"),
        "later": await ft.item(site, autumn, consulted, "not_started"),
    }
    await ft.report(site, items["done_improved"], "done", date(2026, 5, 1), spent_mnt=450_000)

    coordinator = await Tablet(committed_client, site.author).sign_in()
    answer = await committed_client.get(
        f"/reports/v1/cycles/{spring}/outcomes", headers=coordinator.headers
    )
    assert answer.status_code == 200, answer.text
    judged = {row["id"]: row for row in answer.json()["items"]}
    by_name = {name: judged.get(str(item_id)) for name, item_id in items.items()}

    # consulted: 25 -> 50 for the coordinator ((4 + 4 + 1) / 3 = 3): +25; the gap 50 -> 25
    first = by_name["done_improved"]
    assert first is not None
    assert (first["outcome"], first["community_change"], first["gap_change"]) == (
        "done_improved",
        25.0,
        -25.0,
    )
    assert (first["spent_mnt"], first["cost_mnt"]) == (450_000, 500_000)
    assert first["next_cycle_id"] == str(autumn)
    # attendance: 50 -> 25: -25; the gap 0 -> 50
    second = by_name["done_not_improved"]
    assert second is not None
    assert (second["outcome"], second["community_change"], second["gap_change"]) == (
        "done_not_improved",
        -25.0,
        50.0,
    )
    assert by_name["not_done_improved"]["outcome"] == "not_done_improved"  # type: ignore[index]
    assert by_name["not_done_not_improved"]["outcome"] == "not_done_not_improved"  # type: ignore[index]
    assert by_name["dropped"]["unjudged"] == "dropped"  # type: ignore[index]
    # both indicators: the mean of +25 and -25 is not an improvement
    both = by_name["both"]
    assert both is not None
    assert (both["community_change"], both["indicators_compared"], both["outcome"]) == (
        0.0,
        2,
        "done_not_improved",
    )
    assert by_name["later"] is None  # another round's item

    later = await committed_client.get(
        f"/reports/v1/cycles/{autumn}/outcomes", headers=coordinator.headers
    )
    assert later.json()["items"][0]["unjudged"] == "no_next_round"

    # the school reads the same from the cells it may see: without the group of 3, +50
    async with committed_database.sessionmaker() as db:
        head = await make_user(db, Role.PROVIDER, facilities=[site.facility_id])
    school = await Tablet(committed_client, head).sign_in()
    seen = await committed_client.get(
        f"/reports/v1/cycles/{spring}/outcomes", headers=school.headers
    )
    theirs = {row["id"]: row for row in seen.json()["items"]}
    assert theirs[str(items["done_improved"])]["community_change"] == 50.0
    assert theirs[str(items["done_improved"])]["gap_change"] == -50.0

    rolled = await committed_client.get(
        "/reports/v1/outcomes",
        params={"area": AREA, "by": "funding_source"},
        headers=coordinator.headers,
    )
    assert rolled.status_code == 200, rolled.text
    rows = {row["group"]: row for row in rolled.json()["rows"]}
    assert rows["soum_ldf"]["done_improved"] == 1
    assert (rows["soum_ldf"]["cost_mnt"], rows["soum_ldf"]["spent_mnt"]) == (500_000, 450_000)
    assert rows["facility_budget"]["done_not_improved"] == 1
    unstated = rows["unstated"]
    assert (unstated["items"], unstated["judged"]) == (5, 3)
    assert (unstated["not_done_improved"], unstated["not_done_not_improved"]) == (1, 1)
    assert unstated["done_not_improved"] == 1
