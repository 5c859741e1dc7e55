"""Sequences a hostile tester plays with two tablets and the documented protocol: races on one
id, merges past a bound, conflicts in closed rounds, impossible versions, one id for two kinds.
Each answers as the protocol says, never a 500, and loses nothing acknowledged."""

import asyncio
import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.action_plans.models import ActionItem, InterfaceMeeting
from backend.auth.models import Role
from backend.database.session import Database
from tests.integration.sync.test_merging import _pair
from tests.support.field import Tablet
from tests.support.sync_data import action_item, meeting, submission

pytestmark = pytest.mark.asyncio


async def test_two_tablets_creating_one_record_at_once_get_no_500(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    for _ in range(5):
        record_id = uuid.uuid4()
        data = meeting(field)
        pushes = [
            (tablet, [tablet.mutation("interface_meeting", "create", record_id, data)])
            for tablet in (a, b)
        ]
        answers = await asyncio.gather(*(t.push_raw(m) for t, m in pushes))
        assert sorted({r.status_code for r in answers}) in ([200], [200, 503]), [
            r.text for r in answers
        ]
        for (tablet, mutations), answer in zip(pushes, answers, strict=True):
            if answer.status_code == 503:
                assert answer.headers["retry-after"]
                answer = await tablet.push_raw(mutations)  # the protocol's retry
            assert answer.status_code == 200, answer.text
            assert answer.json()["results"][0]["status"] in ("applied", "duplicate")
        async with committed_database.sessionmaker() as db:
            assert (await db.get_one(InterfaceMeeting, record_id)).version == 1


async def test_a_merge_past_a_limit_rejects_the_item_leaves_no_conflict_and_no_stuck_queue(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    crowded = meeting(field) | {"attendance": {"community_female": 60_000}}
    await a.push(a.mutation("interface_meeting", "create", record_id, crowded))
    await b.push(
        b.mutation(
            "interface_meeting",
            "update",
            record_id,
            {"attendance": {"community_female": 90_000}, "venue": "School hall"},
            base_version=1,
        )
    )
    # A, offline from version 1: its count adds to B's past the bound of 100,000, and it
    # changed the venue B changed too
    stale = a.mutation(
        "interface_meeting",
        "update",
        record_id,
        {"attendance": {"community_female": 100_000}, "venue": "Bag centre"},
        base_version=1,
    )
    after = a.mutation("interface_meeting", "update", record_id, {"notes": "ok"}, base_version=2)
    for _ in range(2):  # a resend is answered the same, from the log
        pushed = await a.push_raw([stale, after])
        assert pushed.status_code == 200, pushed.text
        first, second = pushed.json()["results"]
        outcome = first.get("original_status") or first["status"]
        assert (outcome, first["error"]["code"]) == ("rejected", "sync.invalid_data")
        assert first["error"]["field"].startswith("data.attendance")
        assert (second.get("original_status") or second["status"]) == "applied"
    conflicts = await committed_client.get("/sync/v1/conflicts", headers=a.headers)
    assert conflicts.json() == []
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(InterfaceMeeting, record_id)
    assert (stored.attendance["community_female"], stored.venue) == (90_000, "School hall")


async def test_a_closed_round_does_not_change_when_its_conflict_is_settled(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("action_item", "create", record_id, action_item(field)))
    for tablet, who in ((a, "Soum governor"), (b, "Parent council chair")):
        await tablet.push(
            tablet.mutation(
                "action_item", "update", record_id, {"responsible": who}, base_version=1
            )
        )
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    listed = await committed_client.get("/sync/v1/conflicts", headers=coordinator.headers)
    (conflict,) = listed.json()
    closed = await committed_client.post(
        f"/cycles/v1/{field.cycle_id}/advance", json={"to": "closed"}, headers=coordinator.headers
    )
    assert closed.status_code == 200, closed.text
    answer = await committed_client.post(
        f"/sync/v1/conflicts/{conflict['id']}/resolve",
        json={"choice": "device"},
        headers=coordinator.headers,
    )
    assert (answer.status_code, answer.json()["code"]) == (409, "sync.round_closed")
    # nor does a push change, add to or remove anything of the closed round
    pushed = await b.push(
        b.mutation("action_item", "update", record_id, {"resources": "MNT 1m"}, base_version=2),
        b.mutation("action_item", "delete", record_id, base_version=2),
        b.mutation("interface_meeting", "create", uuid.uuid4(), meeting(field)),
        b.mutation("submission", "create", uuid.uuid4(), submission(field)),
        b.mutation(
            "action_update",
            "create",
            uuid.uuid4(),
            {"action_item_id": str(record_id), "status": "done", "reported_on": "2026-12-01"},
        ),
    )
    assert [(r["status"], r["error"]["code"]) for r in pushed["results"]] == [
        ("rejected", "sync.round_closed")
    ] * 5
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(ActionItem, record_id)
    assert (stored.responsible, stored.resources, stored.version) == ("Soum governor", "", 2)
    assert stored.deleted_at is None


async def test_a_delete_from_a_version_that_never_was_is_refused_not_a_conflict(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, _ = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("action_item", "create", record_id, action_item(field)))
    pushed = await a.push(
        a.mutation("action_item", "delete", record_id, base_version=99),
        a.mutation("action_item", "delete", record_id, base_version=0),
    )
    assert [(r["status"], r["error"]["code"]) for r in pushed["results"]] == [
        ("rejected", "sync.bad_base_version")
    ] * 2
    assert (await committed_client.get("/sync/v1/conflicts", headers=a.headers)).json() == []
    async with committed_database.sessionmaker() as db:
        assert (await db.get_one(ActionItem, record_id)).deleted_at is None


async def test_one_id_names_one_record_of_one_kind(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    earlier, together = uuid.uuid4(), uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", earlier, meeting(field)))
    pushed = await b.push(
        b.mutation("action_item", "create", earlier, action_item(field)),
        b.mutation("interface_meeting", "create", together, meeting(field)),
        b.mutation("action_item", "create", together, action_item(field)),
    )
    assert [(r["status"], (r.get("error") or {}).get("code")) for r in pushed["results"]] == [
        ("rejected", "sync.id_taken"),
        ("applied", None),
        ("rejected", "sync.id_taken"),
    ]
    async with committed_database.sessionmaker() as db:
        items = await db.scalars(select(ActionItem).where(ActionItem.id.in_([earlier, together])))
        assert list(items) == []


async def test_an_update_of_a_field_no_update_changes_is_refused_not_applied(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, _ = await _pair(committed_client, committed_database)
    record_id, other_meeting = uuid.uuid4(), uuid.uuid4()
    await a.push(
        a.mutation("interface_meeting", "create", other_meeting, meeting(field)),
        a.mutation("action_item", "create", record_id, action_item(field)),
    )
    pushed = await a.push(
        a.mutation(
            "action_item", "update", record_id, {"meeting_id": str(other_meeting)}, base_version=1
        )
    )
    (result,) = pushed["results"]
    assert (result["status"], result["error"]["code"], result["error"]["field"]) == (
        "rejected",
        "sync.invalid_data",
        "data.meeting_id",
    )
    async with committed_database.sessionmaker() as db:
        assert (await db.get_one(ActionItem, record_id)).meeting_id is None
