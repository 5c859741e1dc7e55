"""CSV and XLSX exports open, read back, carry bilingual headers and keep the privacy rules."""

import csv
import io

import pytest
from httpx import AsyncClient
from openpyxl import load_workbook

from backend.database.session import Database
from tests.integration.reports.test_scorecard import _cycle_with_scores

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
    rows = {(row[0], row[3]): row for row in sheet.iter_rows(min_row=3, values_only=True)}
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
    table = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    teachers = [r for r in table if r["Үзүүлэлт / Indicator"] == "teacher_attendance"]
    assert {r["Бүлэг / Group"] for r in teachers} == {"бүгд / all", "parents"}
    overall = next(r for r in teachers if r["Бүлэг / Group"] == "бүгд / all")
    # the parents' two groups alone: the teachers' three people are in no figure
    assert (overall["Дундаж / Mean"], overall["Оролцогч / Participants"]) == ("2.5", "15")
