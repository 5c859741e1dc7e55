"""A client cannot set what the server owns: versions, authors, areas, phases, publication."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient

from backend.action_plans.models import InterfaceMeeting
from backend.auth.models import Role
from backend.database.session import Database
from backend.facilities.models import Facility
from backend.submissions.models import Submission
from tests.support.field import Tablet, programme
from tests.support.identity import bearer, sign_in
from tests.support.sync_data import meeting, submission

pytestmark = pytest.mark.asyncio

SERVER_OWNED = {
    "version": 99,
    "created_by": "00000000-0000-4000-8000-000000000001",
    "created_at": "2020-01-01T00:00:00Z",
    "deleted_at": "2020-01-01T00:00:00Z",
    "content_hash": "0" * 64,
    "published_at": "2020-01-01T00:00:00Z",
    "area_code": "MN-1",
}


async def test_server_owned_fields_in_a_pushed_record_are_ignored(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    author = await field.user(Role.FACILITATOR)
    tablet = await Tablet(committed_client, author).sign_in()
    async with committed_database.sessionmaker() as db, db.begin():
        elsewhere = Facility(type="school", name_mn="Өөр", name_en="Other", area_code="MN-046")
        db.add(elsewhere)
    submission_id, meeting_id = uuid.uuid4(), uuid.uuid4()

    pushed = await tablet.push(
        tablet.mutation("submission", "create", submission_id, submission(field) | SERVER_OWNED),
        tablet.mutation(
            "interface_meeting",
            "create",
            meeting_id,
            meeting(field) | SERVER_OWNED | {"facility_id": str(elsewhere.id)},
        ),
    )

    assert [r["status"] for r in pushed["results"]] == ["applied", "applied"]
    assert [r["version"] for r in pushed["results"]] == [1, 1]
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(Submission, submission_id)
        held = await db.get_one(InterfaceMeeting, meeting_id)
    assert (stored.version, stored.created_by, stored.deleted_at) == (1, author.id, None)
    assert stored.content_hash != "0" * 64
    assert (held.facility_id, held.created_by, held.version) == (field.facility_id, author.id, 1)


async def test_a_submission_claiming_another_facility_is_rejected(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    other = await programme(committed_database)

    pushed = await tablet.push(
        tablet.mutation(
            "submission",
            "create",
            uuid.uuid4(),
            submission(field, facility_id=str(other.facility_id)),
        )
    )

    assert pushed["results"][0]["status"] == "rejected"
    assert pushed["results"][0]["error"]["code"] == "submission.cycle_mismatch"


async def test_a_new_cycle_starts_in_preparation_whatever_the_request_says(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    coordinator = await field.user(Role.COORDINATOR)
    async with committed_database.sessionmaker() as db, db.begin():
        school = Facility(type="school", name_mn="Шинэ", name_en="New", area_code="MN-046")
        db.add(school)
    headers = bearer(await sign_in(committed_client, coordinator))

    created = await committed_client.post(
        "/cycles/v1",
        json={
            "facility_id": str(school.id),
            "template_version_id": str(field.template_version_id),
            "label": "2027 spring",
            "phase": "closed",
            "published_at": "2020-01-01T00:00:00Z",
            "opened_by": "00000000-0000-4000-8000-000000000001",
        },
        headers=headers,
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["phase"] == "preparation"
    assert body["published_at"] is None


async def test_a_user_cannot_widen_their_own_scope(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    facilitator = await field.user(Role.FACILITATOR)
    headers = bearer(await sign_in(committed_client, facilitator))

    widened = await committed_client.patch(
        f"/admin/v1/users/{facilitator.id}",
        json={"role": "admin", "area_codes": ["MN"]},
        headers=headers,
    )
    me = await committed_client.get("/auth/v1/me", headers=headers)

    assert widened.status_code == 403
    assert widened.json()["code"] == "auth.forbidden"
    assert me.json()["user"]["role"] == "facilitator"
    assert [area["code"] for area in me.json()["areas"]] == ["MN-046"]
