"""The responsiveness index as an Excel workbook, in the reader's language: a row per unit by
its name (its code in a key column), the index, and each component's value and base under the
component's name, as the area page shows them; under the table, in words, the area, the
period whose rounds it counts (as the area page says it) and the rule it follows."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from backend.reports import spreadsheet, wording
from backend.reports.export_words import WORDS
from backend.reports.followthrough_schemas import IndexOut
from backend.reports.formatting import Figures
from backend.reports.index import COMPONENTS, MIN_BASE, MIN_COMPONENTS
from backend.reports.rollup import area_names
from backend.reports.rollup_page_words import WORDS as ROLLUP_WORDS
from backend.reports.spreadsheet import Download
from backend.reports.tables import Cell, Column, Figure, Table
from backend.web import downloads


async def index_xlsx(
    db: AsyncSession,
    out: IndexOut,
    *,
    language: str,
    since: date | None,
    until: date | None,
    family: str | None,
) -> Download:
    """`since` and `until` as the reader gave them (None: not given)."""
    found = await area_names(db, [out.area, *(row.unit for row in out.rows)])
    names = {code: wording.pick(language, mn, en) for code, (mn, en) in found.items()}
    table = index_table(out, names, language)
    book = spreadsheet.workbook([table])
    sheet = book[book.sheetnames[0]]
    sheet.append([])  # the notes stand apart from the table and its autofilter
    for line in notes(out, names, language, since=since, until=until, family=family):
        sheet.append([line])
    name = downloads.file_name(
        [
            WORDS[language]["index_file"],
            names.get(out.area, ""),
            wording.AREA_LEVELS[language].get(out.by, ""),
        ],
        "xlsx",
        otherwise="index",
    )
    return Download(spreadsheet.saved(book), spreadsheet.XLSX, name)


def index_table(out: IndexOut, names: dict[str, str], language: str) -> Table:
    words, page = WORDS[language], ROLLUP_WORDS[language]
    columns = [
        Column(words["unit_key"], key=True),
        Column(page["unit"]),
        Column(page["rounds"]),
        Column(page["index"]),
    ]
    for key in COMPONENTS:
        component = page["components"][key]
        columns += [Column(component), Column(words["base"].format(component=component))]
    rows: list[list[Cell]] = []
    for row in out.rows:
        by_key = {component.key: component for component in row.components}
        values: list[Cell] = [
            row.unit,
            names.get(row.unit, ""),
            Figure(row.rounds, "integer"),
            Figure(row.index, "index"),
        ]
        for key in COMPONENTS:
            values += [Figure(by_key[key].value, "share"), Figure(by_key[key].n, "integer")]
        rows.append(values)
    return Table("index", words["index_sheet"], columns, rows)


def notes(
    out: IndexOut,
    names: dict[str, str],
    language: str,
    *,
    since: date | None,
    until: date | None,
    family: str | None,
) -> list[str]:
    """The area and level, the template family, the period and the rule, in words."""
    words = WORDS[language]
    level = wording.AREA_LEVELS[language].get(out.by, "")
    lines = [words["area"].format(area=names.get(out.area, ""), level=level)]
    if family is not None:
        lines.append(words["family"].format(family=wording.FAMILIES[language].get(family, "")))
    lines.append(period(since, until, language))
    lines.append(
        words["index_rule"].format(version=out.version, base=MIN_BASE, components=MIN_COMPONENTS)
    )
    return lines


def period(since: date | None, until: date | None, language: str) -> str:
    """Which rounds count, as the area page says it: those held from `since`, before `until`."""
    page, figures = ROLLUP_WORDS[language], Figures(language)
    if since is not None and until is not None:
        return str(page["period_held"].format(since=figures.date(since), until=figures.date(until)))
    if since is not None:
        return str(page["period_held_from"].format(since=figures.date(since)))
    if until is not None:
        return str(page["period_held_until"].format(until=figures.date(until)))
    return str(WORDS[language]["period_all"])
