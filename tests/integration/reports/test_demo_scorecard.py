"""A newcomer opens the demo school's scorecard and sees a real comparison and trend."""

import pytest
from httpx import AsyncClient

from backend.attachments.storage import open_store
from backend.database.session import Database
from backend.seed import demo, demo_rounds
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
        # the groups' own issues are problems ("no receipt is given"): lower is better
        raised = [i for i in card["indicators"] if i["origin"] != "template"]
        assert raised, card["template_key"]
        assert {i["better"] for i in raised} == {"lower"}, card["template_key"]
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


async def _sign_in(client: AsyncClient, username: str) -> dict[str, str]:
    login = await client.post(
        "/auth/v1/login", json={"username": username, "password": "demo-password"}
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def test_the_demo_shows_outsiders_a_real_comparison_without_the_small_group(
    committed_client: AsyncClient, committed_database: Database, settings: Settings
) -> None:
    async with committed_database.sessionmaker() as db, db.begin():
        await demo.seed(db, password="demo-password", store=open_store(settings))
    round_id = demo_rounds.round_id(demo.DEMO_PROVIDER_FACILITY, demo.DEMO_ROUND)
    path = f"/reports/v1/cycles/{round_id}/scorecard"
    coordinator = await _sign_in(committed_client, "demo_coordinator")
    inside = (await committed_client.get(path, headers=coordinator)).json()
    assert (inside["label_mn"], inside["label_en"]) == ("2026 оны намрын үе", "2026 autumn round")
    for username in ("demo_provider", "demo_viewer"):
        headers = await _sign_in(committed_client, username)
        card = (await committed_client.get(path, headers=headers)).json()
        assert card["published"]
        assert [i for i in card["indicators"] if i["gap"] is not None], username
        # the 3-person group is in no figure of theirs, and they are told it existed
        assert card["suppressed_cells"] == 1
        for indicator in card["indicators"]:
            groups = {cell["group"] for cell in indicator["community_groups"]}
            assert demo_rounds.SMALL_GROUP not in groups
        page = await committed_client.get(f"{path}.html?lang=en", headers=headers)
        assert 'data-withheld="1"' in page.text
        assert "fewer than 5 people" in page.text
    # the team that collected the round sees the small group
    assert inside["suppressed_cells"] == 0
    assert any(
        cell["group"] == demo_rounds.SMALL_GROUP
        for indicator in inside["indicators"]
        for cell in indicator["community_groups"]
    )
