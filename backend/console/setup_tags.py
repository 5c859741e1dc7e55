"""Set-up: the programme's tags for raised indicators (`backend/cycles/tags.py`). A tag links
the same issue wherever a group raises it, so that rounds and soums can be compared; its
names are edited here, a new one is added by its names, a tag no longer wanted is retired
(not offered to tablets, still accepted on what carries it) or brought back. Its key, which
tablets and reports hold, is made from the English name and is never shown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.auth.policy import CurrentPrincipal, Principal
from backend.console.forms import Form, attempt
from backend.console.render import screen
from backend.console.setup_common import SETTERS, FormProblem, refusal, status_of, wire, words
from backend.console.setup_common import WORDS as COMMON
from backend.cycles import tags
from backend.cycles.schemas import RaisedTagIn, RaisedTagOut, RaisedTagUpdate
from backend.database.session import DbSession
from backend.errors import DomainError

LIST = "/console/setup/tags"
TAG = f"{LIST}/{{key:str}}"

WORDS = {
    "tags_intro": (
        "Бүлгүүдийн санал болгосон асуудлыг (жишээ нь «анги хүйтэн») шошгоор тэмдэглэснээр "
        "өөр үе, өөр сумын ижил асуудалтай харьцуулна. Таблет зөвхөн энэ жагсаалтын "
        "шошгыг сонгоно.",
        "A tag marks an issue groups raise (say, «classrooms are cold») so that the same "
        "issue can be compared across rounds and soums. Tablets choose tags from this list "
        "only.",
    ),
    "in_use": ("Ашигласан", "In use"),
    "active": ("Идэвхтэй", "Offered"),
    "retired": ("Хэрэглээнээс гарсан", "Retired"),
    "add_tag": ("Шошго нэмэх", "Add a tag"),
    "label_mn": ("Нэр (монгол)", "Name (Mongolian)"),
    "label_en": ("Нэр (англи)", "Name (English)"),
    "rename": ("Нэрийг хадгалах", "Save the names"),
    "edit": ("Нэрийг засах", "Rename"),
    "retire": ("Хэрэглээнээс гаргах", "Retire"),
    "restore": ("Буцаан оруулах", "Offer again"),
    "retire_note": (
        "Хэрэглээнээс гаргасан шошгыг таблетад санал болгохгүй; түүнийг авсан шалгуурууд "
        "хэвээр холбоотой үлдэнэ.",
        "A retired tag is no longer offered to tablets; the indicators that carry it keep "
        "their link.",
    ),
    "tag_added": ("Шошго нэмлээ.", "The tag is added."),
    "tag_saved": ("Хадгаллаа.", "Saved."),
    "indicators_count": ("шалгуур", "indicators"),
    "field:label_mn": ("Монгол нэрийг бичнэ үү.", "Give the name in Mongolian."),
    "field:label_en": ("Англи нэрийг бичнэ үү.", "Give the name in English."),
    "field:key": (
        "Англи нэр латин үсгээр эхлэх ёстой.",
        "The English name must begin with a Latin letter.",
    ),
    "code:raised_tag.key_taken": (
        "Ийм англи нэртэй шошго жагсаалтад байна.",
        "The list has a tag with this English name already.",
    ),
}
DONE = {"added": "tag_added", "saved": "tag_saved"}


@dataclass
class TagForm:
    label_mn: str = ""
    label_en: str = ""


def key_for(label_en: str) -> str:
    """A tag's key from its English name: "Late school bus" → late_school_bus."""
    return re.sub(r"[^a-z0-9]+", "_", label_en.lower()).strip("_")[:64]


def _labels(request: Request[Any, Any, Any]) -> dict[str, str]:
    t = words(request, WORDS)
    return {key: t(key) for key in WORDS}


async def _tags_screen(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    *,
    form: TagForm | None = None,
    error: DomainError | FormProblem | None = None,
    failed: str | None = None,
) -> Template:
    t = words(request, WORDS)
    listed = await tags.list_tags(db)
    # in use first, then by the name the reader reads
    listed.sort(key=lambda tag: (tag.retired, tag.label_en if t.language == "en" else tag.label_mn))
    done = DONE.get(str(request.query_params.get("done", "")))
    editing = failed if failed else str(request.query_params.get("edit", ""))
    return screen(
        request,
        "setup/tags.html",
        WORDS,
        COMMON,
        status=status_of(error),
        tags=listed,
        used=await tags.usage(db, principal=principal),
        form=form or TagForm(),
        failed=failed,
        editing=editing,
        done=done,
        error=refusal(t, error, _labels(request)) if error else None,
    )


@get(LIST, opt=SETTERS, include_in_schema=False)
async def tag_list(
    db: DbSession, request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Template:
    return await _tags_screen(db, request, principal)


@post(LIST, opt=SETTERS, include_in_schema=False, status_code=303)
async def add_tag(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    data: Form[TagForm],
) -> Template | Redirect:
    """A new tag, keyed by its English name (POST /cycles/v1/raised-tags)."""

    async def run() -> RaisedTagOut:
        values = {
            "key": key_for(data.label_en),
            "label_mn": data.label_mn,
            "label_en": data.label_en,
        }
        for name in ("label_mn", "label_en"):
            if not values[name].strip():
                raise FormProblem(name, "required")
        return await tags.add(db, data=wire(RaisedTagIn, values))

    try:
        added = await attempt(db, run)
    except FormProblem as problem:
        return await _tags_screen(db, request, principal, form=data, error=problem, failed="")
    if isinstance(added, DomainError):
        return await _tags_screen(db, request, principal, form=data, error=added, failed="")
    return Redirect(path=f"{LIST}?done=added", status_code=303)


async def _change(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    key: str,
    values: dict[str, Any],
) -> Template | Redirect:
    async def run() -> RaisedTagOut:
        return await tags.change(db, key=key, data=wire(RaisedTagUpdate, values))

    try:
        changed = await attempt(db, run)
    except FormProblem as problem:
        return await _tags_screen(db, request, principal, error=problem, failed=key)
    if isinstance(changed, DomainError):
        if changed.status == 404:
            raise changed
        return await _tags_screen(db, request, principal, error=changed, failed=key)
    return Redirect(path=f"{LIST}?done=saved#tag-{key}", status_code=303)


@post(TAG, opt=SETTERS, include_in_schema=False, status_code=303)
async def rename_tag(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    key: FromPath[str],
    data: Form[TagForm],
) -> Template | Redirect:
    """New names; the key, which indicators carry, stays (PATCH /cycles/v1/raised-tags/…)."""
    values = {"label_mn": data.label_mn, "label_en": data.label_en}
    return await _change(db, request, principal, key, values)


@post(f"{TAG}/retire", opt=SETTERS, include_in_schema=False, status_code=303)
async def retire_tag(
    db: DbSession, request: Request[Any, Any, Any], principal: CurrentPrincipal, key: FromPath[str]
) -> Template | Redirect:
    return await _change(db, request, principal, key, {"retired": True})


@post(f"{TAG}/restore", opt=SETTERS, include_in_schema=False, status_code=303)
async def restore_tag(
    db: DbSession, request: Request[Any, Any, Any], principal: CurrentPrincipal, key: FromPath[str]
) -> Template | Redirect:
    return await _change(db, request, principal, key, {"retired": False})


ROUTES = [tag_list, add_tag, rename_tag, retire_tag, restore_tag]
