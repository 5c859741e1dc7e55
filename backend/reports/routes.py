"""Results (API.md, "Results")."""

from __future__ import annotations

import uuid

from litestar import get
from litestar.params import FromPath

from backend.auth.policy import SIGNED_IN, CurrentPrincipal
from backend.db import DbSession
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


ROUTES = [scorecard]
