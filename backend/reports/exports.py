"""The scorecard as a table: CSV and XLSX with headers in Mongolian and English.

Every figure says its scale: the indicator's own (`Хэмжүүр / Scale`: 1-5, 1-10, 0-100, the
share answering yes, a count, tögrög) and, beside it, the common 0-100 value (README,
"Results"). The matrix (indicators by focus groups) is a table of its own, one column block per
group type the caller may count.

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

from backend.reports.schemas import CellOut, MatrixCell, ScorecardOut

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
    "Хэмжүүр / Scale",
    "Дундаж 0-100 / Mean 0-100",
    "Үйлчилгээ үзүүлэгч 0-100 / Provider 0-100",
)
# the matrix: these, then per group type MATRIX_CELL, then the overall, provider and gap
MATRIX_HEADERS = (
    "Үзүүлэлт / Indicator",
    "Асуулт / Question (mn)",
    "Асуулт / Question (en)",
    "Гарал / Origin",
    "Хэмжүүр / Scale",
)
MATRIX_CELL = (
    "дундаж / mean",
    "0-100",
    "тоо / scores",
    "оролцогч / participants",
)
MATRIX_REASONS = "шалтгаан, санал / reasons, suggestions"
MATRIX_TAIL = (
    "Үйлчилгээ үзүүлэгч / Provider",
    "Үйлчилгээ үзүүлэгч 0-100 / Provider 0-100",
    "Зөрүү / Gap",
)
UNIT_NAMES = {
    "share": "тийм хувь / share yes (0-1)",
    "count": "тоо / count",
    "number": "хэмжээ / number",
    "mnt": "төгрөг / MNT",
    "choices": "сонголт / choices",
}
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
# what a spreadsheet may read as the start of a formula, also in full width (＝ ＋ － ＠),
# and after the spaces and line breaks it skips
FORMULA_START = ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20", "|")
SKIPPED = " \t\r\n\u3000"


def rows(card: ScorecardOut) -> list[list[Any]]:
    """One row for each indicator's overall community score and one per group under it."""
    out: list[list[Any]] = []
    for indicator in card.indicators:
        cells: list[tuple[str, CellOut | None]] = [(ALL, indicator.community)]
        cells += [(cell.group or "", cell) for cell in indicator.community_groups]
        origin = _origin(indicator.origin, indicator.raised_by)
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
                    _unit(indicator.unit, indicator.scale_min, indicator.scale_max),
                    cell.mean_100 if cell else None,
                    indicator.provider_100 if overall else None,
                ]
            )
    return out


def _unit(unit: str, low: float | None, high: float | None) -> str:
    """Which scale a figure is on, in words."""
    if unit == "scale" and low is not None and high is not None:
        return f"{low:g}-{high:g}"
    return UNIT_NAMES.get(unit, unit)


def _origin(origin: str, raised_by: list[str]) -> str:
    return origin + (": " + ", ".join(raised_by) if raised_by else "")


def _reasons_shown(card: ScorecardOut) -> bool:
    """Whether the caller may read the community's words (the same gate as the JSON's)."""
    return any(i.reasons is not None for i in card.indicators)


def matrix_headers(card: ScorecardOut) -> list[str]:
    """The matrix's header: a block of columns per group type, then the totals."""
    if card.matrix is None:
        return []
    cell = [*MATRIX_CELL, MATRIX_REASONS] if _reasons_shown(card) else list(MATRIX_CELL)
    blocks = [(g.label_mn, g.label_en) for g in card.matrix.groups] + [("Иргэд бүгд", "Community")]
    return [
        *MATRIX_HEADERS,
        *(f"{mn} / {en}: {part}" for mn, en in blocks for part in cell),
        *MATRIX_TAIL,
    ]


def matrix_rows(card: ScorecardOut) -> list[list[Any]]:
    """The matrix as a grid: an indicator a row, a group type a block of columns (empty where
    the group gave no score), the community overall, the provider and the gap."""
    if card.matrix is None:
        return []
    shown = _reasons_shown(card)
    out: list[list[Any]] = []
    for row in card.matrix.rows:
        line: list[Any] = [
            row.indicator,
            row.label_mn,
            row.label_en,
            _origin(row.origin, row.raised_by),
            _unit(row.unit, row.scale_min, row.scale_max),
        ]
        for cell in [*row.cells, row.community]:
            line += _matrix_cell(cell, shown)
        line += [row.provider_mean, row.provider_100, row.gap]
        out.append(line)
    return out


def _matrix_cell(cell: MatrixCell | None, shown: bool) -> list[Any]:
    values: list[Any] = [None] * len(MATRIX_CELL)
    if cell is not None:
        values = [cell.mean, cell.mean_100, cell.n, cell.participants]
    if shown:
        reasons = cell.reasons if cell is not None else None
        values.append(
            "\n".join(
                " — ".join(text for text in (r.reason, r.suggestion) if text) for r in reasons or []
            )
        )
    return values


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
    if matrix_rows(card):
        sections.append((tuple(matrix_headers(card)), matrix_rows(card)))
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
    if matrix_rows(card):
        grid = book.create_sheet("Matrix")
        _table(grid, tuple(matrix_headers(card)), matrix_rows(card))
        grid.freeze_panes = "B2"
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
    if isinstance(value, str) and (
        value.startswith(("\t", "\r")) or value.lstrip(SKIPPED).startswith(FORMULA_START)
    ):
        return "'" + value
    return value
