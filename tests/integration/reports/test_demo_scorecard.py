"""A newcomer opens the demo school's scorecard and sees a real comparison and trend."""

import pytest
from httpx import AsyncClient

from backend import demo
from backend.attachments.storage import open_store
from backend.db import Database
from backend.settings import Settings

pytestmark = pytest.mark.asyncio


async def test_the_demo_school_shows_gaps_changes_and_a_plan(
    committed_client: AsyncClient, committed_database: Database, settings: Settings
) -> None:
    async with committed_database.sessionmaker() as db, db.begin():
        await demo.seed(db, password="demo-password", store=open_store(settings))
    login = await committed_client.post(
        "/auth/v1/login", json={"username": "demo_coordinator", "password": "demo-password"}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    cycles = (
        await committed_client.get("/cycles/v1", params={"phase": "follow_up"}, headers=headers)
    ).json()["items"]
    assert len(cycles) == 3  # one completed autumn round per template family
    for cycle in cycles:
        assert cycle["previous_cycle_id"] is not None
        card = (
            await committed_client.get(
                f"/reports/v1/cycles/{cycle['id']}/scorecard", headers=headers
            )
        ).json()
        compared = [i for i in card["indicators"] if i["gap"] is not None]
        trended = [i for i in card["indicators"] if i["change"] is not None]
        assert compared, card["template_key"]
        assert trended, card["template_key"]
        page = await committed_client.get(
            f"/reports/v1/cycles/{cycle['id']}/scorecard.html", headers=headers
        )
        assert page.status_code == 200
        assert "data-action-item" in page.text
        shown = card["medicines_evidence"] + [s for i in card["indicators"] for s in i["evidence"]]
        assert shown, f"{card['template_key']}: no evidence photo"
        for sha in shown:
            assert f'data-evidence="{sha}" src="data:image/jpeg;base64,' in page.text
        photo = await committed_client.get(f"/sync/v1/attachments/{shown[0]}", headers=headers)
        assert photo.status_code == 200
