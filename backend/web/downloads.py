"""A download's name in its `Content-Disposition` header: as the reader would write it
(RFC 6266 with RFC 5987's `filename*`, UTF-8 and percent-encoded), and spelt in ASCII for the
few programs that read only `filename` (Cyrillic romanised as MNS 5217:2012, without dots)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from backend.areas import spellings

# a part of a file's name (a facility's, a round's) is cut at this many characters
NAME_PART = 80


def ascii_name(name: str) -> str:
    """Улаангом-1-р-сургууль.csv as Ulaangom-1-r-surguuli.csv; never a quote or a control."""
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    latin = spellings.typed(spellings.romanised(stem))[0]
    plain = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-.") or "download"
    extension = re.sub(r"[^A-Za-z0-9]+", "", extension)
    return f"{stem}.{extension}" if extension else stem


def attachment(name: str) -> dict[str, str]:
    """The header that offers `name` as a file to save."""
    return {
        "Content-Disposition": (
            f"attachment; filename=\"{ascii_name(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
        )
    }


def slug(text: str) -> str:
    """The words and numbers of a name joined by hyphens, in its own script."""
    return "-".join(re.findall(r"[^\W_]+", text))[:NAME_PART].strip("-")


def file_name(parts: list[str], extension: str, *, otherwise: str) -> str:
    """Parts of a name (a facility, a round) as slugs joined by underscores:
    Улаангом-1-р-сургууль_2026-оны-намрын-үе.csv; `otherwise` where every part is empty."""
    return ("_".join(filter(None, map(slug, parts))) or otherwise) + "." + extension
