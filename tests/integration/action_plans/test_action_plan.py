"""The action plan as read through the API: updates, overdue items, scope."""

import uuid

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Tablet, programme
from tests.support.sync_data import action_item

pytestmark = pytest.mark.asyncio


async def test_overdue_items_are_found_with_their_updates(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    late, done, future = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await team.push(
        team.mutation("action_item", "create", late, action_item(field, due_on="2026-01-10")),
        team.mutation(
            "action_item", "create", done, action_item(field, due_on="2026-01-10", status="done")
        ),
        team.mutation("action_item", "create", future, action_item(field, due_on="2099-01-10")),
        team.mutation(
            "action_update",
            "create",
            uuid.uuid4(),
            {
                "action_item_id": str(late),
                "status": "blocked",
                "note": "No budget yet",
                "reported_on": "2026-02-01",
            },
        ),
    )
    everything = (
        await committed_client.get(
            "/action-plans/v1/items", params={"cycle_id": str(field.cycle_id)}, headers=team.headers
        )
    ).json()
    assert everything["total"] == 3
    overdue = (
        await committed_client.get(
            "/action-plans/v1/items", params={"overdue": True}, headers=team.headers
        )
    ).json()
    assert [item["id"] for item in overdue["items"]] == [str(late)]
    assert overdue["items"][0]["overdue"] is True
    assert [u["note"] for u in overdue["items"][0]["updates"]] == ["No budget yet"]

    khovd = await Tablet(
        committed_client, await field.user(Role.MONITOR, areas=["MN-043"])
    ).sign_in()
    none = (await committed_client.get("/action-plans/v1/items", headers=khovd.headers)).json()
    assert none["total"] == 0
