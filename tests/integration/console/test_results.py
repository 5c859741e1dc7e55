"""Results at the console: each reader finds the rounds they may read (a viewer the published
ones of their area, a provider its own facility's) with their pages and downloads, and an
area's trend and index computed by the report services, small groups left out for outsiders."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.cycles.models import Cycle
from backend.database.session import Database
from backend.facilities.models import Facility
from tests.support.console import console_sign_in, post_form
from tests.support.followthrough import Site, round_at, scored, site
from tests.support.identity import make_user

pytestmark = pytest.mark.asyncio(loop_scope="session")
HTML = {"Accept": "text/html"}


async def _named(database: Database, area: str, name: str) -> Site:
    found = await site(database, area)
    async with database.sessionmaker() as db, db.begin():
        facility = await db.get_one(Facility, found.facility_id)
        facility.name_mn = facility.name_en = name
    return found


async def _unpublish(database: Database, cycle_id: uuid.UUID) -> None:
    async with database.sessionmaker() as db, db.begin():
        await db.execute(update(Cycle).where(Cycle.id == cycle_id).values(published_at=None))


async def in_english(client: httpx.AsyncClient) -> None:
    await post_form(client, "/console/results", "/console/language", {"language": "en"})


def _section(page: str, start: str, end: str = "</table>") -> str:
    return page.split(start, 1)[1].split(end, 1)[0]


async def test_a_viewer_reads_only_published_rounds_of_their_area(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    published = await _named(database, "MN-046", "Published school")
    hidden = await _named(database, "MN-046", "Unpublished school")
    elsewhere = await _named(database, "MN-043", "Khovd school")
    shown_id = await round_at(published, date(2026, 3, 1))
    hidden_id = await round_at(hidden, date(2026, 3, 1))
    await _unpublish(database, hidden_id)
    await round_at(elsewhere, date(2026, 3, 1))

    viewer = await make_user(db, Role.VIEWER, areas=["MN-046"])
    await console_sign_in(client, viewer)
    page = await client.get("/console/results", headers=HTML)
    assert page.status_code == 200
    assert "Published school" in page.text
    assert "Unpublished school" not in page.text
    assert "Khovd school" not in page.text
    assert str(hidden_id) not in page.text
    # each with its page, downloads and area page, which open with the browser session
    for link in (
        f"/reports/v1/cycles/{shown_id}/scorecard.html",
        f"/reports/v1/cycles/{shown_id}/scorecard.xlsx?lang=mn",
        f"/reports/v1/cycles/{shown_id}/scorecard.zip?lang=mn",
        f"/reports/v1/cycles/{shown_id}/scorecard.csv?table=scores&amp;lang=mn",
    ):
        assert link in page.text
        opened = await client.get(link.replace("&amp;", "&"), headers=HTML)
        assert opened.status_code == 200, (link, opened.status_code)
    hidden_page = await client.get(f"/reports/v1/cycles/{hidden_id}/scorecard.html", headers=HTML)
    assert hidden_page.status_code == 404
    # the viewer types no sheets
    assert (await client.get("/console/paper", headers=HTML)).status_code == 403


async def test_a_provider_reads_its_own_facilitys_rounds(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    own = await _named(database, "MN-046", "Own clinic")
    other = await _named(database, "MN-046", "Neighbouring clinic")
    await round_at(own, date(2026, 3, 1))
    other_id = await round_at(other, date(2026, 3, 1))
    provider = await make_user(db, Role.PROVIDER, facilities=[own.facility_id])
    await console_sign_in(client, provider)
    page = await client.get("/console/results", headers=HTML)
    assert "Own clinic" in page.text
    assert "Neighbouring clinic" not in page.text
    opened = await client.get(f"/reports/v1/cycles/{other_id}/scorecard.html", headers=HTML)
    assert opened.status_code == 404


async def test_rounds_filter_by_area_and_template(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    uvs = await _named(database, "MN-046", "Uvs school")
    khovd = await _named(database, "MN-043", "Khovd school")
    pharmacy = await site(database, "MN-046", template="medicine_availability")
    await round_at(uvs, date(2026, 3, 1))
    await round_at(khovd, date(2026, 3, 1))
    pharmacy_round = await round_at(pharmacy, date(2026, 3, 1))
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046", "MN-043"])
    await console_sign_in(client, coordinator)

    by_area = await client.get("/console/results?area=MN-043", headers=HTML)
    assert "Khovd school" in by_area.text
    assert "Uvs school" not in by_area.text
    by_template = await client.get("/console/results?template=medicine_availability", headers=HTML)
    assert str(pharmacy_round) in by_template.text
    assert "Uvs school" not in by_template.text
    assert "Khovd school" not in by_template.text
    # the filters offer the areas and templates of the reader's rounds, by name
    everything = await client.get("/console/results", headers=HTML)
    assert '<option value="MN-043"' in everything.text
    assert '<option value="medicine_availability"' in everything.text


async def test_an_areas_trend_leaves_a_small_group_out_for_a_viewer_only(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    school = await site(database, "MN-046")
    cycle_id = await round_at(school, date(2026, 3, 1), label="Spring 2026")
    # twelve parents score 5 (100 on 0-100); three teachers score 1 (0): a group under five
    await scored(school, cycle_id, {"consulted_on_plan": 5}, group="parents", people=12)
    await scored(school, cycle_id, {"consulted_on_plan": 1}, group="teachers", people=3)
    url = "/console/results?area=MN-046&template=parent_engagement"

    viewer = await make_user(db, Role.VIEWER, areas=["MN-046"])
    await console_sign_in(client, viewer)
    await in_english(client)
    seen = await client.get(url, headers=HTML)
    trend = _section(seen.text, '<table class="trend">')
    assert "Spring 2026" in trend
    row = _section(trend, "Are parents consulted", "</tr>")
    assert "100.0" in row
    assert "50.0" not in row
    assert "Responsiveness index" in seen.text
    assert "/reports/v1/index.xlsx?area=MN-046" in seen.text
    assert "/reports/v1/rollup.html?area=MN-046&amp;template=parent_engagement" in seen.text

    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    await in_english(client)
    insider = _section((await client.get(url, headers=HTML)).text, '<table class="trend">')
    assert "50.0" in _section(insider, "Are parents consulted", "</tr>")


async def test_results_page_pages_through_many_rounds(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    school = await site(database, "MN-046")
    for month in range(1, 13):
        for day in (1, 2, 3, 4, 5):
            await round_at(school, date(2025, month, day))
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    await in_english(client)
    first = await client.get("/console/results", headers=HTML)
    assert "1–50 of 60" in first.text
    assert 'rel="next"' in first.text
    second = await client.get("/console/results?offset=50", headers=HTML)
    assert "51–60 of 60" in second.text
    assert 'rel="prev"' in second.text
