"""What a download is made of: tables of words and figures, each a single header row and its
rows, written as CSV or as an XLSX sheet by `spreadsheet.py`. Pure.

A figure carries its unit, so a CSV gets the number and a sheet gets the number with the
unit's format (`formatting.XLSX_FORMATS`); rounding happens once, with `formatting.rounded`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from backend.reports import wording
from backend.reports.export_words import WORDS
from backend.reports.formatting import DIGITS, rounded
from backend.reports.schemas import ScorecardOut

# digits a figure keeps in a file: as the pages show it, except that a yes/no share is kept
# as a fraction (0.667, shown as 67%) and a 0-100 value or the index keeps a tenth
STORED_DIGITS = {**DIGITS, "share": 3, "on_100": 1, "index": 1, "integer": 0}


@dataclass(frozen=True, slots=True)
class Figure:
    """A number in its unit (`formatting.XLSX_FORMATS`' keys; "choices" has no number)."""

    value: float | None
    unit: str

    def stored(self) -> float | int | None:
        """The number as a file holds it: rounded half away from zero, a whole one as an int."""
        if self.value is None:
            return None
        exact = rounded(self.value, STORED_DIGITS.get(self.unit, 2))
        if exact == exact.to_integral_value():
            return int(exact)  # also makes -0.00 a plain 0
        return float(exact)


Cell = str | Figure | date | None


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    # holds a key to join on (an indicator's, a medicine's), not a word for a reader
    key: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    # its `table=` value: scores, matrix, reasons, medicines, inputs or plan
    name: str
    # its name in the reader's language: the sheet's name and the end of the file's name
    title: str
    columns: list[Column]
    rows: list[list[Cell]]


def place_columns(language: str) -> list[Column]:
    """Every scorecard table starts with where and when, so tables of several rounds stack."""
    words = WORDS[language]
    return [Column(words[name]) for name in ("facility", "round", "aimag", "soum")]


def place(card: ScorecardOut, language: str) -> list[Cell]:
    """The facility, the round, and the aimag (or the capital) and soum (or district) it is in."""
    places = card.occasion.places if card.occasion else []

    def at(*levels: str) -> str:
        return next(
            (wording.pick(language, p.name_mn, p.name_en) for p in places if p.level in levels),
            "",
        )

    return [
        wording.pick(language, card.facility_name_mn, card.facility_name_en),
        wording.pick(language, card.label_mn or card.label, card.label_en),
        at("aimag", "capital"),
        at("soum", "district"),
    ]


def named(table: dict[str, dict[str, str]], language: str, key: str | None) -> str:
    """A key's name from one of `wording`'s tables; nothing (never the key) for no name."""
    if key is None:
        return ""
    return table[language].get(key) or table["mn"].get(key) or ""
