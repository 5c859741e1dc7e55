"""Trends over every round: a facility's rounds in order, and an area's rounds by label with
every facility weighing the same."""

from datetime import date

import pytest
from httpx import AsyncClient

from backend.auth.models import Role, User
from backend.database.session import Database
from tests.support import followthrough as ft
from tests.support.field import Tablet
from tests.support.identity import make_user

pytestmark = pytest.mark.asyncio

AREA = "MN-071"


async def test_every_round_in_order(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    busy = await ft.site(committed_database, AREA)
    quiet = await ft.site(committed_database, AREA)
    rounds = []
    for year, score in ((2024, 2), (2025, 3), (2026, 5)):
        cycle = await ft.round_at(busy, date(year, 10, 1), label=f"{year} autumn")
        rounds.append(cycle)
        # two sessions at the busy school, one at the quiet one
        await ft.scored(busy, cycle, {"consulted_on_plan": score})
        await ft.scored(busy, cycle, {"consulted_on_plan": score}, group="students")
        await ft.scored(busy, cycle, {"consulted_on_plan": 4}, respondent="provider")
    other = await ft.round_at(quiet, date(2026, 10, 2), label="2026 autumn")
    await ft.scored(quiet, other, {"consulted_on_plan": 1})
    for score in (2, 2, 3):
        await ft.scored(quiet, other, {"teacher_attendance": score}, group=f"group_{score}")

    coordinator = await Tablet(committed_client, busy.author).sign_in()
    answer = await committed_client.get(
        f"/reports/v1/facilities/{busy.facility_id}/trend",
        params={"template": "parent_engagement"},
        headers=coordinator.headers,
    )
    assert answer.status_code == 200, answer.text
    trend = answer.json()
    assert trend["rounds"] == ["2024 autumn", "2025 autumn", "2026 autumn"]
    [line] = [i for i in trend["indicators"] if i["key"] == "consulted_on_plan"]
    assert [p["community"] for p in line["points"]] == [2.0, 3.0, 5.0]
    assert [p["community_100"] for p in line["points"]] == [25.0, 50.0, 100.0]
    assert [p["gap"] for p in line["points"]] == [-2.0, -1.0, 1.0]
    assert [p["cycle_id"] for p in line["points"]] == [str(r) for r in rounds]

    area = await committed_client.get(
        "/reports/v1/trend",
        params={"area": AREA, "template": "parent_engagement"},
        headers=coordinator.headers,
    )
    [line] = [i for i in area.json()["indicators"] if i["key"] == "consulted_on_plan"]
    last = line["points"][-1]
    # each school weighs the same: (5 + 1) / 2, not (5 + 5 + 1) / 3
    assert (last["round"], last["facilities"], last["community"]) == ("2026 autumn", 2, 3.0)
    # 0-100 from the unrounded mean 7/3 (33.3), not from the 2.33 shown (33.2)
    [line] = [i for i in area.json()["indicators"] if i["key"] == "teacher_attendance"]
    assert (line["points"][-1]["community"], line["points"][-1]["community_100"]) == (2.33, 33.3)

    stranger = await Tablet(
        committed_client, await _coordinator_elsewhere(committed_database)
    ).sign_in()
    hidden = await committed_client.get(
        f"/reports/v1/facilities/{busy.facility_id}/trend",
        params={"template": "parent_engagement"},
        headers=stranger.headers,
    )
    assert hidden.status_code == 404


async def _coordinator_elsewhere(database: Database) -> User:
    async with database.sessionmaker() as db:
        return await make_user(db, Role.COORDINATOR, areas=["MN-043"])
