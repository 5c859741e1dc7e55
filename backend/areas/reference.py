"""Mongolia's aimags, soums and the capital's districts: the geography every install starts with.

Aimags carry their ISO 3166-2:MN codes. Ulaanbaatar's districts have none, so they get
stable codes of our own below the capital's (MN-1-XX). A soum's code is its aimag's and the
National Statistics Office's soum code (MN-046-18546 Tes). The soums, and every unit's NSO
code and OCHA P-code, come from data/mn_soums.csv (its sources, licences and required
attribution: data/SOURCES.md, and NOTICE at the repository's root). Aliases hold the other
spellings people type (spellings.py).
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources
from typing import NamedTuple

from backend.areas.spellings import aliases


class ReferenceArea(NamedTuple):
    code: str
    level: str
    parent: str | None
    name_mn: str
    name_en: str
    iso_code: str | None
    aliases: tuple[str, ...] = ()
    nso_code: str | None = None
    pcode: str | None = None


COUNTRY = ReferenceArea("MN", "country", None, "Монгол Улс", "Mongolia", "MN")

_AIMAGS = [
    ("MN-073", "Архангай", "Arkhangai", ("Arkhangay", "Arhangai")),
    ("MN-069", "Баянхонгор", "Bayankhongor", ("Bayanhongor",)),
    ("MN-071", "Баян-Өлгий", "Bayan-Ölgii", ("Bayan-Olgii", "Bayan-Ulgii", "Bayan-Ölgiy")),
    ("MN-067", "Булган", "Bulgan", ()),
    ("MN-037", "Дархан-Уул", "Darkhan-Uul", ("Darhan-Uul", "Darkhan")),
    ("MN-061", "Дорнод", "Dornod", ()),
    ("MN-063", "Дорноговь", "Dornogovi", ("Dornogobi", "East Gobi")),
    ("MN-059", "Дундговь", "Dundgovi", ("Dundgobi", "Middle Gobi")),
    ("MN-065", "Говь-Алтай", "Govi-Altai", ("Gobi-Altai", "Govi-Altay")),
    ("MN-064", "Говьсүмбэр", "Govisümber", ("Govisumber", "Gobisumber")),
    ("MN-039", "Хэнтий", "Khentii", ("Hentii", "Khentiy")),
    ("MN-043", "Ховд", "Khovd", ("Hovd", "Kobdo")),
    ("MN-041", "Хөвсгөл", "Khövsgöl", ("Khuvsgul", "Khovsgol", "Hovsgol", "Huvsgul")),
    ("MN-053", "Өмнөговь", "Ömnögovi", ("Umnugovi", "Omnogovi", "South Gobi")),
    ("MN-035", "Орхон", "Orkhon", ("Orhon", "Erdenet")),
    ("MN-055", "Өвөрхангай", "Övörkhangai", ("Uvurkhangai", "Ovorkhangai", "Uvurhangai")),
    ("MN-049", "Сэлэнгэ", "Selenge", ()),
    ("MN-051", "Сүхбаатар", "Sükhbaatar", ("Sukhbaatar", "Suhbaatar")),
    ("MN-047", "Төв", "Töv", ("Tuv", "Tov", "Central")),
    ("MN-046", "Увс", "Uvs", ("Ubsa",)),
    ("MN-057", "Завхан", "Zavkhan", ("Zavhan", "Dzavhan")),
]

CAPITAL = ReferenceArea(
    "MN-1", "capital", "MN", "Улаанбаатар", "Ulaanbaatar", "MN-1", ("Ulan Bator", "UB")
)

_DISTRICTS = [
    ("MN-1-BN", "Багануур", "Baganuur", ()),
    ("MN-1-BH", "Багахангай", "Bagakhangai", ("Bagahangai",)),
    ("MN-1-BG", "Баянгол", "Bayangol", ()),
    ("MN-1-BZ", "Баянзүрх", "Bayanzürkh", ("Bayanzurkh", "Bayanzurh")),
    ("MN-1-CH", "Чингэлтэй", "Chingeltei", ("Chingeltey",)),
    ("MN-1-KU", "Хан-Уул", "Khan-Uul", ("Han-Uul",)),
    ("MN-1-NA", "Налайх", "Nalaikh", ("Nalaih",)),
    ("MN-1-SK", "Сонгинохайрхан", "Songinokhairkhan", ("Songino Khairkhan", "Songinohairhan")),
    ("MN-1-SB", "Сүхбаатар", "Sükhbaatar", ("Sukhbaatar", "Suhbaatar")),
]

REFERENCE_AREAS: tuple[ReferenceArea, ...] = (
    COUNTRY,
    *(
        ReferenceArea(code, "aimag", "MN", mn, en, code, aliases)
        for code, mn, en, aliases in _AIMAGS
    ),
    CAPITAL,
    *(
        ReferenceArea(code, "district", "MN-1", mn, en, None, aliases)
        for code, mn, en, aliases in _DISTRICTS
    ),
)


class NsoUnit(NamedTuple):
    """One row of data/mn_soums.csv: a soum, or a district of the capital, and its aimag."""

    aimag_iso: str
    aimag_name_latin: str
    aimag_nso_code: str
    aimag_pcode: str
    code: str
    name_mn: str
    name_latin: str
    unit_type: str
    pcode: str | None


@cache
def nso_units() -> tuple[NsoUnit, ...]:
    """The 331 soums and 9 districts the statistics office lists, in the order of their codes."""
    table = resources.files("backend.areas") / "data" / "mn_soums.csv"
    return tuple(
        NsoUnit(
            aimag_iso=row["aimag_iso"],
            aimag_name_latin=row["aimag_name_latin"],
            aimag_nso_code=row["aimag_nso_code"],
            aimag_pcode=row["aimag_cod_pcode"],
            code=row["soum_code"],
            name_mn=row["soum_name_mn"],
            name_latin=row["soum_name_latin"],
            unit_type=row["unit_type"],
            pcode=row["soum_cod_pcode"] or None,
        )
        for row in csv.DictReader(table.read_text(encoding="utf-8").splitlines())
    )


@cache
def reference_areas() -> tuple[ReferenceArea, ...]:
    """Every area the reference seed loads, each parent before its children: the areas above
    with their NSO codes and P-codes, then the soums. Aliases: the ones written above, the
    statistics office's Latin name and what spellings.aliases adds."""
    units = nso_units()
    aimags = {unit.aimag_iso: unit for unit in units}
    districts = {unit.name_mn: unit for unit in units if unit.unit_type == "district"}
    above = []
    for area in REFERENCE_AREAS:
        nso_code: str | None = None
        pcode: str | None = None
        latin: tuple[str, ...] = ()
        if area.code in aimags:  # an aimag, or the capital
            unit = aimags[area.code]
            nso_code, pcode, latin = unit.aimag_nso_code, unit.aimag_pcode, (unit.aimag_name_latin,)
        elif area.level == "district":
            unit = districts[area.name_mn]
            nso_code, pcode, latin = unit.code, unit.pcode, (unit.name_latin,)
        spellings = aliases(area.name_mn, area.name_en, *area.aliases, *latin)
        above.append(area._replace(aliases=tuple(spellings), nso_code=nso_code, pcode=pcode))
    soums = [
        ReferenceArea(
            code=f"{unit.aimag_iso}-{unit.code}",
            level="soum",
            parent=unit.aimag_iso,
            name_mn=unit.name_mn,
            name_en=unit.name_latin,
            iso_code=None,
            aliases=tuple(aliases(unit.name_mn, unit.name_latin)),
            nso_code=unit.code,
            pcode=unit.pcode,
        )
        for unit in units
        if unit.unit_type == "soum"
    ]
    return (*above, *soums)
