"""Review of community text and evidence, piece by piece, by the area's coordinators."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from backend.auth.models import Role
from backend.auth.policy import CurrentPrincipal, allow
from backend.database.session import DbSession
from backend.reviews import service as reviews
from backend.reviews.schemas import DecisionsIn, PiecePage, State

COORDINATORS = allow(Role.ADMIN, Role.COORDINATOR)
ROUND = "/reviews/v1/cycles/{cycle_id:uuid}"


@get(f"{ROUND}/pieces", opt=COORDINATORS, tags=["reviews"])
async def list_pieces(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    # "state" is a name Litestar keeps for itself
    review_state: Annotated[State | None, QueryParameter(name="state")] = None,
) -> PiecePage:
    """Every reason, suggestion, photo and raised issue's words the round holds now, with its
    review: awaiting, passed (providers and viewers read it) or hidden (with why)."""
    items = await reviews.listing(db, principal=principal, cycle_id=cycle_id, state=review_state)
    return PiecePage(items=items)


@post(f"{ROUND}/decisions", opt=COORDINATORS, tags=["reviews"], status_code=200)
async def decide(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: JSONBody[DecisionsIn],
) -> PiecePage:
    """Pass or hide pieces as they were read (their content hash): a piece changed since is
    refused (`review.stale`); hiding a passed piece withdraws it, and says why."""
    items = await reviews.decide(
        db, principal=principal, cycle_id=cycle_id, decisions=data.decisions
    )
    return PiecePage(items=items)


ROUTES = [list_pieces, decide]
