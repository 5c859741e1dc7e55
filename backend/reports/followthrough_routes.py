"""Follow-through (API.md, "Results"): did the actions work, the responsiveness index, trends."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal

from litestar import MediaType, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery

from backend.areas import service as areas
from backend.auth.policy import SIGNED_IN, CurrentPrincipal
from backend.database.session import DbSession
from backend.reports import index as indexes
from backend.reports import outcomes as judged
from backend.reports import rollup_page as rollup_page_
from backend.reports import spreadsheet
from backend.reports import trend as trends
from backend.reports.followthrough_schemas import (
    IndexOut,
    OutcomesOut,
    RoundOutcomesOut,
    TrendOut,
)
from backend.reports.index_export import index_xlsx
from backend.reports.rollup_queries import Period
from backend.reports.routes import ApprovedOnly
from backend.web.downloads import attachment
from backend.web.headers import nonce_of

Family = Literal["parent_engagement", "medicine_availability", "health_insurance", "custom"]
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 1, 1)


@get("/reports/v1/cycles/{cycle_id:uuid}/outcomes", opt=SIGNED_IN, tags=["reports"])
async def round_outcomes(
    db: DbSession, state: State, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> RoundOutcomesOut:
    """Did it work? Each action item of the round read against the facility's next round:
    the change of the community score and of the community-provider gap on its indicators,
    and its class (done or not, improved or not)."""
    return await judged.round_outcomes(
        db, principal=principal, cycle_id=cycle_id, timezone=state.settings.timezone
    )


@get("/reports/v1/outcomes", opt=SIGNED_IN, tags=["reports"])
async def outcomes(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    area: FromQuery[str],
    by: FromQuery[Literal["funding_source", "level", "family", "aimag", "soum"]] = "funding_source",
    since: FromQuery[date] = EARLIEST,
    until: FromQuery[date] = LATEST,
) -> OutcomesOut:
    """Did it work, rolled up: the action items of an area's rounds held in [since, until)
    counted by class, and the money committed and spent, by funding source, level, template
    family, aimag or soum."""
    return await judged.outcomes(
        db,
        principal=principal,
        area=(await areas.resolve(db, area)).code,
        by=by,
        since=since,
        until=until,
        timezone=state.settings.timezone,
    )


async def _index(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    area: str,
    by: str,
    since: date,
    until: date,
    family: str | None,
) -> IndexOut:
    return await indexes.responsiveness(
        db,
        principal=principal,
        area=(await areas.resolve(db, area)).code,
        by=by,
        since=since,
        until=until,
        today=state.settings.today(),
        timezone=state.settings.timezone,
        family=family,
    )


@get("/reports/v1/index", opt=SIGNED_IN, tags=["reports"])
async def responsiveness_index(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    area: FromQuery[str],
    by: FromQuery[Literal["soum", "aimag", "nation"]] = "aimag",
    since: FromQuery[date] = EARLIEST,
    until: FromQuery[date] = LATEST,
    family: FromQuery[Family | None] = None,
) -> IndexOut:
    """The responsiveness index (formula version 1, README) per soum, aimag or the nation, for
    the rounds held in [since, until) (as roll-ups count them), of one template family's
    rounds where `family` is given: each component with its base, suppressed under 5."""
    return await _index(db, state, principal, area, by, since, until, family)


@get("/reports/v1/index.xlsx", opt=SIGNED_IN, tags=["reports"], media_type=spreadsheet.XLSX)
async def responsiveness_index_xlsx(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    area: FromQuery[str],
    by: FromQuery[Literal["soum", "aimag", "nation"]] = "aimag",
    since: FromQuery[date | None] = None,
    until: FromQuery[date | None] = None,
    family: FromQuery[Family | None] = None,
    lang: FromQuery[Literal["mn", "en"]] = "mn",
) -> Response[bytes]:
    """The responsiveness index as an Excel workbook in `lang`: each unit by its name (its
    code in a key column), the components by their names, and under the table the area, the
    period and the rule in words. Without `since` or `until`, every round held counts."""
    out = await _index(db, state, principal, area, by, since or EARLIEST, until or LATEST, family)
    download = await index_xlsx(db, out, language=lang, since=since, until=until, family=family)
    return Response(
        download.content, media_type=download.media_type, headers=attachment(download.name)
    )


@get("/reports/v1/facilities/{facility_id:uuid}/trend", opt=SIGNED_IN, tags=["reports"])
async def facility_trend(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    facility_id: FromPath[uuid.UUID],
    template: FromQuery[str],
) -> TrendOut:
    """Every round of one template at a facility, in order: each indicator's community and
    provider means, on their scale and on 0-100, and the gap."""
    return await trends.facility_trend(
        db,
        principal=principal,
        facility_id=facility_id,
        template=template,
        timezone=state.settings.timezone,
    )


@get("/reports/v1/trend", opt=SIGNED_IN, tags=["reports"])
async def area_trend(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    area: FromQuery[str],
    template: FromQuery[str],
) -> TrendOut:
    """An area's rounds of one template grouped by their label, in the order first opened;
    every facility weighs the same."""
    return await trends.area_trend(
        db,
        principal=principal,
        area=(await areas.resolve(db, area)).code,
        template=template,
        timezone=state.settings.timezone,
    )


@get("/reports/v1/rollup.html", opt=SIGNED_IN, tags=["reports"], media_type=MediaType.HTML)
async def rollup_page(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    area: FromQuery[str],
    template: FromQuery[str],
    by: FromQuery[Literal["facility", "soum", "aimag", "nation"]] = "aimag",
    since: FromQuery[date | None] = None,
    until: FromQuery[date | None] = None,
    campaign: FromQuery[uuid.UUID | None] = None,
    lang: FromQuery[Literal["mn", "en"] | None] = None,
    approved_only: ApprovedOnly = False,
) -> str:
    """An area's page: one template's roll-up and the responsiveness index of its family, over
    the rounds the period pools (as `/reports/v1/rollup` pools them: by default each
    facility's latest published round), under the same privacy rules as the JSON."""
    return await rollup_page_.render(
        db,
        principal=principal,
        area=(await areas.resolve(db, area)).code,
        template=template,
        by=by,
        period=Period(since=since, until=until, campaign=campaign),
        language=lang or principal.language,
        today=state.settings.today(),
        timezone=state.settings.timezone,
        nonce=nonce_of(request.scope),
        approved_only=approved_only,
    )


ROUTES = [
    rollup_page,
    round_outcomes,
    outcomes,
    responsiveness_index,
    responsiveness_index_xlsx,
    facility_trend,
    area_trend,
]
