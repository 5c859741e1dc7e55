"""An operator scrapes /metrics: requests by route template, the sync counters and the pool,
and no user, device or record id anywhere in it."""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from httpx import AsyncClient

from backend.app import create_app
from backend.auth.models import Role
from backend.database.session import Database
from backend.settings import Settings
from tests.support.field import Tablet, programme
from tests.support.http import serve
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio
TOKEN = "scraper-token-of-the-operator"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}


@pytest_asyncio.fixture(loop_scope="session")
async def committed_client(
    settings: Settings, committed_database: Database
) -> AsyncIterator[AsyncClient]:
    """The app with a metrics token configured, as the operator runs it."""
    app = create_app(
        dataclasses.replace(settings, metrics_token=TOKEN), database=committed_database
    )
    async with serve(app) as client:
        yield client


def _value(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


async def test_metrics_count_routes_pushes_and_pulls_without_any_id(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    before = (await committed_client.get("/metrics", headers=SCRAPER)).text
    record = uuid.uuid4()
    await tablet.push(tablet.mutation("submission", "create", record, submission(field)))
    await tablet.pull_all()
    history = await committed_client.get(
        f"/sync/v1/history/submission/{record}", headers=tablet.headers
    )
    assert history.status_code == 200
    await committed_client.get(f"/no/such/path/{uuid.uuid4()}")

    scrape = await committed_client.get("/metrics", headers=SCRAPER)
    assert scrape.status_code == 200
    assert scrape.headers["content-type"].startswith("text/plain")
    text = scrape.text
    applied = _value(text, "scorecard_push_mutations_total", result="applied")
    assert applied - _value(before, "scorecard_push_mutations_total", result="applied") == 1
    assert _value(text, "scorecard_pull_records_total", op="upsert") >= 1
    assert _value(text, "scorecard_requests_total", path="/sync/v1/push", method="POST") >= 1
    assert 'path="/sync/v1/history/{entity}/{record_id}"' in text
    assert "scorecard_db_connections_in_use" in text
    # no id of a record, a user or a device, and no path nobody routes
    ids = {str(record), str(tablet.user.id), str(tablet.device_id), str(field.facility_id)}
    found = set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text))
    assert found & ids == set()
    assert found == set()
    assert "/no/such/path" not in text
