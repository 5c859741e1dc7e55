"""A tablet's own offline edits are a line, but only field by field: what another tablet wrote
after them is never overwritten silently. Settling a conflict is an edit like any other: it
obeys the record's rules, and bringing back a deleted record brings back all of it."""

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.action_plans.models import ActionItem, InterfaceMeeting
from backend.auth.models import Role
from backend.database.session import Database
from backend.submissions.models import Submission
from backend.sync.models import Conflict
from tests.integration.sync.test_merging import _pair
from tests.support.field import Tablet, school_answers
from tests.support.sync_data import action_item, meeting, submission

pytestmark = pytest.mark.asyncio


async def test_two_offline_edits_in_one_batch_do_not_overwrite_another_tablets_value(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("action_item", "create", record_id, action_item(field)))
    changed = await b.push(
        b.mutation(
            "action_item", "update", record_id, {"responsible": "Soum governor"}, base_version=1
        )
    )
    assert changed["results"][0]["status"] == "applied"
    # A, offline since version 1, sends two edits without `base`: its own first edit (version
    # 3) holds B's value, which A never saw
    pushed = await a.push(
        a.mutation(
            "action_item", "update", record_id, {"resources": "MNT 400,000"}, base_version=1
        ),
        a.mutation(
            "action_item", "update", record_id, {"responsible": "Head teacher"}, base_version=1
        ),
    )
    assert [r["status"] for r in pushed["results"]] == ["merged", "conflict"]
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(ActionItem, record_id)
        (conflict,) = await db.scalars(select(Conflict).where(Conflict.record_id == record_id))
    assert (stored.responsible, stored.resources) == ("Soum governor", "MNT 400,000")
    assert (conflict.field, conflict.server_value, conflict.device_value) == (
        "responsible",
        "Soum governor",
        "Head teacher",
    )


async def test_a_tablets_own_line_of_edits_applies_and_its_counts_add_up(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
    # B counts two more women who came late
    await b.push(
        b.mutation(
            "interface_meeting",
            "update",
            record_id,
            {"attendance": {"community_female": 12}},
            base_version=1,
        )
    )
    # A, offline from version 1, counts one more, then four more, and changes the venue twice
    pushed = await a.push(
        a.mutation(
            "interface_meeting",
            "update",
            record_id,
            {"attendance": {"community_female": 11}, "venue": "School gym"},
            base_version=1,
        ),
        a.mutation(
            "interface_meeting",
            "update",
            record_id,
            {"attendance": {"community_female": 15}, "venue": "Bag centre"},
            base_version=1,
        ),
    )
    assert [r["status"] for r in pushed["results"]] == ["merged", "merged"]
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(InterfaceMeeting, record_id)
        conflicts = list(await db.scalars(select(Conflict).where(Conflict.record_id == record_id)))
    # 10 at the start, B's +2, A's +1 and +4
    assert stored.attendance["community_female"] == 17
    assert stored.venue == "Bag centre"
    assert conflicts == []


async def _author_score_conflict(client: AsyncClient, database: Database):  # type: ignore[no-untyped-def]
    """A facilitator's two tablets score one indicator differently: one conflict to settle."""
    field, a, b = await _pair(client, database, same_user=True)
    record_id = uuid.uuid4()
    await a.push(a.mutation("submission", "create", record_id, submission(field, score=3)))
    for tablet, score in ((a, 4), (b, 2)):
        pushed = await tablet.push(
            tablet.mutation(
                "submission",
                "update",
                record_id,
                {"answers": {"consulted_on_plan": {"value": score}}},
                base_version=1,
            )
        )
    (conflict_id,) = pushed["results"][0]["conflict_ids"]
    return field, a, record_id, f"/sync/v1/conflicts/{conflict_id}/resolve"


async def test_a_settled_value_is_checked_like_an_edit_and_a_refusal_changes_nothing(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    _, author, record_id, url = await _author_score_conflict(committed_client, committed_database)
    for value, rule in (
        ("banana", "submission.invalid_answers"),  # not an answer at all
        ({"value": "banana"}, "submission.invalid_answers"),  # not a score
        ({"value": 9}, "submission.invalid_answers"),  # off the scale
    ):
        refused = await committed_client.post(
            url, json={"choice": "value", "value": value}, headers=author.headers
        )
        assert refused.status_code == 422, refused.text
        problem = refused.json()
        assert (problem["code"], problem["field"]) == ("sync.resolution_refused", "value")
        assert problem["errors"][0]["code"] == rule

    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(Submission, record_id)
        (conflict,) = await db.scalars(select(Conflict).where(Conflict.record_id == record_id))
    assert conflict.status == "open"
    assert (stored.version, stored.answers["consulted_on_plan"]["value"]) == (2, 4)

    settled = await committed_client.post(
        url,
        json={"choice": "value", "value": {"value": 3, "reason": "Agreed at the meeting"}},
        headers=author.headers,
    )
    assert settled.status_code == 200, settled.text
    assert settled.json()["version"] == 3
    # the author can still edit the submission afterwards
    edited = await author.push(
        author.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"inclusion": {"value": 5}}},
            base_version=3,
        )
    )
    assert edited["results"][0]["status"] == "applied", edited


async def test_a_score_is_changed_by_a_settlement_only_as_its_author_could(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, author, record_id, url = await _author_score_conflict(
        committed_client, committed_database
    )
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    refused = await committed_client.post(
        url, json={"choice": "device"}, headers=coordinator.headers
    )
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["code"] == "submission.not_author"
    # keeping the stored value writes nothing, so anyone who settles conflicts may do it
    kept = await committed_client.post(url, json={"choice": "server"}, headers=coordinator.headers)
    assert kept.status_code == 200, kept.text
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(Submission, record_id)
    assert stored.answers["consulted_on_plan"]["value"] == 4
    assert author.user.id == stored.created_by


async def test_bringing_back_a_deleted_submission_keeps_every_answer_plus_the_edit(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database, same_user=True)
    record_id = uuid.uuid4()
    await a.push(a.mutation("submission", "create", record_id, submission(field, score=3)))
    await a.push(a.mutation("submission", "delete", record_id, base_version=1))
    late = await b.push(
        b.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"inclusion": {"value": 5, "reason": "Ramp built"}}},
            base_version=1,
        )
    )
    assert late["results"][0]["status"] == "deleted"
    (conflict_id,) = late["results"][0]["conflict_ids"]
    back = await committed_client.post(
        f"/sync/v1/conflicts/{conflict_id}/resolve", json={"choice": "device"}, headers=a.headers
    )
    assert back.status_code == 200, back.text
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(Submission, record_id)
    expected = school_answers(3)
    expected["inclusion"] = {"value": 5, "reason": "Ramp built", "suggestion": None}
    assert stored.deleted_at is None
    assert {key: answer["value"] for key, answer in stored.answers.items()} == {
        key: answer["value"] for key, answer in expected.items()
    }
    assert stored.answers["inclusion"]["reason"] == "Ramp built"
    pulled = {c["id"]: c for c in await b.pull_all()}
    assert pulled[str(record_id)]["op"] == "upsert"
    assert pulled[str(record_id)]["data"]["answers"]["council_meetings"]["value"] == 4


async def test_two_tablets_counting_one_more_each_count_two(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database, same_user=True)
    record_id = uuid.uuid4()
    await a.push(a.mutation("interface_meeting", "create", record_id, meeting(field)))
    for tablet in (a, b):  # both saw 10 women, and each counted one more who came late
        await tablet.push(
            tablet.mutation(
                "interface_meeting",
                "update",
                record_id,
                {"attendance": {**meeting(field)["attendance"], "community_female": 11}},
                base_version=1,
            )
        )
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(InterfaceMeeting, record_id)
    assert stored.attendance["community_female"] == 12


async def test_settling_on_what_the_record_no_longer_holds_is_refused_and_shown_anew(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    record_id = uuid.uuid4()
    await a.push(a.mutation("action_item", "create", record_id, action_item(field)))
    await b.push(
        b.mutation("action_item", "update", record_id, {"responsible": "rB"}, base_version=1)
    )
    clash = await a.push(
        a.mutation("action_item", "update", record_id, {"responsible": "rA"}, base_version=1)
    )
    (conflict_id,) = clash["results"][0]["conflict_ids"]
    # someone who saw rB replaces it, after the conflict was recorded
    await coordinator.push(
        coordinator.mutation(
            "action_item", "update", record_id, {"responsible": "rC"}, base_version=2
        )
    )
    url = f"/sync/v1/conflicts/{conflict_id}/resolve"
    refused = await committed_client.post(url, json={"choice": "device"}, headers=a.headers)
    assert (refused.status_code, refused.json()["code"]) == (409, "sync.conflict_outdated")
    (shown,) = (await committed_client.get("/sync/v1/conflicts", headers=a.headers)).json()
    assert (shown["status"], shown["server_value"], shown["server_version"]) == ("open", "rC", 3)
    async with committed_database.sessionmaker() as db:
        assert (await db.get_one(ActionItem, record_id)).responsible == "rC"
    # settled again, knowing rC
    settled = await committed_client.post(url, json={"choice": "device"}, headers=a.headers)
    assert settled.status_code == 200, settled.text
    async with committed_database.sessionmaker() as db:
        assert (await db.get_one(ActionItem, record_id)).responsible == "rA"


async def test_a_field_conflict_of_a_deleted_record_is_kept_as_the_server_has_it(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _pair(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(a.mutation("action_item", "create", record_id, action_item(field)))
    await b.push(
        b.mutation("action_item", "update", record_id, {"responsible": "rB"}, base_version=1)
    )
    clash = await a.push(
        a.mutation("action_item", "update", record_id, {"responsible": "rA"}, base_version=1),
        a.mutation("action_item", "delete", record_id, base_version=2),
    )
    assert [r["status"] for r in clash["results"]] == ["conflict", "applied"]
    url = f"/sync/v1/conflicts/{clash['results'][0]['conflict_ids'][0]}/resolve"
    refused = await committed_client.post(
        url, json={"choice": "value", "value": "zz"}, headers=a.headers
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "sync.conflict_outdated")
    kept = await committed_client.post(url, json={"choice": "server"}, headers=a.headers)
    assert kept.status_code == 200, kept.text
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(ActionItem, record_id)
    assert stored.deleted_at is not None
    assert stored.responsible == "rB"
