"""Results (API.md, "Results")."""

from __future__ import annotations

import uuid
from typing import Literal

from litestar import MediaType, get
from litestar.params import FromPath, FromQuery

from backend.auth.policy import SIGNED_IN, CurrentPrincipal
from backend.db import DbSession
from backend.reports import page
from backend.reports import service as reports
from backend.reports.schemas import ScorecardOut


@get("/reports/v1/cycles/{cycle_id:uuid}/scorecard", opt=SIGNED_IN, tags=["reports"])
async def scorecard(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> ScorecardOut:
    """Per indicator: community scores by group and overall (n, mean, median, min, max), the
    provider's score, the gap, the change since the previous round, and suppressed cells.
    Viewers see published cycles only; providers and viewers see small groups hidden."""
    return await reports.scorecard(db, principal=principal, cycle_id=cycle_id)


@get(
    "/reports/v1/cycles/{cycle_id:uuid}/scorecard.html",
    opt=SIGNED_IN,
    tags=["reports"],
    media_type=MediaType.HTML,
)
async def scorecard_page(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    lang: FromQuery[Literal["mn", "en"]] = "mn",
) -> str:
    """The scorecard as a page to project at the interface meeting and print on A4."""
    return await page.render(db, principal=principal, cycle_id=cycle_id, language=lang)


ROUTES = [scorecard, scorecard_page]
