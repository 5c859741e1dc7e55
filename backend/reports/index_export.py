"""The responsiveness index as an Excel workbook: one row per unit, each component's value and
base beside the index."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from backend.reports.followthrough_schemas import IndexOut
from backend.reports.index import COMPONENTS


def index_xlsx(out: IndexOut) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "index"
    header = ["unit", "rounds", "index"]
    for key in COMPONENTS:
        header += [key, f"{key} n"]
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in out.rows:
        values: list[object] = [row.unit, row.rounds, row.index]
        by_key = {c.key: c for c in row.components}
        for key in COMPONENTS:
            component = by_key[key]
            values += [component.value, component.n]
        sheet.append(values)
    sheet.append([])
    sheet.append(
        [
            f"Formula version {out.version}; rounds held {out.since} to {out.until}; "
            "a component with a base under 5 is not shown; the index needs three components."
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
