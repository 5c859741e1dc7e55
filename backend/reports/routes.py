"""Results (API.md, "Results")."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from litestar import MediaType, Response, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery

from backend.areas import service as areas
from backend.auth.policy import SIGNED_IN, CurrentPrincipal
from backend.database.session import DbSession
from backend.reports import exports, page
from backend.reports import rollup as rollups
from backend.reports import service as reports
from backend.reports.rollup_queries import Period
from backend.reports.schemas import RollupOut, ScorecardOut


@get("/reports/v1/cycles/{cycle_id:uuid}/scorecard", opt=SIGNED_IN, tags=["reports"])
async def scorecard(
    db: DbSession, state: State, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> ScorecardOut:
    """Per indicator: community scores by group and overall (n, mean, median, min, max), the
    provider's score, the gap, the change since the previous round, and suppressed cells.
    Viewers see published cycles only; providers and viewers see small groups hidden."""
    return await reports.scorecard(
        db, principal=principal, cycle_id=cycle_id, timezone=state.settings.timezone
    )


@get(
    "/reports/v1/cycles/{cycle_id:uuid}/scorecard.html",
    opt=SIGNED_IN,
    tags=["reports"],
    media_type=MediaType.HTML,
)
async def scorecard_page(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    lang: FromQuery[Literal["mn", "en"]] = "mn",
) -> str:
    """The scorecard as a page to project at the interface meeting and print on A4."""
    return await page.render(
        db,
        state.attachments,
        principal=principal,
        cycle_id=cycle_id,
        language=lang,
        today=state.settings.today(),
        timezone=state.settings.timezone,
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, media_type: str, name: str) -> Response[bytes]:
    return Response(
        content,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


CSV = "text/csv"  # Litestar adds "; charset=utf-8" to text types


@get(
    "/reports/v1/cycles/{cycle_id:uuid}/scorecard.csv",
    opt=SIGNED_IN,
    tags=["reports"],
    media_type=CSV,
)
async def scorecard_csv(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    """The scorecard as CSV (UTF-8), under the same privacy rules as the JSON."""
    card = await reports.scorecard(db, principal=principal, cycle_id=cycle_id)
    return _download(exports.to_csv(card), CSV, f"scorecard-{cycle_id}.csv")


@get(
    "/reports/v1/cycles/{cycle_id:uuid}/scorecard.xlsx",
    opt=SIGNED_IN,
    tags=["reports"],
    media_type=XLSX,
)
async def scorecard_xlsx(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> Response[bytes]:
    """The scorecard as an Excel workbook, under the same privacy rules as the JSON."""
    card = await reports.scorecard(db, principal=principal, cycle_id=cycle_id)
    return _download(exports.to_xlsx(card), XLSX, f"scorecard-{cycle_id}.xlsx")


@get("/reports/v1/rollup", opt=SIGNED_IN, tags=["reports"])
async def rollup(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    area: FromQuery[str],
    template: FromQuery[str],
    by: FromQuery[Literal["facility", "soum", "aimag", "nation"]] = "facility",
    since: FromQuery[date | None] = None,
    until: FromQuery[date | None] = None,
    campaign: FromQuery[uuid.UUID | None] = None,
) -> RollupOut:
    """One template's indicators across an area's facilities, by facility, soum, aimag or the
    nation, with action-plan completion and overdue rates per unit and, for medicines, the
    tracers' availability, stock-outs and price ratios. Which rounds are pooled (`period` in
    the answer): one campaign's (`campaign`), those held in [since, until) (either given), or
    by default each facility's latest published round. A round is held on the
    programme-local date (SCORECARD_TIMEZONE) of its first community scoring session, or on
    the date it was opened while it has none."""
    return await rollups.rollup(
        db,
        principal=principal,
        area=(await areas.resolve(db, area)).code,
        template=template,
        level=by,
        period=Period(since=since, until=until, campaign=campaign),
        today=state.settings.today(),
        timezone=state.settings.timezone,
    )


ROUTES = [scorecard, scorecard_page, scorecard_csv, scorecard_xlsx, rollup]
