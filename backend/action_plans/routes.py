"""The action plan as coordinators and viewers of progress read it (tablets write it by sync)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from backend.action_plans import approval
from backend.action_plans import service as plans
from backend.action_plans.models import ActionStatus, Approval, FundingSource
from backend.action_plans.schemas import (
    ActionItemPage,
    DecisionIn,
    DecisionOut,
    RevisionIn,
    RevisionOut,
)
from backend.areas import service as areas
from backend.auth.policy import SIGNED_IN, CurrentPrincipal, allow
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
    awaiting_approval: FromQuery[bool] = False,
    due_for_review: FromQuery[bool] = False,
    funding_source: FromQuery[FundingSource | None] = None,
    status: FromQuery[ActionStatus | None] = None,
    approval: FromQuery[Approval | None] = None,
    limit: Annotated[int | None, Parameter(ge=1)] = None,
    offset: Offset = 0,
) -> ActionItemPage:
    """Action items in the caller's scope with their updates and money spent.
    `overdue=true`: the late ones (past their due date, neither done nor dropped);
    `awaiting_approval=true`: those not approved yet (pending or returned);
    `due_for_review=true`: review date reached, neither done nor dropped;
    `funding_source`, `status`, `approval`: those with exactly this value.
    Dates are the programme's local dates."""
    return await plans.list_items(
        db,
        principal=principal,
        page=page_request(state, limit, offset),
        cycle_id=cycle_id,
        area=await areas.resolve_code(db, area),
        overdue_only=overdue,
        today=state.settings.today(),
        awaiting_approval=awaiting_approval,
        due_for_review=due_for_review,
        funding_source=funding_source,
        status=status,
        approval=approval,
    )


@post(
    "/action-plans/v1/cycles/{cycle_id:uuid}/decisions",
    opt=allow(*approval.DECIDERS),
    tags=["action plans"],
)
async def decide_plan(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: JSONBody[DecisionIn],
) -> DecisionOut:
    """Approve the round's plan, or return it with a reason: the facility head (the facility's
    provider account), a coordinator of its area or an admin. `items` names every item not
    approved yet at the version read; if the plan changed since (an item added, edited or
    decided), nothing is decided (409 plan.changed). Who decided and when is kept. Refused
    before the interface meeting and once closed."""
    return await approval.decide(
        db,
        principal=principal,
        cycle_id=cycle_id,
        decision=data.decision,
        reason=data.reason,
        read={item.id: item.version for item in data.items},
    )


@get("/action-plans/v1/cycles/{cycle_id:uuid}/decisions", opt=SIGNED_IN, tags=["action plans"])
async def list_decisions(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> list[DecisionOut]:
    """Every decision on the round's plan, oldest first."""
    return await approval.decisions(db, principal=principal, cycle_id=cycle_id)


@post(
    "/action-plans/v1/items/{item_id:uuid}/revisions",
    opt=allow(*approval.REVISERS),
    tags=["action plans"],
)
async def revise_item(
    db: DbSession,
    principal: CurrentPrincipal,
    item_id: FromPath[uuid.UUID],
    data: JSONBody[RevisionIn],
) -> RevisionOut:
    """Change what an agreed item commits to (its words, due date, cost, funding source, level,
    responsible party) with a reason, kept beside the before and after: once the round has
    moved past the interface meeting, or the plan was approved, the only way to change them."""
    return await approval.revise(db, principal=principal, item_id=item_id, data=data)


@get("/action-plans/v1/cycles/{cycle_id:uuid}/revisions", opt=SIGNED_IN, tags=["action plans"])
async def list_revisions(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> list[RevisionOut]:
    """Every revision of the round's plan since it was agreed: before, after, who and why."""
    return await approval.revisions(db, principal=principal, cycle_id=cycle_id)


ROUTES = [list_action_items, decide_plan, list_decisions, revise_item, list_revisions]
