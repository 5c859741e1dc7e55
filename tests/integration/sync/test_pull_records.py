"""Every record a tablet pulls has a declared type: its data fits the published JSON Schema."""

from __future__ import annotations

import json
import uuid

import pytest
from httpx import AsyncClient
from jsonschema import Draft202012Validator

from backend import contract
from backend.auth.models import Role
from backend.cycles.models import Cycle
from backend.database.session import Database
from tests.support.field import Tablet, programme
from tests.support.sync_data import action_item, meeting, submission

pytestmark = pytest.mark.asyncio

PULLED_SCHEMA = {
    "area": "areas/AreaRecord",
    "facility": "facilities/FacilityRecord",
    "cycle": "cycles/CycleRecord",
    "template_version": "templates/TemplateVersionRecord",
    "raised_tag": "cycles/RaisedTagRecord",
    "submission": "sync/SubmissionCreate",
    "interface_meeting": "sync/MeetingCreate",
    "action_item": "sync/ActionItemCreate",
}


def _validator(name: str) -> Draft202012Validator:
    path = contract.FOLDER / "schemas" / f"{name}.json"
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


async def test_every_pulled_record_fits_its_published_schema(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    held = str(uuid.uuid4())
    await tablet.push(
        tablet.mutation("submission", "create", uuid.uuid4(), submission(field)),
        tablet.mutation("interface_meeting", "create", held, meeting(field)),
        tablet.mutation("action_item", "create", uuid.uuid4(), action_item(field, held)),
    )
    changes = await tablet.pull_all()
    seen = set()
    for change in changes:
        if change["op"] != "upsert":
            continue
        seen.add(change["entity"])
        _validator(PULLED_SCHEMA[change["entity"]]).validate(change["data"])
    assert seen == set(PULLED_SCHEMA)


async def test_a_pulled_round_carries_its_label_in_both_languages(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    async with committed_database.sessionmaker() as db, db.begin():
        cycle = await db.get_one(Cycle, field.cycle_id)
        cycle.label, cycle.label_en = "2026 оны намрын үе", "2026 autumn round"
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    pulled = [c for c in await tablet.pull_all() if c["entity"] == "cycle"][-1]
    assert (pulled["data"]["label"], pulled["data"]["label_en"]) == (
        "2026 оны намрын үе",
        "2026 autumn round",
    )
