"""Which way is better for the issues groups raise: their words are problems ("no receipt is
given"), so a high score is bad once the facilitator says lower is better; and nothing is read
toward a direction nobody has set."""

import uuid
from datetime import date
from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support import followthrough as ft
from tests.support.field import Tablet, programme, school_answers
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio

AREA = "MN-073"


def _issue(cycle_id: uuid.UUID, key: str, mn: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(cycle_id),
        "key": key,
        "label": {"mn": mn},
        "kind": kind,
        "raised_by": ["parents"],
        "status": "selected",
    } | extra


async def test_a_raised_problem_reads_lower_is_better_and_an_unset_one_unknown(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    cycle = field.cycle_id
    issues = [
        _issue(cycle, "no_receipt", "Баримт өгдөггүй", "yes_no", better="lower"),
        _issue(cycle, "classrooms_cold", "Анги танхим өвөл хүйтэн", "scale", better="lower"),
        # raised by a tablet that does not know `better` yet
        _issue(cycle, "bus_late", "Сургуулийн автобус хоцордог", "scale"),
    ]
    # three groups: two say a receipt is not given, one that it is; all find classrooms cold (4)
    said = {"parents": True, "students": True, "teachers": False}
    pushed = await team.push(
        *(team.mutation("cycle_indicator", "create", uuid.uuid4(), data) for data in issues),
        *(
            team.mutation(
                "submission",
                "create",
                uuid.uuid4(),
                submission(
                    field,
                    group={"type": group, "participants": {"female": 6, "male": 4}},
                    answers=school_answers(3)
                    | {
                        "no_receipt": {"value": no_receipt},
                        "classrooms_cold": {"value": 4},
                        "bus_late": {"value": 2},
                    },
                ),
            )
            for group, no_receipt in said.items()
        ),
    )
    assert {r["status"] for r in pushed["results"]} == {"applied"}, pushed

    card = await committed_client.get(f"/reports/v1/cycles/{cycle}/scorecard", headers=team.headers)
    assert card.status_code == 200, card.text
    rows = {i["key"]: i for i in card.json()["indicators"]}
    receipt, cold, bus = rows["no_receipt"], rows["classrooms_cold"], rows["bus_late"]
    # 2 of 3 groups say yes: a share of 0.667, 66.7 on 0-100; lower is better, so read toward
    # better it is 33.3: bad
    assert (receipt["better"], receipt["unit"]) == ("lower", "share")
    assert (receipt["community"]["mean"], receipt["community_100"]) == (0.67, 66.7)
    # 4 on 1-5 faces: (4 - 1) / (5 - 1) = 75 on 0-100, and lower is better: bad
    assert (cold["better"], cold["community"]["mean"], cold["community_100"]) == (
        "lower",
        4.0,
        75.0,
    )
    assert bus["better"] == "unknown"
    # the template's own still say higher or lower
    assert rows["consulted_on_plan"]["better"] == "higher"
    assert rows["informal_contributions"]["better"] == "lower"
    matrix = {row["indicator"]: row["better"] for row in card.json()["matrix"]["rows"]}
    assert (matrix["no_receipt"], matrix["classrooms_cold"], matrix["bus_late"]) == (
        "lower",
        "lower",
        "unknown",
    )
    listed = await committed_client.get(f"/cycles/v1/{cycle}/indicators", headers=team.headers)
    assert {i["key"]: i["better"] for i in listed.json()} == {
        "no_receipt": "lower",
        "classrooms_cold": "lower",
        "bus_late": None,
    }


async def _cold_classrooms(database: Database, better: str | None) -> tuple[ft.Site, Any, Any]:
    """Classrooms found cold (4 of 5) in spring and much less (2) in autumn, raised anew in
    autumn under another key with the same tag; the school said 2 both times."""
    site = await ft.site(database, AREA)
    spring = await ft.round_at(site, date(2026, 3, 1))
    autumn = await ft.round_at(site, date(2026, 10, 1))
    await ft.raised(
        site, spring, "classrooms_cold", "Анги өвөл хүйтэн", better=better, tag="heating"
    )
    await ft.raised(
        site, autumn, "cold_classrooms", "Анги танхим хүйтэн", better=better, tag="heating"
    )
    for group in ("parents", "students"):
        await ft.scored(site, spring, {"classrooms_cold": 4}, group=group)
        await ft.scored(site, autumn, {"cold_classrooms": 2}, group=group)
    await ft.scored(site, spring, {"classrooms_cold": 2}, respondent="provider")
    await ft.scored(site, autumn, {"cold_classrooms": 2}, respondent="provider")
    item = await ft.item(site, spring, ["classrooms_cold"], "done")
    return site, spring, item


async def _outcome(client: AsyncClient, site: ft.Site, cycle_id: Any) -> dict[str, Any]:
    coordinator = await Tablet(client, site.author).sign_in()
    answer = await client.get(
        f"/reports/v1/cycles/{cycle_id}/outcomes", headers=coordinator.headers
    )
    assert answer.status_code == 200, answer.text
    (item,) = answer.json()["items"]
    return item  # type: ignore[no-any-return]


async def _rolled_up(client: AsyncClient, site: ft.Site) -> dict[str, Any]:
    """The facility's latest published round in the area's roll-up, by indicator."""
    coordinator = await Tablet(client, site.author).sign_in()
    answer = await client.get(
        "/reports/v1/rollup",
        params={"area": AREA, "template": "parent_engagement"},
        headers=coordinator.headers,
    )
    assert answer.status_code == 200, answer.text
    return {row["indicator"]: row for row in answer.json()["rows"]}


async def test_a_problem_scored_less_in_the_next_round_improved(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    site, spring, _ = await _cold_classrooms(committed_database, "lower")
    item = await _outcome(committed_client, site, spring)
    # 4 -> 2 on 1-5 is 75 -> 25 on 0-100: -50, and lower is better: +50 toward better. The
    # gap with the school (2, 25 on 0-100) was 50 and is now 0
    assert (item["outcome"], item["community_change"], item["gap_change"]) == (
        "done_improved",
        50.0,
        -50.0,
    )
    assert (item["indicators_compared"], item["indicators_without_direction"]) == (1, 0)
    rows = await _rolled_up(committed_client, site)
    assert (rows["cold_classrooms"]["community"], rows["cold_classrooms"]["better"]) == (
        2.0,
        "lower",
    )


async def test_a_raised_indicator_without_a_direction_is_not_judged(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    site, spring, _ = await _cold_classrooms(committed_database, None)
    item = await _outcome(committed_client, site, spring)
    # read as higher-is-better this would be -50 and "done_not_improved": the wrong way round
    assert (item["outcome"], item["unjudged"], item["community_change"]) == (
        None,
        "no_direction",
        None,
    )
    assert (item["indicators_compared"], item["indicators_without_direction"]) == (1, 1)
    # the gap's size does not depend on which way is better
    assert item["gap_change"] == -50.0
    assert (await _rolled_up(committed_client, site))["cold_classrooms"]["better"] == "unknown"
