import uuid

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.db import Database
from tests.support.field import Tablet, programme, school_answers

pytestmark = pytest.mark.asyncio


async def test_push_then_pull(committed_client: AsyncClient, committed_database: Database) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    sid = uuid.uuid4()
    result = await tablet.push(
        tablet.mutation(
            "submission",
            "create",
            sid,
            {
                "cycle_id": str(field.cycle_id),
                "respondent": "community",
                "group": {"type": "parents", "participants": {"female": 7, "male": 5}},
                "answers": school_answers(),
                "collected_at": "2026-11-20T10:00:00+08:00",
            },
        )
    )
    assert result["results"][0]["status"] == "applied", result
    changes = await tablet.pull_all()
    kinds = {(c["entity"], c["id"]) for c in changes}
    assert ("submission", str(sid)) in kinds
    assert ("cycle", str(field.cycle_id)) in kinds
