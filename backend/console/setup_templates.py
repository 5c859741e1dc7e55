"""Set-up: templates. Each family's versions (draft, published, retired), a version's
indicators in both languages, a draft made from a version, a draft published and a published
version retired, through the same service as `/templates/v1/...`."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.auth.policy import CurrentPrincipal
from backend.console.forms import FILE_FORM_BYTES, Form, Upload, attempt
from backend.console.render import screen
from backend.console.setup_common import SETTERS, refusal, words
from backend.console.setup_common import WORDS as COMMON
from backend.database.session import DbSession
from backend.errors import DomainError
from backend.reports import wording
from backend.scorecards import service as templates
from backend.scorecards.document import TemplateDocument
from backend.scorecards.models import TemplateVersion

LIST = "/console/setup/templates"
VERSION = f"{LIST}/versions/{{version_id:uuid}}"

WORDS = {
    "version": ("Хувилбар", "Version"),
    "versions": ("Хувилбарууд", "Versions"),
    "family": ("Төрөл", "Family"),
    "fits": ("Хамаарах байгууллага", "For facilities"),
    "created_at": ("Үүсгэсэн", "Created"),
    "published_at": ("Нийтэлсэн", "Published"),
    "retired_at": ("Хэрэглээнээс гаргасан", "Retired"),
    "status_draft": ("Ноорог", "Draft"),
    "status_published": ("Нийтэлсэн", "Published"),
    "status_retired": ("Хэрэглээнээс гарсан", "Retired"),
    "indicators": ("Шалгуурууд", "Indicators"),
    "label_mn": ("Монголоор", "In Mongolian"),
    "label_en": ("Англиар", "In English"),
    "answer": ("Хариулт", "Answer"),
    "answered_by": ("Хэн хариулах", "Answered by"),
    "make_draft": ("Энэ хувилбараас ноорог үүсгэх", "Make a draft from this version"),
    "publish": ("Нийтлэх", "Publish"),
    "retire": ("Хэрэглээнээс гаргах", "Retire"),
    "retire_confirm": (
        "Энэ хувилбар дээр шинэ үе нээгдэхгүй болохыг ойлгосон",
        "I understand that no new rounds will open on this version",
    ),
    "confirm_first": (
        "Хэрэглээнээс гаргахаа баталгаажуулна уу.",
        "Tick the box to confirm the retirement.",
    ),
    "publish_note": (
        "Нийтэлсэн хувилбар дахин өөрчлөгдөхгүй; түүн дээр шинэ үе нээж болно.",
        "A published version never changes again; new rounds can be opened on it.",
    ),
    "retire_note": (
        "Хэрэглээнээс гаргасан хувилбар дээр шинэ үе нээгдэхгүй; явагдаж буй үе хэвээр.",
        "No new rounds open on a retired version; running rounds keep it.",
    ),
    "draft_note": (
        "Ноорогийг засахдаа загварын баримтыг (JSON) татаж аваад засварласныг буцааж оруулна.",
        "To edit a draft, download its document (JSON), edit it, and upload it back here.",
    ),
    "download": ("Баримтыг татах (JSON)", "Download the document (JSON)"),
    "replace": ("Засварласан баримтыг оруулах", "Upload the edited document"),
    "document_file": ("Загварын баримт (JSON)", "Template document (JSON)"),
    "replaced_done": ("Ноорогийг шинэчиллээ.", "The draft is updated."),
    "not_json": ("Файл JSON баримт биш байна.", "The file is not a JSON document."),
    "published_done": ("Хувилбарыг нийтэллээ.", "The version is published."),
    "retired_done": ("Хувилбарыг хэрэглээнээс гаргалаа.", "The version is retired."),
    "draft_done": ("Шинэ ноорог үүсгэлээ.", "A new draft is made."),
    "hint": ("Тайлбар", "Hint"),
    "problems": ("Загварын алдаа", "Problems in the template"),
    "kind_scale": ("Үнэлгээ", "Score"),
    "kind_yes_no": ("Тийм / үгүй", "Yes / no"),
    "kind_count": ("Тоо", "Count"),
    "kind_number": ("Хэмжээ", "Quantity"),
    "kind_money": ("Мөнгөн дүн (₮)", "Amount (MNT)"),
    "kind_single_choice": ("Нэг сонголт", "One choice"),
    "kind_multi_choice": ("Олон сонголт", "Several choices"),
    "kind_text": ("Чөлөөт текст", "Free text"),
    "kind_entitlement": ("Ёстой ба бодит байдал", "Entitlement and actual"),
    "kind_medicine_check": ("Эмийн шалгалт", "Medicine check"),
    "code:template.version_not_draft": (
        "Зөвхөн ноорог хувилбарыг нийтэлнэ.",
        "Only a draft version is published.",
    ),
    "code:template.not_published": (
        "Зөвхөн нийтэлсэн хувилбарыг хэрэглээнээс гаргана.",
        "Only a published version is retired.",
    ),
    "code:template.invalid": (
        "Загварт алдаа байгаа тул нийтлэх боломжгүй.",
        "The template has problems and cannot be published.",
    ),
    **{
        f"family_{key}": (wording.FAMILIES["mn"][key], wording.FAMILIES["en"][key])
        for key in wording.FAMILIES["en"]
    },
    **{
        f"respondent_{key}": (wording.RESPONDENTS["mn"][key], wording.RESPONDENTS["en"][key])
        for key in wording.RESPONDENTS["en"]
    },
}
DONE = {
    "published": "published_done",
    "retired": "retired_done",
    "draft": "draft_done",
    "replaced": "replaced_done",
}
MAX_DOCUMENT = 2 * 1024 * 1024


@dataclass
class ConfirmForm:
    confirm: str = ""


@dataclass
class DocumentForm:
    file: UploadFile | None = None


@get(LIST, opt=SETTERS, include_in_schema=False)
async def template_list(
    db: DbSession, request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Template:
    found = await templates.list_templates(db, principal=principal)
    return screen(request, "setup/templates.html", WORDS, COMMON, templates=found)


def _version_screen(
    request: Request[Any, Any, Any],
    version: TemplateVersion,
    *,
    error: DomainError | None = None,
    message: str | None = None,
) -> Template:
    t = words(request, WORDS)
    document = templates.document_of(version)
    sections = [
        (section, [i for i in document.indicators if i.section == section.key])
        for section in document.sections
    ]
    done = DONE.get(str(request.query_params.get("done", "")))
    return screen(
        request,
        "setup/version.html",
        WORDS,
        COMMON,
        status=error.status if error else 400 if message else 200,
        message=message,
        version=version,
        document=document,
        sections=sections,
        done=done,
        error=refusal(t, error, {k: t(k) for k in WORDS if k.startswith("code:")})
        if error
        else None,
        problems=(error.errors or []) if error else [],
    )


@get(VERSION, opt=SETTERS, include_in_schema=False)
async def version_page(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    version_id: FromPath[uuid.UUID],
) -> Template:
    version = await templates.get_version(db, principal=principal, version_id=version_id)
    return _version_screen(request, version)


@post(f"{VERSION}/drafts", opt=SETTERS, include_in_schema=False, status_code=303)
async def make_draft(
    db: DbSession, principal: CurrentPrincipal, version_id: FromPath[uuid.UUID]
) -> Redirect:
    """A draft copy of the version, with the next number: where editing starts."""
    draft = await templates.new_draft(db, principal=principal, version_id=version_id)
    return Redirect(path=f"{LIST}/versions/{draft.id}?done=draft", status_code=303)


async def _change(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    version_id: uuid.UUID,
    *,
    publish: bool,
) -> Template | Redirect:
    if publish:
        changed = await attempt(
            db, lambda: templates.publish(db, principal=principal, version_id=version_id)
        )
    else:
        changed = await attempt(
            db, lambda: templates.retire(db, principal=principal, version_id=version_id)
        )
    if isinstance(changed, DomainError):
        version = await templates.get_version(db, principal=principal, version_id=version_id)
        return _version_screen(request, version, error=changed)
    done = "published" if publish else "retired"
    return Redirect(path=f"{LIST}/versions/{version_id}?done={done}", status_code=303)


@post(f"{VERSION}/publish", opt=SETTERS, include_in_schema=False, status_code=303)
async def publish_version(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    version_id: FromPath[uuid.UUID],
) -> Template | Redirect:
    """A draft becomes the version new rounds open on; it never changes again."""
    return await _change(db, request, principal, version_id, publish=True)


@post(f"{VERSION}/retire", opt=SETTERS, include_in_schema=False, status_code=303)
async def retire_version(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    version_id: FromPath[uuid.UUID],
    data: Form[ConfirmForm],
) -> Template | Redirect:
    """No new rounds on the version from now on, for good: only with the box ticked."""
    if data.confirm != "yes":
        version = await templates.get_version(db, principal=principal, version_id=version_id)
        return _version_screen(request, version, message=words(request, WORDS)("confirm_first"))
    return await _change(db, request, principal, version_id, publish=False)


@get(f"{VERSION}/document", opt=SETTERS, include_in_schema=False)
async def download_document(
    db: DbSession, principal: CurrentPrincipal, version_id: FromPath[uuid.UUID]
) -> Response[TemplateDocument]:
    """The version's document, as the API's export gives it, to edit and upload to a draft."""
    version = await templates.get_version(db, principal=principal, version_id=version_id)
    document = templates.document_of(version)
    filename = f"{document.key}-v{version.number}.json"
    return Response(document, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@post(
    f"{VERSION}/document",
    opt=SETTERS,
    include_in_schema=False,
    status_code=303,
    request_max_body_size=FILE_FORM_BYTES,
)
async def replace_document(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    version_id: FromPath[uuid.UUID],
    data: Upload[DocumentForm],
) -> Template | Redirect:
    """A draft's whole document replaced by an edited one, checked as the API checks it."""
    version = await templates.get_version(db, principal=principal, version_id=version_id)
    raw = await data.file.read(MAX_DOCUMENT + 1) if data.file is not None else b""
    try:
        parsed = json.loads(raw) if 0 < len(raw) <= MAX_DOCUMENT else None
    except ValueError:
        parsed = None
    if parsed is None:
        return _version_screen(request, version, message=words(request, WORDS)("not_json"))
    changed = await attempt(
        db,
        lambda: templates.update_draft(db, principal=principal, version_id=version_id, raw=parsed),
    )
    if isinstance(changed, DomainError):
        return _version_screen(request, version, error=changed)
    return Redirect(path=f"{LIST}/versions/{version_id}?done=replaced", status_code=303)


ROUTES = [
    template_list,
    version_page,
    make_draft,
    publish_version,
    retire_version,
    download_document,
    replace_document,
]
