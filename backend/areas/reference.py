"""Mongolia's aimags and the capital's districts, the reference geography every install starts with.

Aimags carry their ISO 3166-2:MN codes. Ulaanbaatar's districts have none, so they get
stable codes of our own below the capital's (MN-1-XX). Aliases hold the other spellings
people type (transliterations with and without diacritics).
"""

from __future__ import annotations

from typing import NamedTuple


class ReferenceArea(NamedTuple):
    code: str
    level: str
    parent: str | None
    name_mn: str
    name_en: str
    iso_code: str | None
    aliases: tuple[str, ...] = ()


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
