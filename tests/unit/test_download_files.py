"""What a download is made of, without a database: figures rounded once as the pages round
them, file names a person recognises, and sheets that a spreadsheet can filter."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from backend.reports import spreadsheet
from backend.reports.scorecard_tables import origin, scale
from backend.reports.tables import Column, Figure, Table
from backend.web.downloads import ascii_name, attachment, file_name, slug


@pytest.mark.parametrize(
    ("figure", "stored"),
    [
        (Figure(3.335, "scale"), 3.34),  # half away from zero, as a reader rounds
        (Figure(-2.5, "mnt"), -3),
        (Figure(1_250_000.4, "mnt"), 1_250_000),
        (Figure(4.0, "count"), 4),  # a whole figure is written whole
        (Figure(4.25, "count"), 4.3),
        (Figure(0.6667, "share"), 0.667),  # a share stays a fraction
        (Figure(58.333, "on_100"), 58.3),
        (Figure(-0.001, "scale"), 0),  # never "-0.0"
        (Figure(None, "scale"), None),
    ],
)
def test_a_figure_is_stored_rounded_once(figure: Figure, stored: float | None) -> None:
    assert figure.stored() == stored
    assert type(figure.stored()) is type(stored)


def test_scales_and_origins_are_words() -> None:
    assert scale("scale", 1, 5, None, "mn") == "1–5"
    assert scale("share", 0, 1, None, "en") == "percent answering yes (0–1)"
    assert scale("number", None, None, "minutes", "en") == "quantity (minutes)"
    assert scale("mystery", None, None, None, "en") == ""  # never a key
    assert origin("community", ["herders", "dormitory_pupils"], "en") == (
        "Raised by the community: Herders, Dormitory pupils"
    )
    assert origin("template", [], "mn") == "Загварын"


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (
            ["Улаангом 1-р сургууль", "2026 оны намрын үе"],
            "Улаангом-1-р-сургууль_2026-оны-намрын-үе.csv",
        ),
        (['School No. 5 / "A"', "2026_autumn"], "School-No-5-A_2026-autumn.csv"),
        (["", "  "], "scorecard.csv"),
    ],
)
def test_file_names_are_the_facility_and_the_round(parts: list[str], expected: str) -> None:
    assert file_name(parts, "csv", otherwise="scorecard") == expected


def test_the_ascii_name_is_romanised_and_safe_in_a_header() -> None:
    assert ascii_name("Өлгий_Хөвсгөл.xlsx") == "Olgii_Khovsgol.xlsx"
    assert ascii_name('a"b\r\nc.csv') == "a-b-c.csv"
    assert ascii_name("₮₮₮") == "download"
    assert ascii_name("北京.xlsx") == "download.xlsx"
    header = attachment("Төлөвлөгөө.csv")["Content-Disposition"]
    header.encode("ascii")  # a header value HTTP carries as it is
    assert header == (
        'attachment; filename="Tolovlogoo.csv"; '
        "filename*=UTF-8''%D0%A2%D3%A9%D0%BB%D3%A9%D0%B2%D0%BB%D3%A9%D0%B3%D3%A9%D3%A9.csv"
    )
    assert slug("x" * 200) == "x" * 80


def test_a_sheet_is_filtered_frozen_fitted_and_formatted() -> None:
    table = Table(
        "plan",
        "Action plan: [draft]?",
        [Column("Key", key=True), Column("Issue"), Column("Cost"), Column("Due"), Column("Done")],
        [
            [
                "a",
                "=cmd|' /C calc'!A0",
                Figure(1500, "mnt"),
                date(2026, 1, 15),
                Figure(0.5, "share"),
            ],
            ["b", "x" * 200, Figure(None, "mnt"), None, Figure(1, "share")],
        ],
    )
    book = load_workbook(io.BytesIO(spreadsheet.saved(spreadsheet.workbook([table]))))
    (sheet,) = book.worksheets
    assert sheet.title == "Action plan draft"  # what a sheet's name may not hold is left out
    assert (sheet.auto_filter.ref, sheet.freeze_panes) == ("A1:E3", "A2")
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].quotePrefix
    assert (sheet["C2"].value, sheet["C2"].number_format) == (1500, '#,##0 "₮"')
    assert sheet["D2"].number_format == "yyyy-mm-dd"
    assert (sheet["E2"].value, sheet["E2"].number_format) == (0.5, "0%")
    assert sheet.column_dimensions["A"].width == 8  # narrow columns still show their header
    assert sheet.column_dimensions["B"].width == 60  # long text is capped
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["A2"].font.color.rgb == "00808080"  # the key column, for joining
    assert sheet["B2"].font.color.rgb != "00808080"


def test_a_csv_is_one_table_with_a_byte_order_mark() -> None:
    table = Table(
        "reasons",
        "Reasons",
        [Column("Reason"), Column("n")],
        [["-1 teacher", Figure(2.0, "count")]],
    )
    assert spreadsheet.csv_file(table) == "\ufeffReason,n\r\n'-1 teacher,2\r\n".encode()
