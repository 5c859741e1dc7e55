"""Results: the rounds a reader may read, each with its scorecard page, downloads and area
page; for an area and a template, the trend and the responsiveness index.

Every figure here comes from the report services the API answers with (the trend, the index),
so the disclosure rule applies as it does there: a viewer reads published rounds of their
area, a provider its own facilities'; a group under the threshold is in no outsider's figure."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get
from litestar.datastructures import State
from litestar.params import FromQuery
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas import service as areas
from backend.auth.policy import SIGNED_IN, CurrentPrincipal, Principal
from backend.console.labels import say
from backend.console.render import language_of, screen
from backend.database.session import DbSession
from backend.reports import index as indexes
from backend.reports import listing
from backend.reports import trend as trends
from backend.reports.followthrough_schemas import IndexOut, TrendOut
from backend.reports.rollup import area_names
from backend.scorecards.models import Template as ScorecardTemplate
from backend.web.pagination import Offset, PageRequest

PAGE_SIZE = 50
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 1, 1)
# the CSV tables offered beside the workbook and the ZIP (each the scorecard.csv `table`)
CSV_TABLES = ("scores", "matrix", "reasons", "plan")
COMPONENTS = ("on_time", "money", "gap_closed", "participation")

WORDS = {
    "results_intro": (
        "Таны үзэх эрхтэй тойргууд. Оноон картын хуудас, татаж авах файлууд болон нутаг "
        "дэвсгэрийн нэгтгэлийг эндээс нээнэ.",
        "The rounds you may read, each with its scorecard page, its downloads and its area's page.",
    ),
    "area": ("Нутаг дэвсгэр", "Area"),
    "campaign": ("Аян", "Campaign"),
    "template": ("Загвар", "Template"),
    "facility": ("Байгууллага", "Facility"),
    "round": ("Тойрог", "Round"),
    "phase": ("Үе шат", "Phase"),
    "published": ("Нийтлэгдсэн", "Published"),
    "not_published": ("Нийтлэгдээгүй", "Not published"),
    "open": ("Нээх", "Open"),
    "scorecard_page": ("Оноон карт", "Scorecard"),
    "downloads": ("Татах", "Downloads"),
    "area_page": ("Нутгийн нэгтгэл", "Area page"),
    "no_rounds": ("Таны үзэх тойрог алга.", "There is no round for you to read."),
    "shown": ("{first}–{last} / {total}", "{first}–{last} of {total}"),
    "previous": ("Өмнөх", "Previous"),
    "next": ("Дараах", "Next"),
    "pages": ("Хуудаслалт", "Pages"),
    "csv_scores": ("Оноо (CSV)", "Scores (CSV)"),
    "csv_matrix": ("Бүлгээр (CSV)", "By group (CSV)"),
    "csv_reasons": ("Шалтгаан (CSV)", "Reasons (CSV)"),
    "csv_plan": ("Төлөвлөгөө (CSV)", "Plan (CSV)"),
    "xlsx": ("Excel", "Excel"),
    "zip": ("Бүх хүснэгт (ZIP)", "All tables (ZIP)"),
    "area_results": ("Нутаг дэвсгэрийн үр дүн", "Results of the area"),
    "choose_area": (
        "Нутаг дэвсгэр болон загвар сонговол чиг хандлага, хариу үйлдлийн индекс энд харагдана.",
        "Choose an area and a template to see their trend and responsiveness index here.",
    ),
    "trend": (
        "Чиг хандлага: иргэдийн оноо 0–100 хуваарьт (тоо, дүнг байгаагаар нь)",
        "Trend: the community's score on 0–100 (counts and amounts as they are)",
    ),
    "indicator": ("Үзүүлэлт", "Indicator"),
    "no_trend": ("Чиг хандлага гаргах оноо алга.", "No scores to draw a trend from."),
    "index": ("Хариу үйлдлийн индекс", "Responsiveness index"),
    "unit": ("Нэгж", "Unit"),
    "rounds_counted": ("Тойрог", "Rounds"),
    "index_xlsx": ("Индекс (Excel)", "Index (Excel)"),
    "suppressed": ("суурь 5-аас бага", "base under 5"),
    "no_index": ("Индекс гаргах тойрог алга.", "No rounds to compute the index from."),
    "component_on_time": ("Хугацаандаа биелсэн", "Done on time"),
    "component_money": ("Зарцуулсан / төлөвлөсөн мөнгө", "Money spent / committed"),
    "component_gap_closed": ("Зөрүү багассан", "Gap closed"),
    "component_participation": ("Эмзэг бүлгийн оролцоо", "Priority groups heard"),
    "phase_preparation": ("Бэлтгэл", "Preparation"),
    "phase_input_tracking": ("Орцын хяналт", "Input tracking"),
    "phase_community_scoring": ("Иргэдийн үнэлгээ", "Community scoring"),
    "phase_self_assessment": ("Өөрийн үнэлгээ", "Self-assessment"),
    "phase_interface_meeting": ("Хамтарсан хэлэлцүүлэг", "Interface meeting"),
    "phase_action_plan": ("Төлөвлөгөө", "Action plan"),
    "phase_follow_up": ("Хэрэгжилтийн хяналт", "Follow-up"),
    "phase_closed": ("Хаагдсан", "Closed"),
}


@dataclass(frozen=True, slots=True)
class AreaResults:
    """An area's trend and index for one template, as the report services give them."""

    area: str
    area_name: str
    template: str
    page: str
    index_xlsx: str
    trend: TrendOut
    index: IndexOut
    unit_names: dict[str, str]


def _link(path: str, **query: Any) -> str:
    given = {name: value for name, value in query.items() if value not in (None, "")}
    return f"{path}?{urlencode(given)}" if given else path


def round_links(r: listing.ResultRound, language: str) -> dict[str, Any]:
    base = f"/reports/v1/cycles/{r.cycle_id}"
    return {
        "page": f"{base}/scorecard.html",
        "xlsx": _link(f"{base}/scorecard.xlsx", lang=language),
        "zip": _link(f"{base}/scorecard.zip", lang=language),
        "csv": [
            (table, _link(f"{base}/scorecard.csv", table=table, lang=language))
            for table in CSV_TABLES
        ],
        "area": _link("/reports/v1/rollup.html", area=r.area_code, template=r.template_key),
    }


async def area_results(
    db: AsyncSession,
    state: State,
    principal: Principal,
    *,
    area: str,
    template: str,
    language: str,
) -> AreaResults:
    """The area's trend and index of the template's family, from the report services."""
    found = await areas.resolve(db, area)
    family = await db.scalar(
        select(ScorecardTemplate.family).where(ScorecardTemplate.key == template)
    )
    settings = state.settings
    by = "aimag" if found.level == "country" else "soum"
    trend = await trends.area_trend(
        db, principal=principal, area=found.code, template=template, timezone=settings.timezone
    )
    index = await indexes.responsiveness(
        db,
        principal=principal,
        area=found.code,
        by=by,
        since=EARLIEST,
        until=LATEST,
        today=settings.today(),
        timezone=settings.timezone,
        family=family,
    )
    names = await area_names(db, [found.code, *(row.unit for row in index.rows)])
    return AreaResults(
        area=found.code,
        area_name=found.name_mn if language == "mn" else found.name_en,
        template=template,
        page=_link("/reports/v1/rollup.html", area=found.code, template=template),
        index_xlsx=_link(
            "/reports/v1/index.xlsx", area=found.code, by=by, family=family, lang=language
        ),
        trend=trend,
        index=index,
        unit_names={code: mn if language == "mn" else en for code, (mn, en) in names.items()},
    )


@get("/console/results", opt=SIGNED_IN, include_in_schema=False)
async def results(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    area: FromQuery[str | None] = None,
    campaign: FromQuery[str | None] = None,
    template: FromQuery[str | None] = None,
    offset: Offset = 0,
) -> Template:
    """The rounds the reader may read, filtered by area, campaign and template, a page at a
    time; with an area and a template chosen, the area's trend and index."""
    language = language_of(request, principal)
    limit = PAGE_SIZE
    area = (area or "").strip() or None
    area_code = (await areas.resolve(db, area)).code if area else None
    campaign_id = _uuid(campaign)
    template = (template or "").strip() or None
    page = await listing.rounds(
        db,
        principal=principal,
        page=PageRequest(limit=limit, offset=offset),
        area=area_code,
        campaign=campaign_id,
        template=template,
    )
    choices = await listing.options(db, principal=principal)
    summary = None
    if area_code and template:
        summary = await area_results(
            db, state, principal, area=area_code, template=template, language=language
        )
    filters = {"area": area_code, "campaign": campaign_id, "template": template}
    return screen(
        request,
        "results/list.html",
        WORDS,
        rounds=[
            {
                "round": r,
                "label": say(r.label, language),
                "facility": say(r.facility, language),
                "area": say(r.area, language),
                "template": say(r.template, language),
                "campaign": say(r.campaign, language) if r.campaign else "",
                "links": round_links(r, language),
            }
            for r in page.rounds
        ],
        total=page.total,
        offset=offset,
        limit=limit,
        previous=_link("/console/results", **filters, offset=max(offset - limit, 0))
        if offset > 0
        else None,
        next=_link("/console/results", **filters, offset=offset + limit)
        if offset + limit < page.total
        else None,
        choices={
            "area": [(o.key, say(o.label, language)) for o in choices.areas],
            "campaign": [(o.key, say(o.label, language)) for o in choices.campaigns],
            "template": [(o.key, say(o.label, language)) for o in choices.templates],
        },
        chosen={"area": area_code or "", "campaign": str(campaign_id or ""), "template": template},
        summary=summary,
        components=COMPONENTS,
    )


def _uuid(text: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID((text or "").strip()) if text and text.strip() else None
    except ValueError:
        return None


ROUTES = [results]
