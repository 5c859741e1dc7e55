"""The demo shows follow-through: a budgeted plan approved by the facility head, whose items
are read against the next round's scores, and the responsiveness index for Uvs."""

import pytest
from httpx import AsyncClient

from backend.attachments.storage import open_store
from backend.database.session import Database
from backend.seed import demo
from backend.settings import Settings

pytestmark = pytest.mark.asyncio


async def test_the_demo_plan_is_budgeted_approved_and_judged(
    committed_client: AsyncClient, committed_database: Database, settings: Settings
) -> None:
    async with committed_database.sessionmaker() as db, db.begin():
        await demo.seed(db, password="demo-password", store=open_store(settings))
    login = await committed_client.post(
        "/auth/v1/login", json={"username": "demo_coordinator", "password": "demo-password"}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    spring = (
        await committed_client.get("/cycles/v1", params={"phase": "closed"}, headers=headers)
    ).json()["items"]
    assert len(spring) == 3
    classes = set()
    for cycle in spring:
        items = (
            await committed_client.get(
                "/action-plans/v1/items", params={"cycle_id": cycle["id"]}, headers=headers
            )
        ).json()["items"]
        assert items
        assert all(i["approval"] == "approved" and i["cost_mnt"] for i in items)
        assert any(i["status"] == "done" and i["spent_mnt"] > 0 for i in items)
        decisions = (
            await committed_client.get(
                f"/action-plans/v1/cycles/{cycle['id']}/decisions", headers=headers
            )
        ).json()
        assert [d["decision"] for d in decisions] == ["approved"]
        judged = (
            await committed_client.get(
                f"/reports/v1/cycles/{cycle['id']}/outcomes", headers=headers
            )
        ).json()["items"]
        assert all(i["next_cycle_id"] is not None for i in judged)
        classes |= {i["outcome"] for i in judged}
    # the autumn scores moved: done items improved
    assert "done_improved" in classes
    assert None not in classes

    index = await committed_client.get(
        "/reports/v1/index", params={"area": "MN-046", "by": "aimag"}, headers=headers
    )
    assert index.status_code == 200, index.text
    [uvs] = index.json()["rows"]
    assert uvs["unit"] == "MN-046"
    assert uvs["index"] is not None
    shown = {c["key"] for c in uvs["components"] if not c["suppressed"]}
    assert {"on_time", "money", "gap_closed"} <= shown

    # the area page of one template shows the index of its family, over the rounds it pools
    family = await committed_client.get(
        "/reports/v1/index",
        params={"area": "MN-046", "by": "aimag", "family": "health_insurance"},
        headers=headers,
    )
    [uvs_health] = family.json()["rows"]
    assert uvs_health["rounds"] < uvs["rounds"]
    for language, heading in (("en", "Responsiveness index"), ("mn", "Хариу үйлдлийн индекс")):
        page = await committed_client.get(
            "/reports/v1/rollup.html",
            params={
                "area": "MN-046",
                "template": "health_insurance",
                "by": "aimag",
                "since": "2000-01-01",
                "lang": language,
            },
            headers=headers,
        )
        assert page.status_code == 200, page.text
        assert heading in page.text
        assert '<tr data-unit="MN-046">' in page.text
        index_row = page.text.split("<table data-index>")[1].split("</table>")[0]
        expected = "—" if uvs_health["index"] is None else f"{uvs_health['index']:.1f}"
        assert f"<strong>{expected}</strong>" in index_row
        assert 'data-component="gap_closed"' in page.text
