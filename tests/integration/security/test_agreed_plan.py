"""The agreed plan is the meeting's: tried as a facility head would try to rewrite its own plan
after the interface meeting and inflate its figures. Every step it took in the attack is
refused with a code, and nothing it tried moves the index."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme
from tests.support.sync_data import action_item, meeting

pytestmark = pytest.mark.asyncio
TODAY = datetime.now(ZoneInfo("Asia/Ulaanbaatar")).date()


def _report(item: uuid.UUID, status: str, on: Any = TODAY, note: str = "done") -> dict[str, Any]:
    return {
        "action_item_id": str(item),
        "status": status,
        "reported_on": on.isoformat(),
        "note": note,
        "spent_mnt": 0,
    }


def _codes(answer: dict[str, Any]) -> list[str | None]:
    return [(r.get("error") or {}).get("code") for r in answer["results"]]


async def _agreed_plan(
    client: AsyncClient, field: Programme
) -> tuple[Tablet, Tablet, uuid.UUID, uuid.UUID]:
    """Two items agreed at the meeting (made by the facilitator), the round moved on."""
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    toilets, books = uuid.uuid4(), uuid.uuid4()
    await field.cycle_phase("interface_meeting")
    made = await team.push(
        team.mutation(
            "action_item",
            "create",
            toilets,
            action_item(field, action="Repair the toilets", cost_mnt=1_000_000),
        ),
        team.mutation(
            "action_item", "create", books, action_item(field, action="Buy books", cost_mnt=500_000)
        ),
    )
    assert _codes(made) == [None, None]
    await field.cycle_phase("action_plan")
    head = await Tablet(client, await field.user(Role.PROVIDER)).sign_in()
    return team, head, toilets, books


async def _version(client: AsyncClient, reader: Tablet, item: uuid.UUID) -> dict[str, Any]:
    items = (await client.get("/action-plans/v1/items", headers=reader.headers)).json()["items"]
    found: dict[str, Any] = next(i for i in items if i["id"] == str(item))
    return found


async def test_the_head_cannot_rewrite_or_delete_an_agreed_item_from_a_tablet(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    _, head, toilets, books = await _agreed_plan(committed_client, field)
    version = (await _version(committed_client, head, toilets))["version"]
    answer = await head.push(
        head.mutation(
            "action_item",
            "update",
            toilets,
            {"action": "Put up a poster", "cost_mnt": 0},
            base_version=version,
        ),
        head.mutation("action_item", "delete", books, base_version=1),
    )
    assert _codes(answer) == ["action_item.approved", "action_item.approved"]
    stored = await _version(committed_client, head, toilets)
    assert (stored["action"], stored["cost_mnt"]) == ("Repair the toilets", 1_000_000)


async def test_the_head_cannot_approve_a_plan_it_revised(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    _, head, toilets, books = await _agreed_plan(committed_client, field)
    revised = await committed_client.post(
        f"/action-plans/v1/items/{toilets}/revisions",
        json={"action": "Put up a poster", "cost_mnt": 0, "reason": "No money this year"},
        headers=head.headers,
    )
    assert revised.status_code == 201, revised.text
    items = [
        {"id": str(i), "version": (await _version(committed_client, head, i))["version"]}
        for i in (toilets, books)
    ]
    decisions = f"/action-plans/v1/cycles/{field.cycle_id}/decisions"
    own = await committed_client.post(
        decisions, json={"decision": "approved", "items": items}, headers=head.headers
    )
    assert (own.status_code, own.json()["code"]) == (409, "plan.four_eyes")
    # the community side reads what was changed and why
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    listed = await committed_client.get(
        f"/action-plans/v1/cycles/{field.cycle_id}/revisions", headers=team.headers
    )
    [revision] = listed.json()
    assert revision["before"] == {"action": "Repair the toilets", "cost_mnt": 1_000_000}
    assert revision["reason"] == "No money this year"
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    other = await committed_client.post(
        decisions, json={"decision": "approved", "items": items}, headers=coordinator.headers
    )
    assert other.status_code == 201, other.text


async def test_the_head_cannot_drop_an_agreed_item_or_backdate_its_reports(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    _, head, toilets, books = await _agreed_plan(committed_client, field)
    answer = await head.push(
        head.mutation("action_update", "create", uuid.uuid4(), _report(books, "dropped")),
        # "done" before the item existed, to count as done on time
        head.mutation(
            "action_update",
            "create",
            uuid.uuid4(),
            _report(toilets, "done", on=TODAY - timedelta(days=40)),
        ),
        # or after today
        head.mutation(
            "action_update",
            "create",
            uuid.uuid4(),
            _report(toilets, "done", on=TODAY + timedelta(days=1)),
        ),
        # or with nothing to show
        head.mutation("action_update", "create", uuid.uuid4(), _report(toilets, "done", note="")),
    )
    assert _codes(answer) == [
        "action_update.drop_not_allowed",
        "action_update.implausible",
        "action_update.implausible",
        "action_update.implausible",
    ]
    for item in (toilets, books):
        assert (await _version(committed_client, head, item))["status"] == "not_started"
    index = await committed_client.get(
        "/reports/v1/index",
        params={"area": "MN-046", "by": "soum"},
        headers=(
            await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
        ).headers,
    )
    assert index.status_code == 200, index.text
    for row in index.json()["rows"]:
        on_time = next(c for c in row["components"] if c["key"] == "on_time")
        assert not on_time["value"]

    # a true report of today, with what was done, stands; spending beyond the cost is flagged
    honest = _report(toilets, "done", note="New doors and pipes, checked by the parents")
    honest["spent_mnt"] = 1_200_000
    answer = await head.push(head.mutation("action_update", "create", uuid.uuid4(), honest))
    assert _codes(answer) == [None]
    stored = await _version(committed_client, head, toilets)
    assert (stored["status"], stored["over_cost"]) == ("done", True)


async def test_a_tablet_offline_since_the_meeting_files_its_reports_from_the_meeting_on(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    """The facilitator's tablet held the meeting eight days ago, recorded the plan there and a
    report three days later, and syncs only today: the reports are dated after the meeting,
    not after the server heard of the items, and stand; one dated before the meeting does not."""
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    await field.cycle_phase("interface_meeting")
    held_on = TODAY - timedelta(days=8)
    meeting_id, item = uuid.uuid4(), uuid.uuid4()
    answer = await team.push(
        team.mutation(
            "interface_meeting",
            "create",
            meeting_id,
            meeting(field, held_on=held_on.isoformat(), status="held"),
        ),
        team.mutation("action_item", "create", item, action_item(field, str(meeting_id))),
        team.mutation(
            "action_update",
            "create",
            uuid.uuid4(),
            _report(item, "in_progress", on=held_on + timedelta(days=3)),
        ),
        team.mutation(
            "action_update",
            "create",
            uuid.uuid4(),
            _report(item, "in_progress", on=held_on - timedelta(days=1)),
        ),
    )
    assert _codes(answer) == [None, None, None, "action_update.implausible"]
