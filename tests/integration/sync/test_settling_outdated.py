"""Settling a conflict after the record moved on: nothing written after the conflict is undone,
a brought-back record takes its edit as a push would, and settlements of one round run side
by side."""

import asyncio
import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.action_plans.models import InterfaceMeeting
from backend.database.session import Database
from backend.sync.models import Conflict
from tests.integration.sync.test_merging import _pair
from tests.support.field import Tablet
from tests.support.sync_data import meeting

pytestmark = pytest.mark.asyncio


async def _stored(database: Database, record_id: uuid.UUID) -> InterfaceMeeting:
    async with database.sessionmaker() as db:
        return await db.get_one(InterfaceMeeting, record_id)


async def _settle(client: AsyncClient, tablet: Tablet, conflict_id: str, choice: str) -> int:
    answer = await client.post(
        f"/sync/v1/conflicts/{conflict_id}/resolve", json={"choice": choice}, headers=tablet.headers
    )
    return answer.status_code


async def test_keeping_the_servers_value_never_undoes_a_later_edit(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
    await a.push(
        a.mutation("interface_meeting", "update", record_id, {"venue": "A1"}, base_version=1)
    )
    clash = await b.push(
        b.mutation("interface_meeting", "update", record_id, {"venue": "B1"}, base_version=1)
    )
    (conflict_id,) = clash["results"][0]["conflict_ids"]
    await a.push(
        a.mutation("interface_meeting", "update", record_id, {"venue": "A2"}, base_version=2)
    )
    assert await _settle(committed_client, a, conflict_id, "server") == 200
    stored = await _stored(committed_database, record_id)
    assert (stored.venue, stored.version) == ("A2", 3)


async def test_a_stale_delete_of_a_record_changed_since_is_outdated(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
    await a.push(
        a.mutation("interface_meeting", "update", record_id, {"venue": "A1"}, base_version=1)
    )
    clash = await b.push(b.mutation("interface_meeting", "delete", record_id, base_version=1))
    (conflict_id,) = clash["results"][0]["conflict_ids"]
    await a.push(
        a.mutation("interface_meeting", "update", record_id, {"notes": "later"}, base_version=2)
    )
    assert await _settle(committed_client, a, conflict_id, "device") == 409
    async with committed_database.sessionmaker() as db:
        shown = await db.get_one(Conflict, uuid.UUID(conflict_id))
    assert (shown.status, shown.server_version, shown.server_value["notes"]) == ("open", 3, "later")
    assert (await _stored(committed_database, record_id)).deleted_at is None
    # settled again, on the record as it is now
    assert await _settle(committed_client, a, conflict_id, "device") == 200
    assert (await _stored(committed_database, record_id)).deleted_at is not None


async def test_a_brought_back_record_takes_the_late_edit_as_its_push_would_have(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    start = meeting(field, attendance={"community_female": 10}, priorities=["a"], venue="hall")
    await a.push(a.mutation("interface_meeting", "create", record_id, start))
    await a.push(
        a.mutation(
            "interface_meeting",
            "update",
            record_id,
            {"attendance": {"community_female": 20}, "priorities": ["a", "x"], "venue": "A1"},
            base_version=1,
        ),
        a.mutation("interface_meeting", "delete", record_id, base_version=2),
    )
    late = await b.push(
        b.mutation(
            "interface_meeting",
            "update",
            record_id,
            {"attendance": {"community_female": 11}, "priorities": ["a", "y"], "venue": "B1"},
            base_version=1,
        )
    )
    assert late["results"][0]["status"] == "deleted"
    (conflict_id,) = late["results"][0]["conflict_ids"]
    assert await _settle(committed_client, a, conflict_id, "device") == 200
    stored = await _stored(committed_database, record_id)
    assert stored.deleted_at is None
    assert stored.attendance["community_female"] == 21
    assert stored.priorities == ["a", "x", "y"]
    assert stored.venue == "A1"
    async with committed_database.sessionmaker() as db:
        opened = list(
            await db.scalars(
                select(Conflict).where(Conflict.record_id == record_id, Conflict.status == "open")
            )
        )
    assert [(c.field, c.server_value, c.device_value) for c in opened] == [("venue", "A1", "B1")]


async def test_an_edit_of_a_record_brought_back_meanwhile_is_merged_into_it(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
    await a.push(a.mutation("interface_meeting", "delete", record_id, base_version=1))
    first = await b.push(
        b.mutation("interface_meeting", "update", record_id, {"notes": "n"}, base_version=1)
    )
    second = await b.push(
        b.mutation("interface_meeting", "update", record_id, {"venue": "C1"}, base_version=1)
    )
    assert (
        await _settle(committed_client, a, first["results"][0]["conflict_ids"][0], "device") == 200
    )
    await a.push(
        a.mutation("interface_meeting", "update", record_id, {"venue": "A-new"}, base_version=3)
    )
    assert (
        await _settle(committed_client, a, second["results"][0]["conflict_ids"][0], "device") == 200
    )
    stored = await _stored(committed_database, record_id)
    assert (stored.venue, stored.notes) == ("A-new", "n")


async def test_conflicts_of_one_round_are_settled_side_by_side(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    conflict_ids = []
    for _ in range(6):
        record_id = uuid.uuid4()
        await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
        await a.push(
            a.mutation("interface_meeting", "update", record_id, {"venue": "A"}, base_version=1)
        )
        clash = await b.push(
            b.mutation("interface_meeting", "update", record_id, {"venue": "B"}, base_version=1)
        )
        conflict_ids += clash["results"][0]["conflict_ids"]
    codes = await asyncio.gather(
        *(_settle(committed_client, a, conflict_id, "device") for conflict_id in conflict_ids)
    )
    assert codes == [200] * 6


async def test_an_item_sent_twice_in_a_set_is_kept_once(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, _ = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(
        a.mutation("interface_meeting", "create", record_id, meeting(field, priorities=["x"] * 100))
    )
    await a.push(
        a.mutation(
            "interface_meeting",
            "update",
            record_id,
            {"priorities": ["x", "y", "y"]},
            base_version=1,
        )
    )
    assert (await _stored(committed_database, record_id)).priorities == ["x", "y"]


async def test_a_tablet_that_settled_a_conflict_edits_the_record_again_from_an_old_version(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
    await b.push(
        b.mutation("interface_meeting", "update", record_id, {"venue": "B"}, base_version=1)
    )
    clash = await a.push(
        a.mutation("interface_meeting", "update", record_id, {"venue": "A"}, base_version=1)
    )
    # settled from tablet A itself: a version written by A's device that A did not push
    assert (
        await _settle(committed_client, a, clash["results"][0]["conflict_ids"][0], "device") == 200
    )
    again = await a.push(
        a.mutation("interface_meeting", "update", record_id, {"notes": "later"}, base_version=1)
    )
    assert again["results"][0]["status"] == "merged", again
    stored = await _stored(committed_database, record_id)
    assert (stored.venue, stored.notes) == ("A", "later")
