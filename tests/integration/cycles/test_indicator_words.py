"""A coordinator translates a raised indicator and says which way is better, on the server: the
same rules as a tablet's update, a new version the tablets pull, refused once the round is
closed, and another area's indicator is not there."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.database.session import Database
from backend.sync.models import RecordVersion
from tests.support.field import Tablet, programme

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_words_and_direction_are_set_as_a_new_version(
    client: AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    indicator_id = uuid.uuid4()
    await team.push(
        team.mutation(
            "cycle_indicator",
            "create",
            indicator_id,
            {
                "cycle_id": str(field.cycle_id),
                "key": "cold_classrooms",
                "label": {"mn": "Анги танхим хүйтэн"},
                "kind": "scale",
                "raised_by": ["parents"],
            },
        )
    )
    coordinator = await Tablet(client, await field.user(Role.COORDINATOR)).sign_in()
    path = f"/cycles/v1/{field.cycle_id}/indicators/{indicator_id}"
    await field.cycle_phase("self_assessment")  # the set is frozen: translation goes on
    done = await client.patch(
        path,
        json={"label_en": "Classrooms are cold", "better": "lower"},
        headers=coordinator.headers,
    )
    assert done.status_code == 200, done.text
    assert (done.json()["label_en"], done.json()["better"]) == ("Classrooms are cold", "lower")
    versions = list(
        await db.scalars(
            select(RecordVersion)
            .where(RecordVersion.record_id == indicator_id)
            .order_by(RecordVersion.version)
        )
    )
    assert [v.version for v in versions] == [1, 2]
    assert versions[-1].user_id == coordinator.user.id
    assert versions[-1].changed["better"] == "lower"

    elsewhere = await Tablet(client, await field.user(Role.COORDINATOR, areas=["MN-043"])).sign_in()
    hidden = await client.patch(path, json={"better": "higher"}, headers=elsewhere.headers)
    assert hidden.status_code == 404

    await field.cycle_phase("closed")
    closed = await client.patch(path, json={"better": "higher"}, headers=coordinator.headers)
    assert closed.status_code == 422
    assert closed.json()["code"] == "cycle_indicator.words_refused"
    assert closed.json()["errors"][0]["code"] == "sync.round_closed"
