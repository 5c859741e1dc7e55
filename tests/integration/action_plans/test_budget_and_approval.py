"""Budgeted action items: money spent adds up, reports move an item forward, a cost edited on
two tablets is a conflict, and the plan's approval by the facility head or a coordinator."""

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.auth.models import AuditEvent, Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme
from tests.support.sync_data import action_item

pytestmark = pytest.mark.asyncio


def _today() -> str:
    """The programme's date: reports are dated today or earlier, never before their item."""
    return datetime.now(ZoneInfo("Asia/Ulaanbaatar")).date().isoformat()


def _report(item: uuid.UUID, status: str, spent: int, note: str = "") -> dict[str, Any]:
    return {
        "action_item_id": str(item),
        "status": status,
        "reported_on": _today(),
        "spent_mnt": spent,
        "note": note or f"{status}: reported at the school",
    }


async def _items(client: AsyncClient, tablet: Tablet, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/action-plans/v1/items", params=params, headers=tablet.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _read(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items a decider read, at the versions read."""
    return [{"id": i["id"], "version": i["version"]} for i in items if i["approval"] != "approved"]


async def _planned(client: AsyncClient, field: Programme, *items: uuid.UUID) -> Tablet:
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    await team.push(
        *(
            team.mutation(
                "action_item",
                "create",
                item,
                action_item(field, cost_mnt=1_200_000, funding_source="soum_ldf", level="soum"),
            )
            for item in items
        )
    )
    return team


async def test_spending_adds_up_and_a_done_report_finishes_the_item(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    item = uuid.uuid4()
    team = await _planned(committed_client, field, item)
    answer = await team.push(
        team.mutation(
            "action_update", "create", uuid.uuid4(), _report(item, "in_progress", 450_000)
        ),
        team.mutation("action_update", "create", uuid.uuid4(), _report(item, "done", 300_000)),
        # a late report of an earlier stage does not move the item back
        team.mutation("action_update", "create", uuid.uuid4(), _report(item, "blocked", 0)),
    )
    assert [r["status"] for r in answer["results"]] == ["applied"] * 3
    [stored] = await _items(committed_client, team, cycle_id=str(field.cycle_id))
    assert stored["status"] == "done"
    assert stored["spent_mnt"] == 750_000
    assert stored["cost_mnt"] == 1_200_000
    assert stored["overdue"] is False
    assert stored["version"] == 3  # created, then in progress, then done

    # another tablet learns of the move by pulling
    other = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    pulled = [
        c for c in await other.pull_all() if c["entity"] == "action_item" and c["id"] == str(item)
    ]
    assert pulled[-1]["data"]["status"] == "done"
    assert pulled[-1]["version"] == 3


async def test_a_cost_changed_on_two_tablets_is_a_conflict(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    item = uuid.uuid4()
    first = await _planned(committed_client, field, item)
    second = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    applied = await first.push(
        first.mutation("action_item", "update", item, {"cost_mnt": 1_500_000}, base_version=1)
    )
    assert applied["results"][0]["status"] == "applied"
    met = await second.push(
        second.mutation("action_item", "update", item, {"cost_mnt": 900_000}, base_version=1)
    )
    assert met["results"][0]["status"] == "conflict"
    [stored] = await _items(committed_client, first, cycle_id=str(field.cycle_id))
    assert stored["cost_mnt"] == 1_500_000


async def test_approval_by_role_and_what_it_locks(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    repairs, books = uuid.uuid4(), uuid.uuid4()
    team = await _planned(committed_client, field, repairs, books)
    decisions = f"/action-plans/v1/cycles/{field.cycle_id}/decisions"
    head = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    elsewhere = await Tablet(
        committed_client, await field.user(Role.COORDINATOR, areas=["MN-043"])
    ).sign_in()
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()

    approve = {"decision": "approved", "items": _read(await _items(committed_client, team))}
    # nobody decides on a plan before the interface meeting
    early = await committed_client.post(decisions, json=approve, headers=head.headers)
    assert (early.status_code, early.json()["code"]) == (409, "plan.not_agreed")
    await field.cycle_phase("action_plan")

    for outsider, status in ((team, 403), (viewer, 403), (elsewhere, 404)):
        refused = await committed_client.post(decisions, json=approve, headers=outsider.headers)
        assert refused.status_code == status, outsider
    unexplained = await committed_client.post(
        decisions,
        json={"decision": "returned", "items": approve["items"]},
        headers=coordinator.headers,
    )
    assert (unexplained.status_code, unexplained.json()["code"]) == (400, "plan.reason_required")

    returned = await committed_client.post(
        decisions,
        json={"decision": "returned", "reason": "No cost for the books", "items": approve["items"]},
        headers=coordinator.headers,
    )
    assert returned.status_code == 201, returned.text
    assert {i["approval"] for i in await _items(committed_client, team)} == {"returned"}

    # the head read the plan; a coordinator then revised a cost: the head's decision covers
    # what it read, so nothing is approved unseen
    read = _read(await _items(committed_client, team))
    raised = await committed_client.post(
        f"/action-plans/v1/items/{books}/revisions",
        json={"cost_mnt": 9_000_000, "reason": "Books for every class"},
        headers=coordinator.headers,
    )
    assert raised.status_code == 201, raised.text
    unseen = await committed_client.post(
        decisions, json={"decision": "approved", "items": read}, headers=head.headers
    )
    assert (unseen.status_code, unseen.json()["code"]) == (409, "plan.changed")
    assert {i["approval"] for i in await _items(committed_client, team)} == {"returned"}

    approve = {"decision": "approved", "items": _read(await _items(committed_client, team))}
    # four eyes: the coordinator revised the plan, so the head approves it
    own = await committed_client.post(decisions, json=approve, headers=coordinator.headers)
    assert (own.status_code, own.json()["code"]) == (409, "plan.four_eyes")
    approved = await committed_client.post(decisions, json=approve, headers=head.headers)
    assert approved.status_code == 201, approved.text
    assert sorted(approved.json()["items"]) == sorted([str(repairs), str(books)])
    again = await committed_client.post(decisions, json=approve, headers=head.headers)
    assert (again.status_code, again.json()["code"]) == (409, "plan.nothing_to_decide")
    kept = (await committed_client.get(decisions, headers=head.headers)).json()
    assert [d["decision"] for d in kept] == ["returned", "approved"]
    assert kept[1]["decided_by"] == str(head.user.id)
    async with committed_database.sessionmaker() as db:
        events = list(
            await db.scalars(select(AuditEvent.kind).where(AuditEvent.actor_id == head.user.id))
        )
    assert "plan.approved" in events

    # a tablet no longer changes what the agreed plan commits to, its words included
    [item] = [i for i in await _items(committed_client, team) if i["id"] == str(repairs)]
    assert item["agreed"] is True
    version = item["version"]
    answer = await team.push(
        team.mutation("action_item", "update", repairs, {"cost_mnt": 5}, base_version=version),
        team.mutation(
            "action_item", "update", repairs, {"responsible": "Nobody"}, base_version=version
        ),
        team.mutation(
            "action_item",
            "update",
            repairs,
            {"action": "Put up a poster"},
            base_version=version,
        ),
        team.mutation("action_item", "update", repairs, {"status": "done"}, base_version=version),
        team.mutation("action_item", "delete", repairs, base_version=version),
    )
    codes = [(r["status"], (r.get("error") or {}).get("code")) for r in answer["results"]]
    assert codes == [("rejected", "action_item.approved")] * 5
    # nor drops it by a report: a coordinator does, with a reason
    answer = await team.push(
        team.mutation("action_update", "create", uuid.uuid4(), _report(repairs, "dropped", 0))
    )
    assert answer["results"][0]["error"]["code"] == "action_update.drop_not_allowed"
    desk = await Tablet(committed_client, coordinator.user).sign_in()
    answer = await desk.push(
        desk.mutation(
            "action_update",
            "create",
            uuid.uuid4(),
            _report(repairs, "dropped", 0, note="The soum rebuilt the toilets itself"),
        )
    )
    assert answer["results"][0]["status"] == "applied", answer["results"][0]
    [item] = [i for i in await _items(committed_client, team) if i["id"] == str(repairs)]
    assert item["status"] == "dropped"

    # a revision does, with its reason, before and after kept, for everyone to read
    revision = await committed_client.post(
        f"/action-plans/v1/items/{books}/revisions",
        json={"cost_mnt": 1_450_000, "reason": "Books cost less than quoted"},
        headers=team.headers,
    )
    assert revision.status_code == 201, revision.text
    assert revision.json()["before"] == {"cost_mnt": 9_000_000}
    assert revision.json()["after"] == {"cost_mnt": 1_450_000}
    [item] = [i for i in await _items(committed_client, team) if i["id"] == str(books)]
    assert (item["cost_mnt"], item["approval"]) == (1_450_000, "approved")
    listed = await committed_client.get(
        f"/action-plans/v1/cycles/{field.cycle_id}/revisions", headers=head.headers
    )
    assert [r["reason"] for r in listed.json()] == [
        "Books for every class",
        "Books cost less than quoted",
    ]
    refused = await committed_client.post(
        f"/action-plans/v1/items/{books}/revisions",
        json={"cost_mnt": 1, "reason": "x"},
        headers=viewer.headers,
    )
    assert refused.status_code == 403

    # an item added later waits for its own approval
    late = uuid.uuid4()
    await team.push(team.mutation("action_item", "create", late, action_item(field)))
    waiting = await _items(committed_client, coordinator, awaiting_approval=True)
    assert [i["id"] for i in waiting] == [str(late)]


async def test_items_due_for_review(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    due, later, finished = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await team.push(
        team.mutation("action_item", "create", due, action_item(field, review_on="2026-03-01")),
        team.mutation("action_item", "create", later, action_item(field, review_on="2099-03-01")),
        team.mutation(
            "action_item",
            "create",
            finished,
            action_item(field, review_on="2026-03-01", status="done"),
        ),
    )
    listed = await _items(committed_client, team, due_for_review=True)
    assert [i["id"] for i in listed] == [str(due)]
    assert listed[0]["due_for_review"] is True
