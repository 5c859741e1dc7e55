"""What fuzzing found once, kept fixed: each was a 500 before."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from backend.facilities.models import Facility
from tests.support.field import Tablet, programme
from tests.support.sync_data import meeting, submission

pytestmark = pytest.mark.asyncio


async def test_a_nul_character_rejects_its_record_and_spares_the_batch(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    pushed = await tablet.push(
        tablet.mutation("interface_meeting", "create", uuid.uuid4(), meeting(field, venue="a\0b")),
        tablet.mutation("submission", "create", uuid.uuid4(), submission(field)),
    )
    first, second = pushed["results"]
    assert first["status"] == "rejected"
    assert first["error"]["code"] == "sync.invalid_data"
    assert first["error"]["field"] == "data.venue"
    assert second["status"] == "applied"


async def test_a_nul_character_in_a_query_is_400(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    answer = await committed_client.get(
        "/action-plans/v1/items", params={"area": "MN\x00"}, headers=tablet.headers
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "request.invalid"


async def test_an_offset_beyond_any_list_is_400(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    for path in ("/facilities/v1", "/cycles/v1", "/action-plans/v1/items"):
        answer = await committed_client.get(path, params={"offset": 10**30}, headers=tablet.headers)
        assert answer.status_code == 400, (path, answer.text)
        assert answer.json()["field"] == "offset"


async def test_a_control_character_in_a_name_does_not_break_the_spreadsheet(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    async with committed_database.sessionmaker() as db, db.begin():
        school = await db.get_one(Facility, field.facility_id)
        school.name_en = "School\x0c No. 5"
    tablet = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    answer = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.xlsx", headers=tablet.headers
    )
    assert answer.status_code == 200


async def test_values_that_cannot_be_stored_reject_their_item_and_spare_the_batch(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    good = tablet.mutation("interface_meeting", "create", uuid.uuid4(), meeting(field))
    far_off = tablet.mutation(
        "submission",
        "create",
        uuid.uuid4(),
        submission(field, collected_at="9999-12-31T23:59:59-14:00"),
    )
    odd_clock = tablet.mutation("interface_meeting", "create", uuid.uuid4(), meeting(field))
    odd_clock["client_ts"] = "0001-01-01T00:00:00+14:00"
    nul_id = tablet.mutation("interface_meeting", "create", "a\x00b", meeting(field))
    body = [good, far_off, odd_clock, nul_id]
    pushed = await tablet.push(*body)
    statuses = [(r["status"], (r.get("error") or {}).get("code")) for r in pushed["results"]]
    assert statuses == [
        ("applied", None),
        ("rejected", "sync.invalid_data"),
        ("applied", None),
        ("rejected", "sync.bad_id"),
    ]
    assert pushed["results"][1]["error"]["field"] == "data.collected_at"
    assert pushed["results"][2]["clock_flagged"] is True
    assert pushed["last_mutation_id"] == body[-1]["mutation_id"]
    # the device is not stuck: the same batch again is answered from the log
    again = await tablet.push_raw(body)
    assert again.status_code == 200, again.text
    assert [r["status"] for r in again.json()["results"]] == ["duplicate"] * 4
