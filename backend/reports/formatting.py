"""How every figure reads, in one place: the scorecard page, the area page, the exports and the
index workbook all show a kind of figure the same way.

| unit | reads as | a difference reads as |
| --- | --- | --- |
| `scale` | the mean, two decimals (`3.67`), with its 0-100 value beside it | `+0.67` |
| `share` (yes/no) | percent answering yes (`67%`) | percentage points (`+12 pts`) |
| `count` | a whole number, one decimal for a mean that is not whole (`4`, `4.5`) | `+1` |
| `number` | one decimal at most, with its unit (`42.8 min`) | `+3.5 min` |
| `mnt` | whole tögrög with thousands separators (`6,667 ₮`) | `+5,000 ₮` |
| `days` | whole days, one decimal for a mean (`5 days`) | `+2 days` |
| `ratio` | two decimals (`1.45`) | `+0.20` |

Numbers follow the reader's language (CLDR's conventions, through Babel). Rounding is half away
from zero, as a reader rounds by hand (2.5 is 3, -2.5 is -3), and happens once, here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

LANGUAGES = ("mn", "en")
# digits shown for a unit's figure, and for a mean that is not a whole number
DIGITS = {"scale": 2, "share": 0, "count": 1, "number": 1, "mnt": 0, "days": 1, "ratio": 2}
# units whose whole values show without decimals (a count of 4 is "4", not "4.0")
WHOLE_WHEN_WHOLE = frozenset({"count", "number", "days"})
SUFFIX = {
    "mn": {"mnt": " ₮", "days": " хоног", "share": "%", "points": " пункт"},
    "en": {"mnt": " ₮", "days": " days", "share": "%", "points": " pts"},
}
# the same units as Excel number formats (shares are stored as fractions: 0.67 shows 67%).
# Counts, numbers and days are stored rounded, as DIGITS says, and shown as "General": a
# pattern such as "0.#" would show a whole 4 as "4." in Excel and LibreOffice
XLSX_FORMATS = {
    "scale": "0.00",
    "share": "0%",
    "count": "General",
    "number": "General",
    "mnt": '#,##0 "₮"',
    "days": "General",
    "ratio": "0.00",
    "on_100": "0",
    "index": "0.0",
    "integer": "0",
    "date": "yyyy-mm-dd",
}


def rounded(value: float, digits: int) -> Decimal:
    """Half away from zero, as a reader rounds by hand."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Figures:
    """Figures as one reader reads them: in their language's conventions."""

    language: str

    def number(self, value: float, digits: int = 0, *, signed: bool = False) -> str:
        exact = rounded(value, digits)
        pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
        text = format_decimal(exact, format=pattern, locale=self.language)
        if signed and exact > 0:
            return "+" + text
        if exact == 0 and text.startswith("-"):
            return text[1:]  # -0.00 reads as 0.00
        return text

    def _digits(self, value: float, unit: str) -> int:
        digits = DIGITS.get(unit, 2)
        if unit in WHOLE_WHEN_WHOLE and rounded(value, digits) == rounded(value, 0):
            return 0
        return digits

    def value(self, value: float | None, unit: str, *, per: str = "") -> str:
        """A mean or a single answer in its unit; `per` is a number's own unit (minutes)."""
        if value is None:
            return ""
        suffix = SUFFIX[self.language]
        if unit == "share":
            return self.number(value * 100) + suffix["share"]
        text = self.number(value, self._digits(value, unit))
        if unit in ("mnt", "days"):
            return text + suffix[unit]
        return f"{text} {per}" if per else text

    def difference(self, value: float | None, unit: str, *, per: str = "") -> str:
        """A gap or a change, always signed."""
        if value is None:
            return ""
        suffix = SUFFIX[self.language]
        if unit == "share":
            return self.number(value * 100, signed=True) + suffix["points"]
        text = self.number(value, self._digits(value, unit), signed=True)
        if unit in ("mnt", "days"):
            return text + suffix[unit]
        return f"{text} {per}" if per else text

    def on_100(self, value: float | None) -> str:
        """A figure on the common 0-100 scale."""
        return "" if value is None else self.number(value)

    def percent(self, share: float | None) -> str:
        """A share from 0 to 1 in percent (completion, availability, a component)."""
        return "" if share is None else self.number(share * 100) + SUFFIX[self.language]["share"]

    def money(self, amount: float | None) -> str:
        return self.value(amount, "mnt")

    def date(self, day: date | None) -> str:
        if day is None:
            return ""
        return format_date(day, format="medium", locale=self.language)
