"""Tables written as files: a CSV per table (UTF-8 with a byte-order mark, so that spreadsheet
programs read the Cyrillic as UTF-8), a ZIP of such CSVs, and an XLSX workbook with a sheet
per table (bold and frozen header row, an autofilter over the table, widths fitted to the
content, each figure in its unit's number format).

Community-typed text (reasons, suggestions, raised indicators' labels, action plans) stays
text, never a formula. A spreadsheet program skips spaces and invisible characters before
reading a cell as a formula, so a cell whose first visible character starts one (`=`, `+`,
`-`, `@`, their full-width forms, `|`) is written with an apostrophe before it in a CSV, and
as a string cell marked "quoted" (it stays text even when edited) in an XLSX."""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from backend.reports.formatting import XLSX_FORMATS
from backend.reports.tables import Cell, Figure, Table

CSV = "text/csv"  # Litestar adds "; charset=utf-8" to text types
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
FORMULA_START = (
    *("=", "+", "-", "@", "|"),
    # their full-width forms
    *("\uff1d", "\uff0b", "\uff0d", "\uff20", "\uff5c"),
    # and their small forms
    *("\ufe66", "\ufe62", "\ufe63", "\ufe6b"),
)
# what a spreadsheet may skip before a formula: spaces (Zs: also the no-break and the
# ideographic space), line and paragraph separators (Zl, Zp), format characters such as the
# zero-width space and the byte-order mark (Cf), control characters such as tab, line feed,
# vertical tab and form feed (Cc)
INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cf", "Cc"})
# column widths in characters; a header longer than HEADER_WIDTH wraps instead of widening
WIDTH_MIN, WIDTH_MAX, HEADER_WIDTH = 8, 60, 24
KEY_FONT = Font(color="808080")
SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


@dataclass(frozen=True, slots=True)
class Download:
    content: bytes
    media_type: str
    # the file's name, in the reader's language
    name: str


def looks_like_formula(text: str) -> bool:
    """Whether the first character a spreadsheet would not skip starts a formula."""
    for char in text:
        if unicodedata.category(char) not in INVISIBLE:
            return char in FORMULA_START
    return False


def as_text(value: str) -> str:
    """Text for a CSV cell: with an apostrophe before what a spreadsheet would run, and before
    a leading tab or carriage return (which some programs strip, and then run what follows)."""
    if value.startswith(("\t", "\r")) or looks_like_formula(value):
        return "'" + value
    return value


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, Figure):
        stored = value.stored()
        return "" if stored is None else stored
    if isinstance(value, date):
        return value.isoformat()
    return as_text(value)


def csv_file(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column.header for column in table.columns])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def zip_file(files: Iterable[tuple[str, bytes]]) -> bytes:
    """Files in a ZIP; names that are not ASCII are marked UTF-8, as `zipfile` does."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def workbook(tables: Iterable[Table]) -> Workbook:
    book = Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for table in tables:
        add_sheet(book, table)
    return book


def saved(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add_sheet(book: Workbook, table: Table) -> Worksheet:
    """The table as a sheet: the header row bold, wrapped and frozen, an autofilter over the
    header and every row, key columns in grey, and each column as wide as its content
    (within bounds)."""
    # a sheet's name is at most 31 characters, none of them []:*?/\
    title = " ".join(table.title.translate(SHEET_TITLE_FORBIDDEN).split())[:31]
    sheet: Worksheet = book.create_sheet(title or table.name)
    sheet.append([column.header for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        _append(sheet, row)
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(1, len(table.columns)))
    sheet.auto_filter.ref = f"A1:{last}{len(table.rows) + 1}"
    for number, column in enumerate(table.columns, start=1):
        if column.key:
            # a key is there for joining tables: in grey, for a reader to pass over
            for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
                cell.font = KEY_FONT
        widest = max(
            [
                min(len(column.header), HEADER_WIDTH),
                *(_width(row[number - 1]) for row in table.rows),
            ]
        )
        width = min(WIDTH_MAX, max(WIDTH_MIN, widest + 2))
        sheet.column_dimensions[get_column_letter(number)].width = width
    return sheet


def _append(sheet: Worksheet, row: list[Cell]) -> None:
    """A row of words and figures: a figure in its unit's format, a date as a date, text as
    text (without the control characters XLSX forbids, such as a pasted form feed)."""
    sheet.append([_value(value) for value in row])
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        if isinstance(value, Figure) and value.unit in XLSX_FORMATS:
            cell.number_format = XLSX_FORMATS[value.unit]
        elif isinstance(value, date):
            cell.number_format = XLSX_FORMATS["date"]
        elif isinstance(cell.value, str):
            if cell.data_type == "f":
                cell.data_type = "s"  # openpyxl reads a leading "=" as a formula
            if looks_like_formula(cell.value):
                cell.quotePrefix = True


def _value(value: Cell) -> object:
    if isinstance(value, Figure):
        return value.stored()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _width(value: Cell) -> int:
    """Characters a cell shows, roughly: a figure's digits with room for its sign and unit."""
    if value is None or (isinstance(value, Figure) and value.value is None):
        return 0
    if isinstance(value, Figure):
        return len(str(value.stored())) + 3
    if isinstance(value, date):
        return 10
    return max((len(line) for line in value.splitlines()), default=0)
