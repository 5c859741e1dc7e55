"""With the demo data, two facilitator tablets edit one action item offline, through the API."""

import uuid

import pytest
from httpx import AsyncClient

from backend.database.session import Database
from backend.seed import demo

pytestmark = pytest.mark.asyncio


async def _tablet(client: AsyncClient) -> tuple[dict[str, str], str]:
    device_id = str(uuid.uuid4())
    login = await client.post(
        "/auth/v1/login",
        json={
            "username": "demo_facilitator",
            "password": "demo-password",
            "device": {
                "id": device_id,
                "name": "Facilitator tablet",
                "platform": "android",
                "app_version": "1.0.0",
            },
        },
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}, device_id


async def _push(client, headers, device_id, *mutations):  # type: ignore[no-untyped-def]
    response = await client.post(
        "/sync/v1/push",
        headers=headers,
        json={"protocol": 1, "device_id": device_id, "mutations": list(mutations)},
    )
    assert response.status_code == 200, response.text
    return response.json()["results"]


async def _pull_all(client, headers, device_id, cursor=None):  # type: ignore[no-untyped-def]
    changes = []
    while True:
        page = (
            await client.post(
                "/sync/v1/pull",
                headers=headers,
                json={"protocol": 1, "device_id": device_id, "cursor": cursor},
            )
        ).json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, cursor


async def test_two_facilitators_edit_one_action_item_offline(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    async with committed_database.sessionmaker() as db, db.begin():
        await demo.seed(db, password="demo-password")
    a_headers, a_device = await _tablet(committed_client)
    b_headers, b_device = await _tablet(committed_client)

    cycles = (
        await committed_client.get(
            "/cycles/v1", params={"phase": "community_scoring"}, headers=a_headers
        )
    ).json()["items"]
    cycle_id = cycles[0]["id"]
    meeting_id, item_id = str(uuid.uuid4()), str(uuid.uuid4())
    created = await _push(
        committed_client,
        a_headers,
        a_device,
        {
            "mutation_id": 1,
            "entity": "interface_meeting",
            "op": "create",
            "id": meeting_id,
            "data": {"cycle_id": cycle_id, "held_on": "2026-11-28", "venue": "Soum hall"},
        },
        {
            "mutation_id": 2,
            "entity": "action_item",
            "op": "create",
            "id": item_id,
            "data": {
                "cycle_id": cycle_id,
                "meeting_id": meeting_id,
                "indicator_keys": ["toilets_and_water"],
                "issue": "No working toilets",
                "action": "Repair before winter",
                "responsible": "School director",
                "due_on": "2026-12-20",
            },
        },
    )
    assert [r["status"] for r in created] == ["applied", "applied"]
    changes, b_cursor = await _pull_all(committed_client, b_headers, b_device)
    assert item_id in {c["id"] for c in changes}

    # both tablets go offline and edit the item from version 1
    a_result = await _push(
        committed_client,
        a_headers,
        a_device,
        {
            "mutation_id": 3,
            "entity": "action_item",
            "op": "update",
            "id": item_id,
            "base_version": 1,
            "data": {"responsible": "Soum governor", "status": "in_progress"},
        },
    )
    b_result = await _push(
        committed_client,
        b_headers,
        b_device,
        {
            "mutation_id": 1,
            "entity": "action_item",
            "op": "update",
            "id": item_id,
            "base_version": 1,
            "data": {
                "responsible": "Parent council chair",
                "indicator_keys": ["toilets_and_water", "inclusion"],
            },
        },
    )
    assert a_result[0]["status"] == "applied"
    assert b_result[0]["status"] == "conflict"  # the indicator keys merged, the person did not
    conflict_id = b_result[0]["conflict_ids"][0]

    changes, _ = await _pull_all(committed_client, b_headers, b_device, b_cursor)
    item = next(c for c in changes if c["id"] == item_id)
    assert item["data"]["responsible"] == "Soum governor"  # the first to arrive stands
    assert item["data"]["status"] == "in_progress"
    assert item["data"]["indicator_keys"] == ["toilets_and_water", "inclusion"]

    listed = (
        await committed_client.get(
            "/sync/v1/conflicts", params={"status": "open"}, headers=a_headers
        )
    ).json()
    assert [(c["id"], c["field"], c["server_value"], c["device_value"]) for c in listed] == [
        (conflict_id, "responsible", "Soum governor", "Parent council chair")
    ]
    resolved = await committed_client.post(
        f"/sync/v1/conflicts/{conflict_id}/resolve",
        json={"choice": "value", "value": "Soum governor with the parent council chair"},
        headers=a_headers,
    )
    assert resolved.status_code == 200, resolved.text
    for headers, device in ((a_headers, a_device), (b_headers, b_device)):
        changes, _ = await _pull_all(committed_client, headers, device)
        item = next(c for c in changes if c["id"] == item_id)
        assert item["data"]["responsible"] == "Soum governor with the parent council chair"
