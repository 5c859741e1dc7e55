"""What fuzzing found once, kept fixed: each was a 500 before."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.db import Database
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
