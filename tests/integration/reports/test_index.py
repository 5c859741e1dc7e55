"""The responsiveness index on a hand-computed example: each component, its base, suppression
under a base of 5, and the index from the components shown."""

import io
from datetime import date
from urllib.parse import quote

import pytest
from httpx import AsyncClient
from openpyxl import load_workbook

from backend.database.session import Database
from backend.reports.formatting import Figures
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
    assert rows[0][:6] == (
        "Нэгжийн түлхүүр код",
        "Нэгж",
        "Үе",
        "Хариу үйлдлийн индекс",
        "Хугацаандаа биелсэн",
        "Хугацаандаа биелсэн: суурь (n)",
    )
    assert rows[1][:6] == (AREA, "Баянхонгор", 1, 61.7, 0.667, 6)
    assert sheet.auto_filter.ref == "A1:L2"  # the table, not the notes under it
    assert sheet["E2"].number_format == "0%"
    assert sheet["D2"].number_format == "0.0"
    notes = [row[0] for row in rows[3:]]
    assert notes[0] == "Нутаг: Баянхонгор; нэгжээр: аймаг"
    days = Figures("mn").date(date(2026, 1, 1)), Figures("mn").date(date(2027, 1, 1))
    assert notes[1] == f"{days[0]}-аас {days[1]} хүртэл хийсэн үеүүд"
    assert "суурь (n) нь 5-аас бага" in notes[2].lower()
    name = "Хариу-үйлдлийн-индекс_Баянхонгор_аймаг.xlsx"
    assert workbook.headers["content-disposition"] == (
        'attachment; filename="Khariu-uildliin-indyeks_Bayankhongor_aimag.xlsx"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )

    # in English, and without dates: every round held, said in words
    english = await committed_client.get(
        "/reports/v1/index.xlsx",
        params={"area": "Bayankhongor", "by": "aimag", "lang": "en", "family": "custom"},
        headers=coordinator.headers,
    )
    sheet = load_workbook(io.BytesIO(english.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Unit key", "Unit", "Rounds", "Responsiveness index", "Done on time")
    notes = [row[0] for row in rows[len(rows) - 4 :]]
    assert notes == [
        "Area: Bayankhongor; by aimag",
        "Templates: Other templates",
        "Every round held, at any time",
        "Index (formula version 1): 100 × the mean of the components shown. A component "
        "whose base (n) is under 5 is not shown; with fewer than 3 components shown there is "
        "no index.",
    ]
    assert "2000" not in repr(rows)
    assert "2100" not in repr(rows)
    assert "Responsiveness-index_Bayankhongor_aimag.xlsx" in english.headers["content-disposition"]
    # bytes no area has are an unknown area, not a header (a control character in the
    # download's name once cut the connection)
    odd = await committed_client.get(
        "/reports/v1/index.xlsx", params={"area": "\x1f<>"}, headers=coordinator.headers
    )
    assert (odd.status_code, odd.json()["code"]) == (404, "area.unknown")
    assert "content-disposition" not in odd.headers
