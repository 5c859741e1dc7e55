"""A push whose database connection dies mid-way: 503, nothing half-applied, the retry works."""

import asyncio
import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select, text

from backend.auth.models import Role
from backend.database.session import Database
from backend.submissions.models import Submission
from backend.sync.models import SyncMutation
from tests.support.field import Tablet, programme
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio


async def test_a_connection_lost_mid_push_is_503_and_applies_nothing(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    await tablet.push(tablet.mutation("submission", "create", uuid.uuid4(), submission(field)))
    batch = [
        tablet.mutation("submission", "create", uuid.uuid4(), submission(field)) for _ in range(3)
    ]

    async with committed_database.engine.connect() as blocker:
        # an uncommitted log row for mutation 2 makes the push wait at its last writes, after
        # it has inserted the submissions: the kill lands in the middle of the push
        await blocker.begin()
        await blocker.execute(
            text(
                "INSERT INTO sync_mutation (device_id, mutation_id, content_hash, result, user_id) "
                "VALUES (:d, 2, 'held-by-the-test', '{}', "
                "(SELECT created_by FROM submission LIMIT 1))"
            ),
            {"d": tablet.device_id},
        )
        push = asyncio.create_task(tablet.push_raw(batch))
        waiting = None
        for _ in range(100):
            # pg_stat_activity is read once per transaction unless told to look again
            await blocker.execute(text("SELECT pg_stat_clear_snapshot()"))
            waiting = await blocker.scalar(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            if waiting:
                break
            await asyncio.sleep(0.05)
        assert waiting, "the push never reached its last writes"
        written = await blocker.scalar(
            text(
                "SELECT count(*) FROM pg_locks "
                "WHERE pid = :pid AND relation = 'submission'::regclass"
            ),
            {"pid": waiting},
        )
        assert written, "the push had not written its submissions yet"
        await blocker.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": waiting})
        response = await push
        await blocker.rollback()

    assert response.status_code == 503
    assert response.json()["code"] == "server.unavailable"
    assert response.headers["retry-after"]
    async with committed_database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(Submission)) == 1
        assert await db.scalar(select(func.count()).select_from(SyncMutation)) == 1

    retried = await tablet.push_raw(batch)
    assert retried.status_code == 200
    assert [r["status"] for r in retried.json()["results"]] == ["applied"] * 3
    async with committed_database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(Submission)) == 4
