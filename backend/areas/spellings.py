"""How people write an area's name, and the form in which any of those spellings finds it.

A name reaches the server as the Cyrillic original (Хөвсгөл), the standard romanisation
MNS 5217:2012 (Khövsgöl), the statistics office's Latin (Khuvsgul), or typed on a keyboard
without ö and ü: Khovsgol, or with u for both, as in Khuvsgul and Ulgii.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import cyrtranslit

# ASCII as people type it: the letters without their dots, or ө and ү both as u
_WITHOUT_DOTS = str.maketrans("öüÖÜ", "ouOU")
_AS_U = str.maketrans("öüÖÜ", "uuUU")


def romanised(cyrillic: str) -> str:
    """The MNS 5217:2012 romanisation of a Mongolian Cyrillic name (Баян-Өлгий: Bayan-Ölgii)."""
    return str(cyrtranslit.to_latin(cyrillic, "mn"))


def typed(latin: str) -> list[str]:
    """The ASCII forms of a Latin spelling: Khövsgöl as Khovsgol and as Khuvsgul."""
    return [latin.translate(_WITHOUT_DOTS), latin.translate(_AS_U)]


def distinct(spellings: Iterable[str], *, besides: Iterable[str] = ()) -> list[str]:
    """Each spelling once, in order, case aside; none that equals one of `besides`."""
    seen = {spelling.casefold() for spelling in besides}
    kept = []
    for spelling in spellings:
        key = spelling.casefold()
        if spelling and key not in seen:
            seen.add(key)
            kept.append(spelling)
    return kept


def aliases(name_mn: str, name_en: str, *others: str) -> list[str]:
    """An area's other spellings: `others`, the romanisation of its Cyrillic name, and the
    ASCII forms of each Latin spelling; each once, and neither of its two names."""
    latin = [name_en, *others, romanised(name_mn)]
    return distinct(
        [*others, latin[-1], *(form for spelling in latin for form in typed(spelling))],
        besides=(name_mn, name_en),
    )


def folded(spelling: str) -> str:
    """The form spellings are compared in: no case, no diacritics, letters and digits only.

    Khövsgöl, khovsgol and KHOVSGOL fold alike, and so do Bayan-Ölgii and Bayan Olgii; ө and
    ү are letters of their own and stay (Хөвсгөл is not Ховсгол)."""
    decomposed = unicodedata.normalize("NFKD", spelling.casefold())
    return "".join(char for char in decomposed if char.isalnum())
