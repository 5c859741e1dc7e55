"""The action-plan tracker at the console: the filters the dashboard links to (overdue worked
out here by hand), each reader's own items only, and approval and revision through the same
services as the API, whose answers change accordingly."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem
from backend.auth.models import Role
from backend.database.session import Database
from backend.settings import Settings
from tests.support.console import console_sign_in, csrf_of, post_form
from tests.support.followthrough import Site, item, round_at, site
from tests.support.identity import bearer, make_user, sign_in

pytestmark = pytest.mark.asyncio(loop_scope="session")
HTML = {"Accept": "text/html"}
_ITEM = re.compile(r"/console/plans/items/([0-9a-f-]{36})")


def listed(page: str) -> set[uuid.UUID]:
    return {uuid.UUID(found) for found in _ITEM.findall(page)}


async def in_english(client: httpx.AsyncClient) -> None:
    await post_form(client, "/console/plans", "/console/language", {"language": "en"})


async def test_the_filters_find_exactly_the_items_they_name(
    client: httpx.AsyncClient, db: AsyncSession, database: Database, settings: Settings
) -> None:
    today = settings.today()
    yesterday, tomorrow = today - timedelta(days=1), today + timedelta(days=1)
    uvs = await site(database, "MN-046")
    khovd = await site(database, "MN-043")
    spring = await round_at(uvs, date(2026, 3, 1))
    autumn = await round_at(khovd, date(2026, 3, 1))
    late = await item(
        uvs, spring, [], "in_progress", due_on=yesterday, funding_source="soum_ldf", cost_mnt=1
    )
    done_late = await item(uvs, spring, [], "done", due_on=yesterday, approval="approved")
    ahead = await item(
        uvs, spring, [], "not_started", due_on=tomorrow, funding_source="facility_budget"
    )
    dropped = await item(uvs, spring, [], "dropped", due_on=yesterday - timedelta(days=30))
    undated = await item(uvs, spring, [], "blocked", review_on=today, approval="returned")
    far = await item(khovd, autumn, [], "in_progress", due_on=yesterday, review_on=yesterday)
    everything = {late, done_late, ahead, dropped, undated, far}
    # worked out by hand: past due, neither done nor dropped
    overdue = {late, far}

    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046", "MN-043"])
    await console_sign_in(client, coordinator)

    async def shown(query: str) -> set[uuid.UUID]:
        page = await client.get(f"/console/plans{query}", headers=HTML)
        assert page.status_code == 200, page.text
        return listed(page.text) & everything

    assert await shown("") == everything
    assert await shown("?overdue=1") == overdue
    assert await shown("?overdue=1&area=MN-046") == {late}
    assert await shown("?area=MN-043") == {far}
    assert await shown("?funding_source=soum_ldf") == {late}
    assert await shown("?status=done") == {done_late}
    assert await shown("?approval=pending") == everything - {done_late, undated}
    assert await shown("?approval=returned") == {undated}
    assert await shown("?review_due=1") == {undated, far}
    # the API answers the same filters the same way
    api = bearer(await sign_in(client, coordinator))
    for query, expected in (
        ({"status": "done"}, {done_late}),
        ({"funding_source": "soum_ldf"}, {late}),
        ({"approval": "returned"}, {undated}),
    ):
        answer = await client.get("/action-plans/v1/items", params=query, headers=api)
        assert {uuid.UUID(i["id"]) for i in answer.json()["items"]} & everything == expected
    # the dashboard's counts lead to the same items
    home = await client.get("/console/", headers=HTML)
    assert "/console/plans?overdue=1" in home.text


async def test_a_provider_reads_only_its_own_facilitys_plan(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    own = await site(database, "MN-046")
    other = await site(database, "MN-046")
    own_round = await round_at(own, date(2026, 3, 1), phase="action_plan")
    other_round = await round_at(other, date(2026, 3, 1), phase="action_plan")
    mine = await item(own, own_round, [], "not_started")
    theirs = await item(other, other_round, [], "not_started")
    provider = await make_user(db, Role.PROVIDER, facilities=[own.facility_id])
    await console_sign_in(client, provider)

    page = await client.get("/console/plans", headers=HTML)
    assert listed(page.text) == {mine}
    assert (await client.get(f"/console/plans/items/{mine}", headers=HTML)).status_code == 200
    assert (await client.get(f"/console/plans/items/{theirs}", headers=HTML)).status_code == 404
    plan = await client.get(f"/console/plans/rounds/{other_round}", headers=HTML)
    assert plan.status_code == 404
    token = csrf_of(page.text)
    decided = await client.post(
        f"/console/plans/rounds/{other_round}/decision",
        data={"decision": "approved", "items": f"{theirs}:1", "_csrf_token": token},
    )
    assert decided.status_code == 404
    revised = await client.post(
        f"/console/plans/items/{theirs}/revision",
        data={"reason": "cheaper", "cost_mnt": "1", "_csrf_token": token},
    )
    assert revised.status_code == 404
    async with database.sessionmaker() as check:
        row = await check.get_one(ActionItem, theirs)
        assert (row.approval, row.cost_mnt) == ("pending", None)


async def _plan(database: Database) -> tuple[Site, uuid.UUID, list[uuid.UUID]]:
    school = await site(database, "MN-046")
    cycle_id = await round_at(school, date(2026, 3, 1), phase="action_plan")
    items = [
        await item(
            school,
            cycle_id,
            ["consulted_on_plan"],
            "not_started",
            cost_mnt=300_000,
            funding_source="soum_ldf",
            level="soum",
            responsible="Soum governor",
        ),
        await item(school, cycle_id, [], "in_progress", cost_mnt=50_000),
    ]
    return school, cycle_id, items


async def test_approving_a_plan_at_the_console_is_what_the_api_shows(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    _, cycle_id, items = await _plan(database)
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    api = bearer(await sign_in(client, coordinator))
    await console_sign_in(client, coordinator)
    await in_english(client)
    page = await client.get(f"/console/plans/rounds/{cycle_id}", headers=HTML)
    assert "Approve or return the plan" in page.text
    read = re.findall(r'name="items" value="([^"]+)"', page.text)
    assert sorted(read) == sorted(f"{i}:1" for i in items)

    # returning it needs a reason: refused, and nothing changes
    returned = await client.post(
        f"/console/plans/rounds/{cycle_id}/decision",
        data={"decision": "returned", "items": read, "_csrf_token": csrf_of(page.text)},
    )
    assert returned.status_code == 422
    assert "Give the reason." in returned.text

    approved = await client.post(
        f"/console/plans/rounds/{cycle_id}/decision",
        data={"decision": "approved", "items": read, "_csrf_token": csrf_of(page.text)},
    )
    assert approved.status_code == 303
    assert approved.headers["location"] == f"/console/plans/rounds/{cycle_id}?decided=approved"
    shown = await client.get(
        "/action-plans/v1/items", params={"cycle_id": str(cycle_id)}, headers=api
    )
    assert {i["approval"] for i in shown.json()["items"]} == {"approved"}
    decisions = await client.get(f"/action-plans/v1/cycles/{cycle_id}/decisions", headers=api)
    assert [(d["decision"], d["decided_by"]) for d in decisions.json()] == [
        ("approved", str(coordinator.id))
    ]
    after = await client.get(approved.headers["location"], headers=HTML)
    assert "The plan is approved." in after.text
    assert "Every item is approved." in after.text


async def test_a_plan_changed_since_it_was_read_is_not_decided(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    _, cycle_id, items = await _plan(database)
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    await in_english(client)
    page = await client.get(f"/console/plans/rounds/{cycle_id}", headers=HTML)
    read = re.findall(r'name="items" value="([^"]+)"', page.text)
    async with database.sessionmaker() as change, change.begin():
        await change.execute(update(ActionItem).where(ActionItem.id == items[0]).values(version=2))
    refused = await client.post(
        f"/console/plans/rounds/{cycle_id}/decision",
        data={"decision": "approved", "items": read, "_csrf_token": csrf_of(page.text)},
    )
    assert refused.status_code == 422
    assert "The plan changed since you read it" in refused.text
    async with database.sessionmaker() as check:
        assert (await check.get_one(ActionItem, items[1])).approval == "pending"


async def test_revising_an_approved_item_at_the_console_is_what_the_api_shows(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    _, cycle_id, items = await _plan(database)
    async with database.sessionmaker() as agreed, agreed.begin():
        await agreed.execute(
            update(ActionItem).where(ActionItem.cycle_id == cycle_id).values(approval="approved")
        )
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    api = bearer(await sign_in(client, coordinator))
    await console_sign_in(client, coordinator)
    await in_english(client)
    path = f"/console/plans/items/{items[0]}"
    page = await client.get(path, headers=HTML)
    assert "Soum governor" in page.text
    assert "Local Development Fund" in page.text
    assert 'action="/console/plans/items/' in page.text

    fields = {
        "issue": "An issue the community raised",
        "action": "An action agreed",
        "responsible": "Soum governor",
        "due_on": "",
        "cost_mnt": "450000",
        "funding_source": "aimag_budget",
        "level": "soum",
        "_csrf_token": csrf_of(page.text),
    }
    without_reason = await client.post(f"{path}/revision", data={**fields, "reason": " "})
    assert without_reason.status_code == 422
    assert "Give the reason." in without_reason.text

    revised = await client.post(f"{path}/revision", data={**fields, "reason": "Prices rose"})
    assert revised.status_code == 303
    assert revised.headers["location"] == f"{path}?revised=1"
    history = await client.get(f"/action-plans/v1/cycles/{cycle_id}/revisions", headers=api)
    assert [(r["before"], r["after"], r["reason"]) for r in history.json()] == [
        (
            {"cost_mnt": 300000, "funding_source": "soum_ldf"},
            {"cost_mnt": 450000, "funding_source": "aimag_budget"},
            "Prices rose",
        )
    ]
    shown = await client.get(
        "/action-plans/v1/items", params={"cycle_id": str(cycle_id)}, headers=api
    )
    now = next(i for i in shown.json()["items"] if i["id"] == str(items[0]))
    assert (now["cost_mnt"], now["funding_source"]) == (450000, "aimag_budget")
    after = await client.get(revised.headers["location"], headers=HTML)
    assert "The revision is stored." in after.text
    assert "Prices rose" in after.text
    # before and after in words, and the indicator the item answers by its label
    revisions = after.text.split("<h2>Revisions</h2>", 1)[1].split("</table>", 1)[0]
    assert "Local Development Fund" in revisions
    assert "Aimag budget" in revisions
    assert "450,000" in revisions
    assert "soum_ldf" not in revisions
    assert "Are parents consulted on the school plan and budget?" in after.text


async def test_a_viewer_reads_published_plans_and_decides_nothing(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    _, cycle_id, items = await _plan(database)
    viewer = await make_user(db, Role.VIEWER, areas=["MN-046"])
    await console_sign_in(client, viewer)
    page = await client.get("/console/plans", headers=HTML)
    assert set(items) <= listed(page.text)
    plan = await client.get(f"/console/plans/rounds/{cycle_id}", headers=HTML)
    assert plan.status_code == 200
    assert "/decision" not in plan.text
    refused = await client.post(
        f"/console/plans/rounds/{cycle_id}/decision",
        data={"decision": "approved", "items": f"{items[0]}:1", "_csrf_token": csrf_of(page.text)},
    )
    assert refused.status_code == 403
