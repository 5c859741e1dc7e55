"""Set-up: rounds opened, as a campaign (a round at every facility of a type in an area, as
`POST /cycles/v1/campaigns`) or at a single facility (as `POST /cycles/v1`), on a published
template, with the focus groups planned."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from backend.areas import service as areas
from backend.auth.policy import CurrentPrincipal, Principal
from backend.console.forms import Form, attempt
from backend.console.render import screen
from backend.console.setup_common import SETTERS, FormProblem, refusal, status_of, wire, words
from backend.console.setup_common import WORDS as COMMON
from backend.console.setup_rounds import LIST, versions_named
from backend.console.setup_rounds import WORDS as ROUND_WORDS
from backend.cycles import service as cycles
from backend.cycles.models import Cycle
from backend.cycles.schemas import CampaignIn, CampaignOut, CycleIn
from backend.database.session import DbSession
from backend.errors import DomainError
from backend.facilities import service as facilities
from backend.facilities.models import FACILITY_TYPES, Facility
from backend.scorecards import service as templates
from backend.scorecards.group_types import GROUP_TYPES
from backend.scorecards.schemas import TemplateOut

WORDS = {
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
    "field:label": ("Үеийн монгол нэрийг бичнэ үү.", "Give the round's label in Mongolian."),
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


def _labels(request: Request[Any, Any, Any]) -> dict[str, str]:
    t = words(request, WORDS, ROUND_WORDS)
    return {key: t(key) for key in (*WORDS, *ROUND_WORDS)}


def _published(found: list[TemplateOut], language: str) -> list[tuple[uuid.UUID, str, list[str]]]:
    named = versions_named(found, language)
    return [
        (v.id, named[v.id], v.facility_types)
        for t in found
        for v in t.versions
        if v.status == "published"
    ]


async def _open_screen(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    *,
    form: OpenForm,
    facility: Facility | None,
    error: DomainError | FormProblem | None = None,
) -> Template:
    t = words(request, WORDS, ROUND_WORDS)
    published = _published(await templates.list_templates(db, principal=principal), t.language)
    if facility is not None:
        published = [v for v in published if facility.type in v[2]]
    return screen(
        request,
        "setup/round_new.html",
        WORDS,
        ROUND_WORDS,
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


ROUTES = [open_form, open_campaign, open_round]
