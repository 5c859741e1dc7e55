"""The action plan as coordinators and viewers of progress read it (tablets write it by sync)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import get
from litestar.datastructures import State
from litestar.params import FromQuery, Parameter

from backend.action_plans import service as plans
from backend.action_plans.schemas import ActionItemPage
from backend.auth.policy import SIGNED_IN, CurrentPrincipal
from backend.database.session import DbSession
from backend.web.pagination import Offset, page_request


@get("/action-plans/v1/items", opt=SIGNED_IN, tags=["action plans"])
async def list_action_items(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    cycle_id: FromQuery[uuid.UUID | None] = None,
    area: FromQuery[str | None] = None,
    overdue: FromQuery[bool] = False,
    limit: Annotated[int | None, Parameter(ge=1)] = None,
    offset: Offset = 0,
) -> ActionItemPage:
    """Action items in the caller's scope with their updates; `overdue=true` for the late ones
    (past their due date and neither done nor dropped)."""
    return await plans.list_items(
        db,
        principal=principal,
        page=page_request(state, limit, offset),
        cycle_id=cycle_id,
        area=area,
        overdue_only=overdue,
        today=state.settings.today(),
    )


ROUTES = [list_action_items]
