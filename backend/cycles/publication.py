"""Publishing a round's results to viewers, and withdrawing a publication with a reason.

`Cycle.published_at` is what every surface asks (`access.round_visible`); each publication and
withdrawal is kept in `CyclePublication` with who and when, a withdrawal with why, and audited.
A withdrawal reaches viewers' tablets as removals of the round's records at their next pull (a
change row only viewers receive); publishing again hands the round out again.
"""

from __future__ import annotations

import uuid

from sqlalchemy import Uuid, func, literal, select, union_all, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem, ActionUpdate, InterfaceMeeting
from backend.auth import audit
from backend.auth.policy import Principal
from backend.cycles import service as cycles
from backend.cycles.models import Cycle, CycleIndicator, CyclePublication
from backend.cycles.schemas import PublicationOut
from backend.errors import Conflict, InvalidInput
from backend.facilities.models import Facility
from backend.reviews import pieces
from backend.sync.models import Change

CYCLE_PUBLISHED = "cycle.published"
CYCLE_WITHDRAWN = "cycle.withdrawn"
# the feed's audience of a withdrawal's removals (backend/sync/scope.py)
WITHDRAWN = "withdrawn"


class NotPublished(Conflict):
    code, title = "cycle.not_published", "The round is not published"


class ReasonRequired(InvalidInput):
    code = "cycle.reason_required"


async def publish(db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID) -> Cycle:
    """Results reach viewers from now on."""
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id, lock=True)
    if cycle.published_at is None:
        cycle.published_at = func.now()
        db.add(
            CyclePublication(cycle_id=cycle.id, action="published", changed_by=principal.user_id)
        )
        await audit.record(db, CYCLE_PUBLISHED, actor_id=principal.user_id, cycle_id=str(cycle.id))
        await _name_again(db, cycle.id)
        await db.flush()
        await db.refresh(cycle)
    return cycle


async def withdraw(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID, reason: str
) -> Cycle:
    """Viewers stop reading the round: its pages, figures, downloads and roll-ups leave them at
    once, and their tablets remove its records at the next pull."""
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id, lock=True)
    reason = reason.strip()
    if not pieces.visible(reason):
        raise ReasonRequired("A withdrawn publication says why.", field="reason")
    if cycle.published_at is None:
        raise NotPublished("The round is not published; there is nothing to withdraw.")
    cycle.published_at = None
    db.add(
        CyclePublication(
            cycle_id=cycle.id, action="withdrawn", reason=reason, changed_by=principal.user_id
        )
    )
    await audit.record(
        db, CYCLE_WITHDRAWN, actor_id=principal.user_id, cycle_id=str(cycle.id), reason=reason
    )
    await db.flush()
    await _removals(db, cycle)
    # a published round that followed this one no longer names it to viewers
    await _name_again(db, cycle.id)
    await db.refresh(cycle)
    return cycle


async def history(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID
) -> list[PublicationOut]:
    """Every publication and withdrawal of the round, oldest first."""
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
    rows = await db.scalars(
        select(CyclePublication)
        .where(CyclePublication.cycle_id == cycle.id)
        .order_by(CyclePublication.id)
    )
    return [
        PublicationOut(
            action=row.action,  # type: ignore[arg-type]
            reason=row.reason,
            changed_by=row.changed_by,
            changed_at=row.changed_at,
        )
        for row in rows
    ]


async def _name_again(db: AsyncSession, cycle_id: uuid.UUID) -> None:
    """Published rounds that followed this one are written again (the same value), so the feed
    hands them out again: viewers' tablets learn whether they may read the link to it."""
    await db.execute(
        update(Cycle)
        .where(Cycle.previous_cycle_id == cycle_id, Cycle.published_at.is_not(None))
        .values(previous_cycle_id=cycle_id)
        .execution_options(synchronize_session=False)  # the same value: nothing to sync
    )


async def _removals(db: AsyncSession, cycle: Cycle) -> None:
    """A change row per record of the round that viewers received (the round itself, its
    meetings, action items and their progress reports, its raised indicators), which only
    viewers receive, and as a removal."""
    area = select(Facility.area_code).where(Facility.id == cycle.facility_id).scalar_subquery()

    records = union_all(
        select(
            literal("cycle"),
            literal(str(cycle.id)),
            literal("delete"),
            literal(None, Change.version.type),
            literal(cycle.facility_id, Uuid()),
            area,
            literal(cycle.id, Uuid()),
            literal(WITHDRAWN),
        ),
        *(
            select(
                literal(model.__tablename__),
                func.cast(model.id, Change.record_id.type),
                literal("delete"),
                model.version,
                literal(cycle.facility_id, Uuid()),
                area,
                literal(cycle.id, Uuid()),
                literal(WITHDRAWN),
            ).where(model.cycle_id == cycle.id, model.deleted_at.is_(None))
            for model in (InterfaceMeeting, ActionItem, CycleIndicator)
        ),
        select(
            literal("action_update"),
            func.cast(ActionUpdate.id, Change.record_id.type),
            literal("delete"),
            ActionUpdate.version,
            literal(cycle.facility_id, Uuid()),
            area,
            literal(cycle.id, Uuid()),
            literal(WITHDRAWN),
        )
        .join(ActionItem, ActionItem.id == ActionUpdate.action_item_id)
        .where(ActionItem.cycle_id == cycle.id, ActionUpdate.deleted_at.is_(None)),
    )
    await db.execute(
        insert(Change).from_select(
            [
                "entity",
                "record_id",
                "op",
                "version",
                "facility_id",
                "area_code",
                "cycle_id",
                "audience",
            ],
            records,
        )
    )
