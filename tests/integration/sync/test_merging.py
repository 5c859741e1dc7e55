"""SYNC.md cases 4-6, 9 and 12: field-wise merges, conflicts kept for a person, deletes."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.action_plans.models import ActionItem, InterfaceMeeting
from backend.auth.models import Role
from backend.database.session import Database
from backend.submissions.models import Submission
from backend.sync.models import Conflict
from tests.support.field import Tablet, programme
from tests.support.sync_data import action_item, meeting, submission

pytestmark = pytest.mark.asyncio


async def _pair(client: AsyncClient, database: Database, same_user: bool = False):  # type: ignore[no-untyped-def]
    field = await programme(database)
    first_user = await field.user(Role.FACILITATOR)
    second_user = first_user if same_user else await field.user(Role.MONITOR)
    a = await Tablet(client, first_user).sign_in()
    b = await Tablet(client, second_user).sign_in()
    return field, a, b


async def _score_conflict(client: AsyncClient, database: Database, b_clock: datetime | None):  # type: ignore[no-untyped-def]
    """One author on two tablets changes the same score offline, from the same version."""
    field, a, b = await _pair(client, database, same_user=True)
    record_id = uuid.uuid4()
    await a.push(a.mutation("submission", "create", record_id, submission(field, score=3)))
    first = await a.push(
        a.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"consulted_on_plan": {"value": 4, "reason": "Asked twice"}}},
            base_version=1,
        )
    )
    second = await b.push(
        b.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"consulted_on_plan": {"value": 2, "reason": None}}},
            base_version=1,
            client_ts=b_clock,
        )
    )
    return record_id, first["results"][0], second["results"][0]


async def test_case_4_same_score_changed_on_two_tablets(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    record_id, first, second = await _score_conflict(committed_client, committed_database, None)
    assert (first["status"], first["version"]) == ("applied", 2)
    assert second["status"] == "conflict"
    assert second["version"] == 2  # nothing else changed: the record stays at the server's version
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(Submission, record_id)
        assert stored.answers["consulted_on_plan"]["value"] == 4  # the first to arrive stands
        conflict = await db.get_one(Conflict, uuid.UUID(second["conflict_ids"][0]))
    assert conflict.field == "answers.consulted_on_plan"
    assert conflict.base_value["value"] == 3
    assert conflict.server_value["value"] == 4
    assert conflict.device_value["value"] == 2  # both values kept for a person to decide
    assert conflict.status == "open"


async def test_case_9_a_wrong_clock_changes_nothing_in_the_merge(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    skewed = datetime.now(UTC) + timedelta(days=3)
    _, first, second = await _score_conflict(committed_client, committed_database, skewed)
    assert (first["status"], second["status"]) == ("applied", "conflict")
    assert second["clock_flagged"] is True
    assert first["clock_flagged"] is False
    behind = datetime.now(UTC) - timedelta(days=3)
    _, first, second = await _score_conflict(committed_client, committed_database, behind)
    assert (first["status"], second["status"]) == ("applied", "conflict")


async def test_case_5_different_fields_of_one_record_both_apply(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
    first = await a.push(
        a.mutation(
            "interface_meeting", "update", record_id, {"venue": "School gym"}, base_version=1
        )
    )
    second = await b.push(
        b.mutation(
            "interface_meeting",
            "update",
            record_id,
            {"notes": "Director agreed to publish the budget"},
            base_version=1,
        )
    )
    assert first["results"][0]["status"] == "applied"
    assert second["results"][0]["status"] == "merged"
    assert second["results"][0]["conflict_ids"] == []
    assert second["results"][0]["version"] == 3
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(InterfaceMeeting, record_id)
        assert (stored.venue, stored.notes) == (
            "School gym",
            "Director agreed to publish the budget",
        )


async def test_counts_and_sets_merge_and_status_only_moves_forward(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
    await a.push(
        a.mutation(
            "interface_meeting",
            "update",
            record_id,
            {
                "attendance": {
                    "community_female": 12,
                    "community_male": 8,
                    "provider": 3,
                    "officials": 1,
                },
                "priorities": ["teacher_attendance", "toilets_and_water"],
                "status": "closed",
            },
            base_version=1,
        )
    )
    merged = await b.push(
        b.mutation(
            "interface_meeting",
            "update",
            record_id,
            {
                "attendance": {
                    "community_female": 10,
                    "community_male": 11,
                    "provider": 3,
                    "officials": 2,
                },
                "priorities": ["inclusion"],
                "status": "held",
            },
            base_version=1,
        )
    )
    assert merged["results"][0]["status"] == "merged"
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(InterfaceMeeting, record_id)
    assert stored.attendance == {
        "community_female": 12,
        "community_male": 11,
        "provider": 3,
        "officials": 2,
    }
    assert stored.priorities == ["toilets_and_water", "inclusion"]
    assert stored.status == "closed"


async def test_case_6a_delete_then_stale_edit_is_kept_as_a_conflict(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("action_item", "create", record_id, action_item(field)))
    deleted = await a.push(a.mutation("action_item", "delete", record_id, base_version=1))
    assert (deleted["results"][0]["status"], deleted["results"][0]["version"]) == ("applied", 2)
    edit = await b.push(
        b.mutation(
            "action_item", "update", record_id, {"responsible": "Soum governor"}, base_version=1
        )
    )
    result = edit["results"][0]
    assert result["status"] == "deleted"
    assert len(result["conflict_ids"]) == 1  # the edit waits for a person, it is not lost
    async with committed_database.sessionmaker() as db:
        item = await db.get_one(ActionItem, record_id)
        conflict = await db.get_one(Conflict, uuid.UUID(result["conflict_ids"][0]))
    assert item.deleted_at is not None  # not silently resurrected
    assert (conflict.field, conflict.device_value) == ("_deleted", {"responsible": "Soum governor"})

    again = await b.push(b.mutation("action_item", "create", record_id, action_item(field)))
    assert again["results"][0]["status"] == "rejected"
    assert again["results"][0]["error"]["code"] == "sync.id_taken"


async def test_case_6b_edit_then_stale_delete_is_a_conflict(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("action_item", "create", record_id, action_item(field)))
    await a.push(
        a.mutation("action_item", "update", record_id, {"status": "in_progress"}, base_version=1)
    )
    stale_delete = await b.push(b.mutation("action_item", "delete", record_id, base_version=1))
    assert stale_delete["results"][0]["status"] == "conflict"
    async with committed_database.sessionmaker() as db:
        item = await db.get_one(ActionItem, record_id)
    assert item.deleted_at is None
    assert item.status == "in_progress"


async def test_case_12_concurrent_pushes_to_one_record_lose_nothing(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
    base = meeting(field)["attendance"]
    first, second = await asyncio.gather(
        a.push(
            a.mutation(
                "interface_meeting",
                "update",
                record_id,
                {"attendance": base | {"community_female": 15}},
                base_version=1,
            )
        ),
        b.push(
            b.mutation(
                "interface_meeting",
                "update",
                record_id,
                {"attendance": base | {"officials": 4}},
                base_version=1,
            )
        ),
    )
    statuses = sorted([first["results"][0]["status"], second["results"][0]["status"]])
    assert statuses == ["applied", "merged"]
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(InterfaceMeeting, record_id)
    assert stored.attendance["community_female"] == 15
    assert stored.attendance["officials"] == 4
    assert stored.version == 3


async def test_submission_edits_are_for_the_author_during_scoring_only(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("submission", "create", record_id, submission(field)))
    not_author = await b.push(
        b.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"inclusion": {"value": 1}}},
            base_version=1,
        )
    )
    assert not_author["results"][0]["error"]["code"] == "submission.not_author"
    await field.cycle_phase("interface_meeting")
    late = await a.push(
        a.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"inclusion": {"value": 1}}},
            base_version=1,
        )
    )
    assert late["results"][0]["status"] == "rejected"
    assert late["results"][0]["error"]["code"] == "submission.cycle_not_scoring"


async def test_resolving_a_conflict_makes_a_new_version_for_every_device(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("action_item", "create", record_id, action_item(field)))
    await a.push(
        a.mutation(
            "action_item", "update", record_id, {"responsible": "Head teacher"}, base_version=1
        )
    )
    await a.push(
        a.mutation(
            "action_item",
            "update",
            record_id,
            {"responsible": "Parent council chair"},
            base_version=2,
        )
    )
    clash = await b.push(
        b.mutation(
            "action_item",
            "update",
            record_id,
            {"responsible": "Soum education officer"},
            base_version=2,
            base={"responsible": "Head teacher"},
        )
    )
    assert clash["results"][0]["status"] == "conflict", clash
    conflict_id = clash["results"][0]["conflict_ids"][0]

    listed = await committed_client.get(
        "/sync/v1/conflicts", params={"status": "open"}, headers=a.headers
    )
    assert [c["id"] for c in listed.json()] == [conflict_id]
    assert listed.json()[0]["base_value"] == "Head teacher"
    assert listed.json()[0]["server_value"] == "Parent council chair"

    monitor_try = await committed_client.post(
        f"/sync/v1/conflicts/{conflict_id}/resolve", json={"choice": "device"}, headers=b.headers
    )
    assert monitor_try.status_code == 403  # monitors raise conflicts; facilitators settle them
    await a.pull_all()
    resolved = await committed_client.post(
        f"/sync/v1/conflicts/{conflict_id}/resolve", json={"choice": "device"}, headers=a.headers
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["version"] == 4
    changes = await a.pull_all()
    item = next(c for c in changes if c["id"] == str(record_id))
    assert (item["version"], item["data"]["responsible"]) == (4, "Soum education officer")
    again = await committed_client.post(
        f"/sync/v1/conflicts/{conflict_id}/resolve", json={"choice": "server"}, headers=a.headers
    )
    assert again.status_code == 409

    history = await committed_client.get(
        f"/sync/v1/history/action_item/{record_id}", headers=a.headers
    )
    versions = history.json()
    assert [v["version"] for v in versions] == [1, 2, 3, 4]
    assert versions[1]["changed"] == {"responsible": "Head teacher"}
    assert versions[1]["device_id"] == str(a.device_id)
    assert versions[3]["changed"]["_resolved_conflict"] == conflict_id


async def test_action_updates_are_append_only(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, _ = await _pair(committed_client, committed_database)
    item_id, update_id = uuid.uuid4(), uuid.uuid4()
    result = await a.push(
        a.mutation("action_item", "create", item_id, action_item(field)),
        a.mutation(
            "action_update",
            "create",
            update_id,
            {
                "action_item_id": str(item_id),
                "status": "in_progress",
                "note": "Plumber hired",
                "reported_on": "2026-12-01",
            },
        ),
        a.mutation("action_update", "update", update_id, {"note": "changed"}, base_version=1),
        a.mutation("action_update", "delete", update_id, base_version=1),
    )
    assert [r["status"] for r in result["results"]] == [
        "applied",
        "applied",
        "rejected",
        "rejected",
    ]
    assert {r["error"]["code"] for r in result["results"][2:]} == {"sync.append_only"}


async def test_records_of_another_aimag_cannot_be_written(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    khovd = await Tablet(
        committed_client, await field.user(Role.FACILITATOR, areas=["MN-043"])
    ).sign_in()
    result = await khovd.push(
        khovd.mutation("submission", "create", uuid.uuid4(), submission(field))
    )
    assert result["results"][0]["status"] == "rejected"
    assert result["results"][0]["error"]["code"] == "sync.unknown_reference"
    async with committed_database.sessionmaker() as db:
        assert await db.scalar(select(Submission.id)) is None
