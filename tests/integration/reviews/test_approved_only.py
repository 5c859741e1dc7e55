"""Reports can count approved submissions only (`approved_only=true`): the scorecard, its page
and the roll-up, each figure worked out by hand both ways."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio(loop_scope="session")
KEY = "consulted_on_plan"


async def _scored(tablet: Tablet, field: Programme, score: int) -> uuid.UUID:
    record_id = uuid.uuid4()
    pushed = await tablet.push(
        tablet.mutation("submission", "create", record_id, submission(field, score=score))
    )
    assert pushed["results"][0]["status"] == "applied"
    return record_id


async def _decide(coordinator: Tablet, record_id: uuid.UUID, state: str, version: int) -> None:
    answer = await coordinator.client.post(
        f"/reviews/v1/submissions/{record_id}/decisions",
        json={"state": state, "version": version, "note": "" if state == "approved" else "why"},
        headers=coordinator.headers,
    )
    assert answer.status_code == 200, answer.text


async def _card(coordinator: Tablet, field: Programme, approved_only: bool) -> dict[str, Any]:
    answer = await coordinator.client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard",
        params={"approved_only": "true"} if approved_only else {},
        headers=coordinator.headers,
    )
    assert answer.status_code == 200, answer.text
    card: dict[str, Any] = answer.json()
    return card


def _community(card: dict[str, Any]) -> tuple[int, float] | None:
    indicator = next(i for i in card["indicators"] if i["key"] == KEY)
    cell = indicator["community"]
    return None if cell is None else (cell["n"], cell["mean"])


async def _rollup(coordinator: Tablet, field: Programme, approved_only: bool) -> float | None:
    params = {
        "area": "MN-046",
        "template": "parent_engagement",
        "by": "facility",
        "since": "2000-01-01",
    } | ({"approved_only": "true"} if approved_only else {})
    answer = await coordinator.client.get(
        "/reports/v1/rollup", params=params, headers=coordinator.headers
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["approved_only"] is approved_only
    (row,) = [
        r
        for r in answer.json()["rows"]
        if r["unit"] == str(field.facility_id) and r["indicator"] == KEY
    ] or [None]
    return None if row is None else float(row["community"])


async def test_figures_counted_from_approved_submissions_only_by_hand(
    client: AsyncClient, database: Database
) -> None:
    field = await programme(database)
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await Tablet(client, await field.user(Role.COORDINATOR)).sign_in()
    first, second, third = [await _scored(team, field, score) for score in (2, 4, 5)]

    # nobody has decided: every figure counts all three, approved-only counts none
    assert _community(await _card(coordinator, field, False)) == (3, round((2 + 4 + 5) / 3, 2))
    assert _community(await _card(coordinator, field, True)) is None

    await _decide(coordinator, first, "approved", 1)
    await _decide(coordinator, second, "has_issues", 1)
    await _decide(coordinator, third, "approved", 1)
    card = await _card(coordinator, field, True)
    assert card["approved_only"] is True
    assert _community(card) == (2, (2 + 5) / 2)  # 3.5: the group with issues left out
    assert _community(await _card(coordinator, field, False)) == (3, round(11 / 3, 2))
    assert await _rollup(coordinator, field, True) == 3.5
    assert await _rollup(coordinator, field, False) == round(11 / 3, 2)

    # the third group's scorecard is corrected after its approval: changed since approved, it
    # waits for a new look and leaves the approved figures until it has one
    edited = await team.push(
        team.mutation(
            "submission",
            "update",
            third,
            {"answers": {KEY: {"value": 3, "reason": None, "suggestion": None}}},
            base_version=1,
        )
    )
    assert edited["results"][0]["status"] == "applied"
    assert _community(await _card(coordinator, field, True)) == (1, 2.0)
    assert _community(await _card(coordinator, field, False)) == (3, 3.0)  # (2 + 4 + 3) / 3
    assert await _rollup(coordinator, field, True) == 2.0
    await _decide(coordinator, third, "approved", 2)
    assert _community(await _card(coordinator, field, True)) == (2, 2.5)  # (2 + 3) / 2
    assert await _rollup(coordinator, field, True) == 2.5

    # the page says so, and counts the same
    page = await client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.html",
        params={"approved_only": "true", "lang": "en"},
        headers=coordinator.headers,
    )
    assert page.status_code == 200
    assert "count only the scorecards a coordinator approved" in page.text
    area_page = await client.get(
        "/reports/v1/rollup.html",
        params={"area": "MN-046", "template": "parent_engagement", "approved_only": "true"},
        headers=coordinator.headers,
    )
    assert area_page.status_code == 200
    assert "data-approved-only" in area_page.text
