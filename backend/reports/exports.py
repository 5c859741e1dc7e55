"""The scorecard as a table: CSV and XLSX with headers in Mongolian and English.

Community-typed text (reasons, suggestions, the labels of raised indicators) is written as
text, never as a formula: a cell a spreadsheet would read as one (starting with `=`, `+`, `-`,
`@`, a tab or a carriage return) is prefixed with an apostrophe in the CSV, and stored as a
string cell in the XLSX.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from backend.reports.schemas import CellOut, ScorecardOut

HEADERS = (
    "Үзүүлэлт / Indicator",
    "Асуулт / Question (mn)",
    "Асуулт / Question (en)",
    "Гарал / Origin",
    "Аль нь сайн / Better",
    "Бүлэг / Group",
    "Тоо / Scores",
    "Оролцогч / Participants",
    "Дундаж / Mean",
    "Медиан / Median",
    "Хамгийн бага / Min",
    "Хамгийн их / Max",
    "Үйлчилгээ үзүүлэгч / Provider",
    "Хяналт / Monitor",
    "Зөрүү / Gap",
    "Өмнөх үе / Previous",
    "Өөрчлөлт / Change",
)
REASON_HEADERS = (
    "Үзүүлэлт / Indicator",
    "Бүлэг / Group",
    "Шалтгаан / Reason",
    "Санал / Suggestion",
)
MEDICINE_HEADERS = (
    "Эм / Medicine",
    "Хэлбэр / Form",
    "Шалгалт / Checks",
    "Байгаа / Available",
    "Тасалдсан өдөр 30 / Stock-out days 30",
    "Тасалдсан өдөр 90 / Stock-out days 90",
    "Үнийн харьцаа / Median price ratio (generic)",
    "Үнийн харьцаа / Median price ratio (originator)",
)
INPUT_HEADERS = (
    "Үзүүлэлт / Indicator",
    "Асуулт / Question (en)",
    "Нэгж / Unit",
    "Хэн / Respondent",
    "Тоо / Answers",
    "Эрх / Entitled",
    "Байгаа / Found",
    "Дутагдал / Shortfall",
    "Дутагдлын хувь / Shortfall share",
)
ALL = "бүгд / all"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def rows(card: ScorecardOut) -> list[list[Any]]:
    """One row for each indicator's overall community score and one per group under it."""
    out: list[list[Any]] = []
    for indicator in card.indicators:
        cells: list[tuple[str, CellOut | None]] = [(ALL, indicator.community)]
        cells += [(cell.group or "", cell) for cell in indicator.community_groups]
        origin = indicator.origin
        if indicator.raised_by:
            origin += ": " + ", ".join(indicator.raised_by)
        for group, cell in cells:
            overall = group == ALL
            out.append(
                [
                    indicator.key,
                    indicator.label_mn,
                    indicator.label_en,
                    origin,
                    indicator.better,
                    group,
                    cell.n if cell else 0,
                    cell.participants if cell else 0,
                    cell.mean if cell else None,
                    cell.median if cell else None,
                    cell.min if cell else None,
                    cell.max if cell else None,
                    indicator.provider_mean if overall else None,
                    indicator.monitor_mean if overall else None,
                    indicator.gap if overall else None,
                    indicator.previous_mean if overall else None,
                    indicator.change if overall else None,
                ]
            )
    return out


def reason_rows(card: ScorecardOut) -> list[list[Any]]:
    """The community's reasons and suggestions, where the caller may read them."""
    return [
        [indicator.key, reason.group or "", reason.reason or "", reason.suggestion or ""]
        for indicator in card.indicators
        for reason in indicator.reasons or []
    ]


def medicine_rows(card: ScorecardOut) -> list[list[Any]]:
    return [
        [
            medicine.key or "basket",
            f"{medicine.form_mn} / {medicine.form_en}" if medicine.key else "",
            medicine.checks,
            medicine.available,
            medicine.stockout_days_30,
            medicine.stockout_days_90,
            medicine.median_price_ratio,
            medicine.originator_price_ratio,
        ]
        for medicine in card.medicines
    ]


def input_rows(card: ScorecardOut) -> list[list[Any]]:
    return [
        [
            item.key,
            item.label_en,
            f"{item.unit_mn} / {item.unit_en}",
            item.respondent,
            item.n,
            item.entitled,
            item.actual,
            item.shortfall,
            item.shortfall_share,
        ]
        for item in card.inputs
    ]


def to_csv(card: ScorecardOut) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    sections: list[tuple[tuple[str, ...], list[list[Any]]]] = [(HEADERS, rows(card))]
    if reason_rows(card):
        sections.append((REASON_HEADERS, reason_rows(card)))
    if card.medicines:
        sections.append((MEDICINE_HEADERS, medicine_rows(card)))
    if card.inputs:
        sections.append((INPUT_HEADERS, input_rows(card)))
    for number, (headers, table) in enumerate(sections):
        if number:
            writer.writerow([])  # a blank line between the tables
        writer.writerow(headers)
        writer.writerows([_as_text(value) for value in row] for row in table)
    # with a byte-order mark so that spreadsheet programs read the Cyrillic as UTF-8
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(card: ScorecardOut) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scorecard"
    _append(sheet, [f"{card.facility_name_mn} / {card.facility_name_en}", card.label])
    _table(sheet, HEADERS, rows(card))
    sheet.freeze_panes = "B3"
    if reason_rows(card):
        _table(book.create_sheet("Reasons"), REASON_HEADERS, reason_rows(card))
    if card.medicines:
        _table(book.create_sheet("Medicines"), MEDICINE_HEADERS, medicine_rows(card))
    if card.inputs:
        _table(book.create_sheet("Inputs"), INPUT_HEADERS, input_rows(card))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table(sheet: Worksheet, headers: tuple[str, ...], table: list[list[Any]]) -> None:
    _append(sheet, list(headers))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in table:
        _append(sheet, row)


def _append(sheet: Worksheet, row: list[Any]) -> None:
    """A row of values; text stays text (no formula), without the control characters XLSX
    forbids (a pasted form feed in a facility name)."""
    sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"  # openpyxl reads a leading "=" as a formula


def _as_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
