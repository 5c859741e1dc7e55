"""SYNC.md cases 1-3, 10, 11, 14, 16: exactly once, per-item outcomes, identity, versions."""

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select

from backend.action_plans.models import InterfaceMeeting
from backend.auth.models import Role
from backend.database.session import Database
from backend.submissions.models import Submission
from backend.sync.models import SyncMutation
from tests.support.field import Tablet, programme
from tests.support.sync_data import meeting, submission

pytestmark = pytest.mark.asyncio


async def _count(database: Database, model) -> int:  # type: ignore[no-untyped-def]
    async with database.sessionmaker() as db:
        return await db.scalar(select(func.count()).select_from(model)) or 0


async def test_case_1_replayed_push_returns_same_results_and_changes_nothing(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    mutations = [
        tablet.mutation("submission", "create", uuid.uuid4(), submission(field)),
        tablet.mutation("interface_meeting", "create", uuid.uuid4(), meeting(field)),
    ]
    first = await tablet.push(*mutations)
    replay = await tablet.push(*mutations)  # the first response was lost on the way back
    assert [r["status"] for r in first["results"]] == ["applied", "applied"]
    assert [r["status"] for r in replay["results"]] == ["duplicate", "duplicate"]
    for original, again in zip(first["results"], replay["results"], strict=True):
        assert again["original_status"] == original["status"]
        assert (again["id"], again["version"], again["conflict_ids"]) == (
            original["id"],
            original["version"],
            original["conflict_ids"],
        )
    assert replay["last_mutation_id"] == first["last_mutation_id"] == 2
    assert await _count(committed_database, Submission) == 1
    assert await _count(committed_database, InterfaceMeeting) == 1
    assert await _count(committed_database, SyncMutation) == 2


async def test_case_2_same_ids_with_different_content_are_refused(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    record_id = uuid.uuid4()
    original = tablet.mutation("submission", "create", record_id, submission(field, score=4))
    await tablet.push(original)

    # the same mutation id with other content: the whole push is refused
    changed = original | {"data": submission(field, score=1)}
    response = await tablet.push_raw([changed])
    assert response.status_code == 409
    assert response.json()["code"] == "sync.mutation_mismatch"

    # the same record id under a new mutation id with other content: refused item by item
    again = await tablet.push(
        tablet.mutation("submission", "create", record_id, submission(field, score=1))
    )
    assert again["results"][0]["status"] == "rejected"
    assert again["results"][0]["error"]["code"] == "sync.id_taken"
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(Submission, record_id)
        assert stored.answers["consulted_on_plan"]["value"] == 4
        assert stored.version == 1


async def test_case_3_reinstalled_tablet_resending_is_not_duplicated(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    user = await field.user(Role.FACILITATOR)
    old = await Tablet(committed_client, user).sign_in()
    record_id = uuid.uuid4()
    data = submission(field)
    await old.push(old.mutation("submission", "create", record_id, data))

    reinstalled = await Tablet(committed_client, user).sign_in()  # new device id, counter from 1
    result = await reinstalled.push(reinstalled.mutation("submission", "create", record_id, data))
    assert result["results"][0]["status"] == "duplicate"
    assert result["results"][0]["version"] == 1
    assert result["last_mutation_id"] == 1
    assert await _count(committed_database, Submission) == 1


async def test_case_10_one_invalid_item_does_not_sink_the_batch(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    bad = submission(field)
    bad["answers"]["consulted_on_plan"] = {"value": 9}
    bad["answers"]["inclusion"] = {"value": "good"}
    mutations = [
        tablet.mutation("submission", "create", uuid.uuid4(), submission(field)),
        tablet.mutation("submission", "create", uuid.uuid4(), bad),
        tablet.mutation("interface_meeting", "create", uuid.uuid4(), meeting(field)),
        tablet.mutation("blackboard", "create", uuid.uuid4(), {}),
    ]
    result = await tablet.push(*mutations)
    statuses = [r["status"] for r in result["results"]]
    assert statuses == ["applied", "rejected", "applied", "rejected"]
    error = result["results"][1]["error"]
    assert error["code"] == "submission.invalid_answers"
    assert {e["field"] for e in error["errors"]} == {
        "data.answers.consulted_on_plan.value",
        "data.answers.inclusion.value",
    }
    assert result["results"][3]["error"]["code"] == "sync.unknown_entity"
    # the counter moved past the rejected items: the tablet is never stuck
    assert result["last_mutation_id"] == 4

    replay = await tablet.push(*mutations)
    assert [r["status"] for r in replay["results"]] == ["duplicate"] * 4
    assert [r["original_status"] for r in replay["results"]] == statuses
    assert await _count(committed_database, Submission) == 1


async def test_case_11_a_gap_stops_processing_with_a_clear_result(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    ms = [
        tablet.mutation("submission", "create", uuid.uuid4(), submission(field)) for _ in range(5)
    ]
    result = await tablet.push(ms[0], ms[1], ms[3], ms[4])  # mutation 3 went missing
    assert [r["status"] for r in result["results"]] == [
        "applied",
        "applied",
        "rejected",
        "rejected",
    ]
    assert {r["error"]["code"] for r in result["results"][2:]} == {"sync.mutation_gap"}
    assert result["last_mutation_id"] == 2
    resumed = await tablet.push(ms[2], ms[3], ms[4])
    assert [r["status"] for r in resumed["results"]] == ["applied"] * 3
    assert resumed["last_mutation_id"] == 5
    assert await _count(committed_database, Submission) == 5


async def test_case_14_a_token_of_device_a_cannot_push_as_device_b(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    user = await field.user(Role.FACILITATOR)
    a = await Tablet(committed_client, user).sign_in()
    b = await Tablet(committed_client, user).sign_in()
    response = await a.push_raw(
        [a.mutation("submission", "create", uuid.uuid4(), submission(field))],
        device_id=str(b.device_id),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "sync.device_mismatch"
    pulled = await committed_client.post(
        "/sync/v1/pull",
        json={"protocol": 1, "device_id": str(b.device_id), "cursor": None},
        headers=a.headers,
    )
    assert pulled.status_code == 403
    assert await _count(committed_database, Submission) == 0


async def test_web_sign_in_without_a_device_cannot_sync(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    user = await field.user(Role.FACILITATOR)
    login = await committed_client.post(
        "/auth/v1/login", json={"username": user.username, "password": "correct horse battery"}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    response = await committed_client.post(
        "/sync/v1/push",
        json={"protocol": 1, "device_id": str(uuid.uuid4()), "mutations": []},
        headers=headers,
    )
    assert response.status_code == 403
    assert response.json()["code"] == "sync.device_required"


async def test_case_16_unsupported_protocol_gets_426(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    for path, body in (
        ("/sync/v1/push", {"protocol": 0, "device_id": str(tablet.device_id), "mutations": []}),
        ("/sync/v1/pull", {"protocol": 7, "device": "a shape from the future"}),
    ):
        response = await committed_client.post(path, json=body, headers=tablet.headers)
        assert response.status_code == 426, path
        assert response.json()["code"] == "protocol.unsupported"
        assert "Update the app" in response.json()["detail"]


async def test_batch_over_the_limit_is_413(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    mutations = [
        tablet.mutation("submission", "create", uuid.uuid4(), submission(field)) for _ in range(501)
    ]
    response = await tablet.push_raw(mutations)
    assert response.status_code == 413
    assert (response.json()["code"], response.json()["field"]) == (
        "sync.batch_too_large",
        "mutations",
    )
    assert await _count(committed_database, Submission) == 0


async def test_revoked_tablet_can_neither_push_nor_pull(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    revoked = await committed_client.post(
        f"/auth/v1/devices/{tablet.device_id}/revoke", headers=coordinator.headers
    )
    assert revoked.status_code == 204
    push = await tablet.push_raw(
        [tablet.mutation("submission", "create", uuid.uuid4(), submission(field))]
    )
    assert push.status_code == 401
    pull = await committed_client.post(
        "/sync/v1/pull",
        json={"protocol": 1, "device_id": str(tablet.device_id), "cursor": None},
        headers=tablet.headers,
    )
    assert pull.status_code == 401


async def test_a_focus_group_is_counted_with_its_consent_never_named(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    record_id = uuid.uuid4()
    group = {
        "type": "herders",
        "consent_noted": True,
        "participants": {"female": 6, "male": 4, "disability": 1, "herder": 10},
    }
    await tablet.push(
        tablet.mutation("submission", "create", record_id, submission(field, group=group))
    )
    named = submission(field, group={"type": "parents", "participants": {"Bat-Erdene": 1}})
    refused = await tablet.push(tablet.mutation("submission", "create", uuid.uuid4(), named))
    assert refused["results"][0]["status"] == "rejected"
    assert refused["results"][0]["error"]["field"].startswith("data.group.participants")
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(Submission, record_id)
    assert stored.group == group
