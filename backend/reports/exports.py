"""The scorecard as a table: CSV and XLSX with headers in Mongolian and English."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from backend.reports.schemas import CellOut, ScorecardOut

HEADERS = (
    "Үзүүлэлт / Indicator",
    "Асуулт / Question (mn)",
    "Асуулт / Question (en)",
    "Бүлэг / Group",
    "Тоо / Scores",
    "Оролцогч / Participants",
    "Дундаж / Mean",
    "Медиан / Median",
    "Хамгийн бага / Min",
    "Хамгийн их / Max",
    "Үйлчилгээ үзүүлэгч / Provider",
    "Зөрүү / Gap",
    "Өмнөх үе / Previous",
    "Өөрчлөлт / Change",
)


def rows(card: ScorecardOut) -> list[list[Any]]:
    """One row for each indicator's overall community score and one per group under it."""
    out: list[list[Any]] = []
    for indicator in card.indicators:
        cells: list[tuple[str, CellOut | None]] = [("бүгд / all", indicator.community)]
        cells += [(cell.group or "", cell) for cell in indicator.community_groups]
        for group, cell in cells:
            overall = group == "бүгд / all"
            out.append(
                [
                    indicator.key,
                    indicator.label_mn,
                    indicator.label_en,
                    group,
                    cell.n if cell else 0,
                    cell.participants if cell else 0,
                    cell.mean if cell else None,
                    cell.median if cell else None,
                    cell.min if cell else None,
                    cell.max if cell else None,
                    indicator.provider_mean if overall else None,
                    indicator.gap if overall else None,
                    indicator.previous_mean if overall else None,
                    indicator.change if overall else None,
                ]
            )
    return out


def to_csv(card: ScorecardOut) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(["" if value is None else value for value in row] for row in rows(card))
    # with a byte-order mark so that spreadsheet programs read the Cyrillic as UTF-8
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(card: ScorecardOut) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Scorecard"
    sheet.append(_cells([f"{card.facility_name_mn} / {card.facility_name_en}", card.label]))
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(card):
        sheet.append(_cells(row))
    sheet.freeze_panes = "B3"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _cells(row: list[Any]) -> list[Any]:
    """Control characters (a pasted form feed in a facility name) are not allowed in XLSX."""
    return [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row]
