"""Set-up: campaigns and rounds. Rounds in the reader's areas with their phase; a campaign
opened (a round at every facility of a type in an area) or a single round; a round moved on
to its next phase, or reopened at an earlier one with a reason; its phase history with who
moved it and why. The same services as `/cycles/v1/...`: the same checks, history and audit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.areas import service as areas
from backend.auth.policy import CurrentPrincipal, Principal
from backend.console.forms import Form, attempt, flatten
from backend.console.render import screen
from backend.console.setup_common import (
    PAGE_SIZE,
    SETTERS,
    FormProblem,
    clock,
    offset_of,
    pages,
    refusal,
    status_of,
    wire,
    words,
)
from backend.console.setup_common import WORDS as COMMON
from backend.cycles import service as cycles
from backend.cycles.models import Cycle
from backend.cycles.phases import PHASES
from backend.cycles.schemas import Advance, CampaignIn, CampaignOut, CycleIn, Reopen
from backend.database.session import DbSession
from backend.errors import DomainError
from backend.facilities import service as facilities
from backend.facilities.models import FACILITY_TYPES, Facility
from backend.reports import wording
from backend.scorecards import service as templates
from backend.scorecards.group_types import GROUP_TYPES
from backend.scorecards.schemas import TemplateOut
from backend.users import service as users
from backend.web.pagination import PageRequest

LIST = "/console/setup/rounds"
ROUND = f"{LIST}/{{cycle_id:uuid}}"

WORDS = {
    "round": ("Үе", "Round"),
    "facility": ("Байгууллага", "Facility"),
    "template": ("Загвар", "Template"),
    "opened_at": ("Нээсэн", "Opened"),
    "all_phases": ("Бүх үе шат", "All phases"),
    "open_only": ("Зөвхөн нээлттэй", "Open rounds only"),
    "open_rounds": ("Үе нээх", "Open rounds"),
    "campaign": ("Кампанит ажил нээх", "Open a campaign"),
    "campaign_intro": (
        "Сонгосон нутаг дэвсгэрийн тухайн төрлийн бүх байгууллагад нэг дор үе нээнэ. "
        "Нээлттэй үетэй байгууллагыг алгасна.",
        "Opens a round at every facility of the type in the area at once. Facilities with "
        "a round of this template running are skipped.",
    ),
    "single": ("Нэг байгууллагад үе нээх", "Open a round at one facility"),
    "single_intro": (
        "Нэг байгууллагад үе нээхдээ байгууллагын жагсаалтаас сонгоод «Энд үе нээх»-ийг дарна.",
        "To open a round at one facility, choose it in the facility list and follow "
        "«Open a round here».",
    ),
    "label_mn": ("Үеийн нэр (монгол)", "Round label (Mongolian)"),
    "label_en": ("Үеийн нэр (англи)", "Round label (English)"),
    "label_hint": ("2026 оны хаврын үе", "2026 spring round"),
    "groups": ("Төлөвлөсөн бүлгүүд", "Planned focus groups"),
    "version": ("хувилбар", "version"),
    "opened": ("Нээсэн үе:", "Rounds opened:"),
    "skipped": ("нээлттэй үетэй тул алгассан:", "skipped as already running:"),
    "history": ("Үе шатын түүх", "Phase history"),
    "when": ("Хэзээ", "When"),
    "from": ("Өмнө", "From"),
    "to": ("Дараа", "To"),
    "who": ("Хэн", "Who"),
    "why": ("Шалтгаан", "Why"),
    "reopened": ("буцаасан", "reopened"),
    "advance": ("Дараагийн үе шат руу шилжүүлэх:", "Move on to the next phase:"),
    "reopen": ("Өмнөх үе шат руу буцаах", "Reopen at an earlier phase"),
    "reopen_to": ("Аль үе шат руу", "Back to the phase"),
    "reason": ("Шалтгаан", "Reason"),
    "reason_hint": (
        "Шалтгаан нь үеийн түүхэнд хадгалагдана.",
        "The reason is kept in the round's history.",
    ),
    "field:reason": (
        "Буцаах шалтгааныг бичнэ үү (3-аас доошгүй тэмдэгт).",
        "Give the reason for reopening (at least 3 characters).",
    ),
    "field:label": ("Үеийн монгол нэрийг бичнэ үү.", "Give the round's label in Mongolian."),
    "moved": ("Үе шатыг өөрчиллөө.", "The phase is changed."),
    "round_opened": ("Үе нээгдлээ.", "The round is open."),
    "closed_round": ("Энэ үе хаагдсан.", "This round is closed."),
    "no_rounds": ("Шүүлтүүрт тохирох үе алга.", "No round fits these filters."),
    "no_versions": (
        "Нийтэлсэн загвар алга; эхлээд загвар нийтэлнэ үү.",
        "No template is published yet; publish one first.",
    ),
    "template_version_id": ("Загвар", "Template"),
    "area_code": ("Нутаг дэвсгэр", "Area"),
    "facility_type": ("Байгууллагын төрөл", "Facility type"),
    "code:cycle.already_open": (
        "Энэ байгууллагад энэ загвараар нээлттэй үе байна; эхлээд түүнийг хаана уу.",
        "A round of this template is running at this facility; close it first.",
    ),
    "code:cycle.template_not_for_facility": (
        "Энэ загвар энэ төрлийн байгууллагад тохирохгүй.",
        "This template is not for this type of facility.",
    ),
    "code:template.not_published": (
        "Зөвхөн нийтэлсэн загвар дээр үе нээнэ.",
        "Rounds open on a published template only.",
    ),
    "code:cycle.phase_backwards": (
        "Үе шат зөвхөн урагшилна; буцаахдаа шалтгаан бичнэ.",
        "Phases only move forward; reopening takes a reason.",
    ),
    "code:cycle.reopen_not_backwards": (
        "Одоогийн үе шатаас өмнөх үе шатыг сонгоно уу.",
        "Choose a phase before the current one.",
    ),
    "code:area.unknown": ("Ийм нутаг дэвсгэр олдсонгүй.", "No area has this name or code."),
    "code:area.ambiguous": (
        "Энэ нэртэй хэд хэдэн нутаг байна; кодыг нь бичнэ үү.",
        "Several areas have this name; give the code.",
    ),
    "code:not_found": ("Ийм зүйл олдсонгүй.", "There is no such thing here."),
    **{f"group_{key}": (label.mn, label.en) for key, label in GROUP_TYPES.items()},
}


@dataclass
class OpenForm:
    """A campaign (area and facility type) or a single round (a facility)."""

    template_version_id: str = ""
    label: str = ""
    label_en: str = ""
    area_code: str = ""
    facility_type: str = ""
    facility_id: str = ""
    groups: Any = field(default=None)

    def planned(self) -> list[dict[str, str]]:
        chosen = self.groups if isinstance(self.groups, list) else [self.groups]
        return [{"type": str(g)} for g in chosen if g and str(g) in GROUP_TYPES]

    def chosen_groups(self) -> set[str]:
        return {entry["type"] for entry in self.planned()}


@dataclass
class MoveForm:
    to: str = ""
    reason: str = ""


def _labels(request: Request[Any, Any, Any]) -> dict[str, str]:
    t = words(request, WORDS)
    return {key: t(key) for key in WORDS}


def _versions(found: list[TemplateOut], language: str) -> dict[uuid.UUID, str]:
    """Every version by id, named by its template and number in the reader's language."""
    word = "хувилбар" if language == "mn" else "version"
    return {
        v.id: f"{t.name_en if language == 'en' else t.name_mn} · {word} {v.number}"
        for t in found
        for v in t.versions
    }


def _published(found: list[TemplateOut], language: str) -> list[tuple[uuid.UUID, str, list[str]]]:
    named = _versions(found, language)
    return [
        (v.id, named[v.id], v.facility_types)
        for t in found
        for v in t.versions
        if v.status == "published"
    ]


@get(LIST, opt=SETTERS, include_in_schema=False)
async def round_list(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    phase: FromQuery[str] = "",
    area: FromQuery[str] = "",
    open_only: FromQuery[str] = "",
    page: FromQuery[int] = 1,
) -> Template:
    """Rounds at the facilities of the reader's areas, newest first, with their phase."""
    t = words(request, WORDS)
    problem = None
    try:
        area_code = await areas.resolve_code(db, area.strip() or None)
    except DomainError as error:
        area_code, problem = None, f"code:{error.code}"
    page = max(page, 1)
    found = await cycles.list_cycles(
        db,
        principal=principal,
        page=PageRequest(limit=PAGE_SIZE, offset=offset_of(page)),
        facility_id=None,
        area=area_code,
        phase=phase if phase in PHASES else None,
        open_only=open_only == "1",
    )
    places = await facilities.by_ids(
        db, principal=principal, ids={item.facility_id for item in found.items}
    )
    query = request.query_params
    return screen(
        request,
        "setup/rounds.html",
        WORDS,
        COMMON,
        items=found.items,
        places=places,
        versions=_versions(await templates.list_templates(db, principal=principal), t.language),
        phases=PHASES,
        when=clock(request),
        filters={"phase": phase, "area": area, "open_only": open_only},
        area_problem=problem,
        opened=query.get("opened"),
        skipped=query.get("skipped"),
        pages=pages(
            LIST,
            {"phase": phase, "area": area, "open_only": open_only},
            page=page,
            total=found.total,
        ),
    )


async def _open_screen(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    *,
    form: OpenForm,
    facility: Facility | None,
    error: DomainError | FormProblem | None = None,
) -> Template:
    t = words(request, WORDS)
    published = _published(await templates.list_templates(db, principal=principal), t.language)
    if facility is not None:
        published = [v for v in published if facility.type in v[2]]
    return screen(
        request,
        "setup/round_new.html",
        WORDS,
        COMMON,
        status=status_of(error),
        form=form,
        facility=facility,
        published=published,
        types=FACILITY_TYPES,
        groups=list(GROUP_TYPES),
        error=refusal(t, error, _labels(request)) if error else None,
    )


@get(f"{LIST}/new", opt=SETTERS, include_in_schema=False)
async def open_form(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    facility: FromQuery[uuid.UUID | None] = None,
) -> Template:
    """The campaign form; with `facility`, the form for a single round there."""
    place = None
    if facility is not None:
        place = await facilities.get(db, principal=principal, facility_id=facility)
    form = OpenForm(facility_id=str(place.id) if place else "", facility_type="school")
    return await _open_screen(db, request, principal, form=form, facility=place)


@post("/console/setup/campaigns", opt=SETTERS, include_in_schema=False, status_code=303)
async def open_campaign(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    data: Form[OpenForm],
) -> Template | Redirect:
    """A round at every facility of the type in the area (POST /cycles/v1/campaigns)."""

    async def run() -> CampaignOut:
        area = data.area_code.strip()
        code = (await areas.resolve(db, area, field="area_code")).code if area else ""
        values = {
            "template_version_id": data.template_version_id,
            "area_code": code,
            "facility_type": data.facility_type,
            "label": data.label.strip(),
            "label_en": data.label_en.strip() or None,
            "planned_groups": data.planned(),
        }
        return await cycles.open_campaign(db, principal=principal, data=wire(CampaignIn, values))

    try:
        opened = await attempt(db, run)
    except FormProblem as problem:
        return await _open_screen(db, request, principal, form=data, facility=None, error=problem)
    if isinstance(opened, DomainError):
        return await _open_screen(db, request, principal, form=data, facility=None, error=opened)
    counts = f"opened={len(opened.opened)}&skipped={len(opened.skipped_open_already)}"
    return Redirect(path=f"{LIST}?{counts}", status_code=303)


@post(LIST, opt=SETTERS, include_in_schema=False, status_code=303)
async def open_round(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    data: Form[OpenForm],
) -> Template | Redirect:
    """A round at one facility (POST /cycles/v1)."""
    try:
        facility_id = uuid.UUID(data.facility_id)
    except ValueError:
        return Redirect(path=f"{LIST}/new", status_code=303)
    facility = await facilities.get(db, principal=principal, facility_id=facility_id)

    async def run() -> Cycle:
        values = {
            "facility_id": str(facility.id),
            "template_version_id": data.template_version_id,
            "label": data.label.strip(),
            "label_en": data.label_en.strip() or None,
            "planned_groups": data.planned(),
        }
        return await cycles.open_cycle(db, principal=principal, data=wire(CycleIn, values))

    try:
        made = await attempt(db, run)
    except FormProblem as problem:
        return await _open_screen(
            db, request, principal, form=data, facility=facility, error=problem
        )
    if isinstance(made, DomainError):
        return await _open_screen(db, request, principal, form=data, facility=facility, error=made)
    return Redirect(path=f"{LIST}/{made.id}?done=round_opened", status_code=303)


async def _round_screen(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    cycle_id: uuid.UUID,
    *,
    form: MoveForm | None = None,
    error: DomainError | FormProblem | None = None,
) -> Template:
    t = words(request, WORDS)
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
    facility = await facilities.get(db, principal=principal, facility_id=cycle.facility_id)
    named = _versions(await templates.list_templates(db, principal=principal), t.language)
    history = await cycles.history(db, principal=principal, cycle_id=cycle.id)
    names = await users.usernames(db, {change.changed_by for change in history})
    at = PHASES.index(cycle.phase)
    done = str(request.query_params.get("done", ""))
    return screen(
        request,
        "setup/round.html",
        WORDS,
        COMMON,
        status=status_of(error),
        cycle=cycle,
        label=cycle.label_for(t.language),
        facility=facility,
        version=named.get(cycle.template_version_id, ""),
        groups=[wording.group_name(g["type"], t.language) for g in cycle.planned_groups],
        history=history,
        names=names,
        when=clock(request),
        next_phase=PHASES[at + 1] if at + 1 < len(PHASES) else None,
        earlier=PHASES[:at],
        form=form or MoveForm(),
        done=done if done in ("moved", "round_opened") else None,
        error=refusal(t, error, _labels(request)) if error else None,
    )


@get(ROUND, opt=SETTERS, include_in_schema=False)
async def round_page(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
) -> Template:
    return await _round_screen(db, request, principal, cycle_id)


@post(f"{ROUND}/advance", opt=SETTERS, include_in_schema=False, status_code=303)
async def advance_round(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: Form[MoveForm],
) -> Template | Redirect:
    """On to the phase the form names (the next one): a stale page's second click is refused
    rather than moving the round two phases."""

    async def run() -> Cycle:
        move = wire(Advance, {"to": flatten(data.to)})
        return await cycles.advance(db, principal=principal, cycle_id=cycle_id, to=move.to)

    return await _moved(db, request, principal, cycle_id, data, run)


@post(f"{ROUND}/reopen", opt=SETTERS, include_in_schema=False, status_code=303)
async def reopen_round(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: Form[MoveForm],
) -> Template | Redirect:
    """Back to an earlier phase, with the reason the history and the audit keep."""

    async def run() -> Cycle:
        move = wire(Reopen, {"to": data.to, "reason": data.reason.strip()})
        return await cycles.reopen(
            db, principal=principal, cycle_id=cycle_id, to=move.to, reason=move.reason
        )

    return await _moved(db, request, principal, cycle_id, data, run)


async def _moved(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    cycle_id: uuid.UUID,
    data: MoveForm,
    run: Any,
) -> Template | Redirect:
    await cycles.get(db, principal=principal, cycle_id=cycle_id)  # another area's: 404
    try:
        moved = await attempt(db, run)
    except FormProblem as problem:
        return await _round_screen(db, request, principal, cycle_id, form=data, error=problem)
    if isinstance(moved, DomainError):
        return await _round_screen(db, request, principal, cycle_id, form=data, error=moved)
    return Redirect(path=f"{LIST}/{cycle_id}?done=moved", status_code=303)


ROUTES = [
    round_list,
    open_form,
    open_campaign,
    open_round,
    round_page,
    advance_round,
    reopen_round,
]
