"""Set-up: rounds in the reader's areas with their phase; a round moved on to its next phase,
or reopened at an earlier one with a reason; its phase history with who moved it and why.
The same services as `/cycles/v1/...`: the same checks, history and audit. Campaigns and
single rounds are opened in `setup_campaigns.py`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
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
from backend.cycles.schemas import Advance, Reopen
from backend.database.session import DbSession
from backend.errors import DomainError
from backend.facilities import service as facilities
from backend.reports import wording
from backend.scorecards import service as templates
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
    "moved": ("Үе шатыг өөрчиллөө.", "The phase is changed."),
    "round_opened": ("Үе нээгдлээ.", "The round is open."),
    "closed_round": ("Энэ үе хаагдсан.", "This round is closed."),
    "no_rounds": ("Шүүлтүүрт тохирох үе алга.", "No round fits these filters."),
    "code:cycle.phase_backwards": (
        "Үе шат зөвхөн урагшилна; буцаахдаа шалтгаан бичнэ.",
        "Phases only move forward; reopening takes a reason.",
    ),
    "code:cycle.reopen_not_backwards": (
        "Одоогийн үе шатаас өмнөх үе шатыг сонгоно уу.",
        "Choose a phase before the current one.",
    ),
    "code:not_found": ("Ийм зүйл олдсонгүй.", "There is no such thing here."),
}


@dataclass
class MoveForm:
    to: str = ""
    reason: str = ""


def _labels(request: Request[Any, Any, Any]) -> dict[str, str]:
    t = words(request, WORDS)
    return {key: t(key) for key in WORDS}


def versions_named(found: list[TemplateOut], language: str) -> dict[uuid.UUID, str]:
    """Every version by id, named by its template and number in the reader's language."""
    word = "хувилбар" if language == "mn" else "version"
    return {
        v.id: f"{t.name_en if language == 'en' else t.name_mn} · {word} {v.number}"
        for t in found
        for v in t.versions
    }


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
        versions=versions_named(
            await templates.list_templates(db, principal=principal), t.language
        ),
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
    named = versions_named(await templates.list_templates(db, principal=principal), t.language)
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
    round_page,
    advance_round,
    reopen_round,
]
