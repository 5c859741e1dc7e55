"""The responsiveness index on a hand-computed example: each component, its base, suppression
under a base of 5, and the index from the components shown."""

import io
from datetime import date

import pytest
from httpx import AsyncClient
from openpyxl import load_workbook

from backend.database.session import Database
from tests.support import followthrough as ft
from tests.support.field import Tablet

pytestmark = pytest.mark.asyncio

AREA = "MN-069"
COMPARED = (
    "consulted_on_plan",
    "teacher_attendance",
    "complaints_answered",
    "inclusion",
    "dormitory_conditions",
)


async def test_index_components_and_suppression(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    site = await ft.site(committed_database, AREA)
    before = await ft.round_at(site, date(2025, 10, 1))
    now = await ft.round_at(
        site, date(2026, 10, 1), planned=["women", "herders", "people_with_disabilities", "parents"]
    )
    # gaps: 50 points on every indicator a year ago; now 25 on three of five (narrowed: 0.6)
    await ft.scored(site, before, dict.fromkeys(COMPARED, 3))
    await ft.scored(site, before, dict.fromkeys(COMPARED, 5), respondent="provider")
    await ft.scored(site, now, {key: 4 if n < 3 else 3 for n, key in enumerate(COMPARED)})
    await ft.scored(site, now, dict.fromkeys(COMPARED, 5), respondent="provider")
    # the women's group was heard; herders and people with disabilities were not (3 planned:
    # a base under 5, so participation is not shown)
    await ft.scored(site, now, {"consulted_on_plan": 4}, group="women", people=8)

    # on time: 4 of the 6 items due by now (one done late, one not done)
    due = date(2026, 11, 1)
    for n in range(6):
        status = "not_started" if n == 5 else "done"
        item = await ft.item(
            site,
            now,
            ["consulted_on_plan"],
            status,
            due_on=due,
            approval="approved",
            cost_mnt=100_000,
        )
        if status == "done":
            done_on = date(2026, 11, 10) if n == 4 else date(2026, 10, 20)
            # money: 350,000 spent of 600,000 committed
            spent = (100_000, 100_000, 100_000, 50_000, 0)[n]
            await ft.report(site, item, "done", done_on, spent_mnt=spent)
    await ft.item(site, now, [], "dropped", due_on=due)
    await ft.item(site, now, [], "not_started", due_on=date(2099, 1, 1))

    coordinator = await Tablet(committed_client, site.author).sign_in()
    period = {"area": AREA, "by": "aimag", "since": "2026-01-01", "until": "2027-01-01"}
    answer = await committed_client.get(
        "/reports/v1/index", params=period, headers=coordinator.headers
    )
    assert answer.status_code == 200, answer.text
    [row] = answer.json()["rows"]
    components = {c["key"]: c for c in row["components"]}
    assert (components["on_time"]["value"], components["on_time"]["n"]) == (0.667, 6)
    assert (components["money"]["value"], components["money"]["n"]) == (0.583, 6)
    assert (components["gap_closed"]["value"], components["gap_closed"]["n"]) == (0.6, 5)
    participation = components["participation"]
    assert (participation["value"], participation["n"], participation["suppressed"]) == (
        None,
        3,
        True,
    )
    # 100 x the mean of 4/6, 350/600 and 3/5
    assert row["index"] == round(100 * (4 / 6 + 350_000 / 600_000 + 0.6) / 3, 1) == 61.7
    assert (row["unit"], row["rounds"], answer.json()["version"]) == (AREA, 1, 1)

    # a year with no plan and no earlier round: no component has a base, no index
    empty = await committed_client.get(
        "/reports/v1/index",
        params=period | {"since": "2025-01-01", "until": "2026-01-01"},
        headers=coordinator.headers,
    )
    [quiet] = empty.json()["rows"]
    assert quiet["index"] is None
    assert all(c["suppressed"] for c in quiet["components"])

    workbook = await committed_client.get(
        "/reports/v1/index.xlsx", params=period, headers=coordinator.headers
    )
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("unit", "rounds", "index", "on_time")
    assert rows[1][:3] == (AREA, 1, 61.7)
    assert workbook.headers["content-disposition"] == (
        f'attachment; filename="index-{AREA}-aimag.xlsx"'
    )
    # bytes no area has are an unknown area, not a header (a control character in the
    # download's name once cut the connection)
    odd = await committed_client.get(
        "/reports/v1/index.xlsx", params={"area": "\x1f<>"}, headers=coordinator.headers
    )
    assert (odd.status_code, odd.json()["code"]) == (404, "area.unknown")
    assert "content-disposition" not in odd.headers
