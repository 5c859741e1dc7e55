"""Roll-ups by facility and aimag with action-plan rates; viewers see published rounds only."""

import uuid

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.integration.reports.test_scorecard import _cycle_with_scores
from tests.support.field import Tablet
from tests.support.sync_data import action_item

pytestmark = pytest.mark.asyncio


async def test_rollup_by_facility_and_aimag(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, _ = await _cycle_with_scores(committed_client, committed_database)
    await team.push(
        team.mutation(
            "action_item",
            "create",
            uuid.uuid4(),
            action_item(field, status="done", due_on="2026-01-01"),
        ),
        team.mutation(
            "action_item",
            "create",
            uuid.uuid4(),
            action_item(field, status="in_progress", due_on="2026-01-01"),
        ),
        team.mutation(
            "action_item",
            "create",
            uuid.uuid4(),
            action_item(field, status="dropped", due_on="2099-01-01"),
        ),
    )
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    # every round held, published or not (by default a roll-up reads the latest published)
    params = {"area": "MN-046", "template": "parent_engagement", "since": "2000-01-01"}
    by_facility = (
        await committed_client.get("/reports/v1/rollup", params=params, headers=coordinator.headers)
    ).json()
    row = next(r for r in by_facility["rows"] if r["indicator"] == "teacher_attendance")
    assert row["unit"] == str(field.facility_id)
    assert (row["community"], row["provider"], row["gap"]) == (3.33, 4.0, -0.67)
    assert row["community_scores"] == 3
    # 3 items, 1 dropped: 1 done of 2 → 0.5; 1 of the same 2 overdue → 0.5
    assert (row["action_items"], row["completion_rate"], row["overdue_rate"]) == (3, 0.5, 0.5)

    by_aimag = (
        await committed_client.get(
            "/reports/v1/rollup", params=params | {"by": "aimag"}, headers=coordinator.headers
        )
    ).json()
    assert {r["unit"] for r in by_aimag["rows"]} == {"MN-046"}

    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    unpublished = (
        await committed_client.get("/reports/v1/rollup", params=params, headers=viewer.headers)
    ).json()
    assert unpublished["rows"] == []
    await committed_client.post(f"/cycles/v1/{field.cycle_id}/publish", headers=coordinator.headers)
    published = (
        await committed_client.get("/reports/v1/rollup", params=params, headers=viewer.headers)
    ).json()
    assert published["rows"]

    khovd = await Tablet(
        committed_client, await field.user(Role.COORDINATOR, areas=["MN-043"])
    ).sign_in()
    foreign = (
        await committed_client.get("/reports/v1/rollup", params=params, headers=khovd.headers)
    ).json()
    assert foreign["rows"] == []
