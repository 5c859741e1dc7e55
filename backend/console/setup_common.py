"""What the set-up screens share: who may use them, their common words, reading a form into
the API's own wire type (so a form is checked exactly as the API checks a body), and
showing a refusal in the reader's words."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import msgspec
from litestar import Request

from backend.auth.models import Role
from backend.auth.policy import allow
from backend.console.render import language_of, principal_of
from backend.console.words import Table, Words
from backend.errors import DomainError, split_msgspec_error
from backend.facilities.models import FACILITY_TYPES
from backend.reports import wording

# the set-up screens are the office's: admins everywhere, coordinators within their areas
SETTERS = allow(Role.ADMIN, Role.COORDINATOR)
ADMINS = allow(Role.ADMIN)
PAGE_SIZE = 50

W = TypeVar("W", bound=msgspec.Struct)

WORDS: Table = {
    "areas": ("Нутаг дэвсгэр", "Areas"),
    "facilities": ("Байгууллагууд", "Facilities"),
    "templates": ("Загварууд", "Templates"),
    "rounds": ("Үе ба кампанит ажил", "Rounds and campaigns"),
    "tags": ("Санал болгосон шалгуурын шошго", "Tags for raised indicators"),
    "users": ("Хэрэглэгчид", "Users"),
    "tablets": ("Таблетууд", "Tablets"),
    "name": ("Нэр", "Name"),
    "name_mn": ("Нэр (монгол)", "Name (Mongolian)"),
    "name_en": ("Нэр (англи)", "Name (English)"),
    "type": ("Төрөл", "Type"),
    "area": ("Нутаг дэвсгэр", "Area"),
    "code": ("Код", "Code"),
    "level": ("Түвшин", "Level"),
    "phase": ("Үе шат", "Phase"),
    "status": ("Төлөв", "Status"),
    "open": ("Нээх", "Open"),
    "yes": ("Тийм", "Yes"),
    "no": ("Үгүй", "No"),
    "previous_page": ("Өмнөх хуудас", "Previous page"),
    "next_page": ("Дараагийн хуудас", "Next page"),
    "page_of": ("хуудас", "page"),
    "shown_of": ("Нийт", "Total"),
    "check_field": ("Энэ талбарыг шалгана уу:", "Please check this field:"),
    "saved": ("Хадгаллаа.", "Saved."),
    "refused_because": ("Хүсэлтийг хүлээж авсангүй:", "The request was refused:"),
    "confirm": ("Баталгаажуулах", "Confirm"),
    "cancel": ("Болих", "Cancel"),
    "to_setup": ("Тохиргоо руу буцах", "Back to set-up"),
    "search_name": ("Нэрээр хайх", "Search by name"),
    "area_hint": ("Код эсвэл нэр (Увс, MN-046)", "A code or a name (Uvs, MN-046)"),
    "code:area.unknown": ("Ийм нутаг дэвсгэр олдсонгүй.", "No area has this name or code."),
    "code:area.ambiguous": (
        "Энэ нэртэй хэд хэдэн нутаг байна; кодыг нь бичнэ үү.",
        "Several areas have this name; give the code.",
    ),
    **{
        f"type_{kind}": pair
        for kind, pair in {
            "school": ("Сургууль", "School"),
            "kindergarten": ("Цэцэрлэг", "Kindergarten"),
            "dormitory": ("Дотуур байр", "Dormitory"),
            "family_health_centre": ("Өрхийн эрүүл мэндийн төв", "Family health centre"),
            "soum_health_centre": ("Сумын эрүүл мэндийн төв", "Soum health centre"),
            "hospital": ("Эмнэлэг", "Hospital"),
            "pharmacy": ("Эмийн сан", "Pharmacy"),
            "insurance_office": ("Эрүүл мэндийн даатгалын алба", "Health insurance office"),
        }.items()
    },
    **{
        f"phase_{phase}": (wording.PHASES["mn"][phase], wording.PHASES["en"][phase])
        for phase in wording.PHASES["en"]
    },
    **{
        f"level_{level}": (
            wording.AREA_LEVELS["mn"][level].capitalize(),
            wording.AREA_LEVELS["en"][level].capitalize(),
        )
        for level in wording.AREA_LEVELS["en"]
    },
}
assert all(f"type_{kind}" in WORDS for kind in FACILITY_TYPES)


def clock(request: Request[Any, Any, Any]) -> Callable[[datetime | None], str]:
    """A moment as the programme's local date and time (its time zone), for a page."""
    zone = ZoneInfo(request.app.state.settings.timezone)

    def shown(moment: datetime | None) -> str:
        return "" if moment is None else moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")

    return shown


def words(request: Request[Any, Any, Any], *tables: Table) -> Words:
    """The reader's words, for a message made in the handler rather than in the template."""
    return Words(language_of(request, principal_of(request)), *tables, WORDS)


class FormProblem(Exception):
    """A form's field that the API's wire type refuses, named by the field."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def wire(kind: type[W], values: dict[str, Any]) -> W:
    """A form's values as the API's wire type, checked as the API checks a JSON body."""
    try:
        return msgspec.convert(values, kind, strict=False)
    except msgspec.ValidationError as exc:
        message, path = split_msgspec_error(exc)
        field = path.lstrip("$.").split(".")[0].split("[")[0] or None
        raise FormProblem(field, message) from None


def _word(t: Words, key: str) -> str | None:
    """The word, or None where no table has one (a refusal without words of its own)."""
    try:
        return t(key)
    except KeyError:
        return None


@dataclass(frozen=True, slots=True)
class Shown:
    """A refusal as a form shows it: a sentence in the reader's words and the field at fault."""

    text: str
    field: str | None = None
    code: str | None = None


def refusal(t: Words, error: DomainError | FormProblem, labels: dict[str, str]) -> Shown:
    """A service's refusal or a form problem in the reader's language. `labels` holds each
    field's label (never its name is shown), a sentence for a field (`field:<name>`) or for a
    refusal's code (`code:<code>`); else the refusal's own sentence under a word that says it
    was refused."""
    if isinstance(error, FormProblem):
        sentence = labels.get(f"field:{error.field}")
        if sentence:
            return Shown(sentence, error.field)
        label = labels.get(error.field or "", "")
        return Shown(f"{t('check_field')} {label}".strip(), error.field)
    field = (error.field or "").split(".")[-1].split("[")[0] or None
    said = labels.get(f"code:{error.code}") or _word(t, f"code:{error.code}")
    if said:
        return Shown(said, field, error.code)
    return Shown(f"{t('refused_because')} {error.detail or error.title}", field, error.code)


def status_of(error: DomainError | FormProblem | None) -> int:
    """The status a form shown again answers with: the refusal's own, 400 for a form problem."""
    if error is None:
        return 200
    return error.status if isinstance(error, DomainError) else 400


@dataclass(frozen=True, slots=True)
class Pages:
    """Where a list is, and the links to the pages beside it."""

    page: int
    pages: int
    total: int
    previous: str | None
    next: str | None


def pages(path: str, query: dict[str, Any], *, page: int, total: int) -> Pages:
    count = max(1, math.ceil(total / PAGE_SIZE))
    kept = {key: value for key, value in query.items() if value not in (None, "")}

    def link(number: int) -> str:
        return f"{path}?{urlencode({**kept, 'page': number})}"

    return Pages(
        page=page,
        pages=count,
        total=total,
        previous=link(page - 1) if page > 1 else None,
        next=link(page + 1) if page < count else None,
    )


def offset_of(page: int) -> int:
    return (max(page, 1) - 1) * PAGE_SIZE
