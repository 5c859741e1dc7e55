"""The joint action plan: items in scope, their updates, and which are overdue."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from sqlalchemy import ColumnElement, and_, func, not_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem, ActionUpdate
from backend.action_plans.schemas import ActionItemOut, ActionItemPage, ActionUpdateOut
from backend.action_plans.sync import MEETING_PHASE
from backend.areas.models import Area
from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles import phases
from backend.cycles.models import Cycle
from backend.errors import NotFound
from backend.facilities.models import Facility
from backend.web.pagination import PageRequest

FINISHED = ("done", "dropped")


def overdue_clause(today: date) -> ColumnElement[bool]:
    """Overdue, in SQL: past its due date and neither done nor dropped."""
    return and_(
        ActionItem.due_on < today,
        not_(ActionItem.status.in_(FINISHED)),
    )


def is_overdue(item: ActionItem, today: date) -> bool:
    """Overdue, for an item in hand: the same rule as overdue_clause."""
    return item.due_on is not None and item.due_on < today and item.status not in FINISHED


def review_clause(today: date) -> ColumnElement[bool]:
    """Due for review, in SQL: its review date reached and neither done nor dropped."""
    return and_(ActionItem.review_on <= today, not_(ActionItem.status.in_(FINISHED)))


def is_due_for_review(item: ActionItem, today: date) -> bool:
    return item.review_on is not None and item.review_on <= today and item.status not in FINISHED


async def list_items(
    db: AsyncSession,
    *,
    principal: Principal,
    page: PageRequest,
    cycle_id: uuid.UUID | None,
    area: str | None,
    overdue_only: bool,
    today: date,
    awaiting_approval: bool = False,
    due_for_review: bool = False,
    funding_source: str | None = None,
    status: str | None = None,
    approval: str | None = None,
) -> ActionItemPage:
    """Action items in the caller's scope, each filter narrowing them: `awaiting_approval`
    (not approved yet: pending or returned), `approval` (exactly this decision), `status`,
    `funding_source`, overdue and due for review as of `today`."""
    query = select(ActionItem).where(
        ActionItem.deleted_at.is_(None), access.action_item_visible(principal)
    )
    if cycle_id:
        query = query.where(ActionItem.cycle_id == cycle_id)
    if area:
        inside = select(Area.code).where(Area.lineage.contains([area.upper()]))
        query = query.where(
            ActionItem.facility_id.in_(select(Facility.id).where(Facility.area_code.in_(inside)))
        )
    if overdue_only:
        query = query.where(overdue_clause(today))
    if awaiting_approval:
        query = query.where(ActionItem.approval != "approved")
    if due_for_review:
        query = query.where(review_clause(today))
    if funding_source:
        query = query.where(ActionItem.funding_source == funding_source)
    if status:
        query = query.where(ActionItem.status == status)
    if approval:
        query = query.where(ActionItem.approval == approval)
    total = await db.scalar(select(func.count()).select_from(query.subquery())) or 0
    items = (
        await db.scalars(
            query.order_by(ActionItem.due_on.nulls_last(), ActionItem.id)
            .limit(page.limit)
            .offset(page.offset)
        )
    ).all()
    return ActionItemPage(
        items=await _items_out(db, list(items), today),
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


async def get_item(
    db: AsyncSession, *, principal: Principal, item_id: uuid.UUID, today: date
) -> ActionItemOut:
    """One action item in the caller's scope, with its updates; 404 as for one that does
    not exist otherwise."""
    item = await db.scalar(
        select(ActionItem).where(
            ActionItem.id == item_id,
            ActionItem.deleted_at.is_(None),
            access.action_item_visible(principal),
        )
    )
    if item is None:
        raise NotFound("No such action item.")
    return (await _items_out(db, [item], today))[0]


async def _items_out(db: AsyncSession, items: list[ActionItem], today: date) -> list[ActionItemOut]:
    updates: dict[uuid.UUID, list[ActionUpdateOut]] = defaultdict(list)
    round_phases: dict[uuid.UUID, str] = {}
    if items:
        found = await db.execute(
            select(Cycle.id, Cycle.phase).where(Cycle.id.in_({item.cycle_id for item in items}))
        )
        round_phases = {cycle_id: phase for cycle_id, phase in found}
        for update in await db.scalars(
            select(ActionUpdate)
            .where(ActionUpdate.action_item_id.in_([item.id for item in items]))
            .order_by(ActionUpdate.reported_on, ActionUpdate.created_at)
        ):
            updates[update.action_item_id].append(
                ActionUpdateOut(
                    id=update.id,
                    status=update.status,
                    note=update.note,
                    reported_on=update.reported_on,
                    spent_mnt=update.spent_mnt,
                )
            )
    return [
        ActionItemOut(
            id=item.id,
            cycle_id=item.cycle_id,
            facility_id=item.facility_id,
            meeting_id=item.meeting_id,
            indicator_keys=list(item.indicator_keys),
            issue=item.issue,
            action=item.action,
            responsible=item.responsible,
            resources=item.resources,
            due_on=item.due_on,
            status=item.status,
            version=item.version,
            overdue=is_overdue(item, today),
            updates=updates[item.id],
            cost_mnt=item.cost_mnt,
            funding_source=item.funding_source,
            level=item.level,
            review_on=item.review_on,
            approval=item.approval,
            spent_mnt=sum(update.spent_mnt for update in updates[item.id]),
            due_for_review=is_due_for_review(item, today),
            agreed=item.approval == "approved"
            or phases.position(round_phases[item.cycle_id]) > MEETING_PHASE,
            over_cost=item.cost_mnt is not None
            and sum(update.spent_mnt for update in updates[item.id]) > item.cost_mnt,
        )
        for item in items
    ]
