"""Approving a round's action plan, and revising what an approved item commits to.

The plan agreed at the interface meeting is approved, or returned with a reason, by the
facility head (the facility's provider account) or a coordinator of its area. Approval covers
the items not yet approved; what an approved item commits to (its cost, funding source, level
and responsible party) then changes only through a revision, kept with its reason. Both are
written as new versions of the synced items, so tablets learn of them on their next pull."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import array
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem, ActionRevision, PlanDecision
from backend.action_plans.schemas import DecisionOut, RevisionIn, RevisionOut
from backend.action_plans.sync import ACTION_ITEM, AGREED
from backend.auth import access, audit, writers
from backend.auth.policy import Principal
from backend.cycles import phases
from backend.cycles import service as cycles
from backend.errors import Conflict, InvalidInput, NotFound
from backend.sync.apply import Batch
from backend.sync.models import RecordVersion
from backend.sync.records import canonical

# the facility head (its provider account) or a coordinator of its area; an admin as well
DECIDERS = writers.WRITERS["action_item"]["approval"]
# who may revise an agreed item, with a reason: the deciders and the meeting's facilitators
REVISERS = writers.WRITERS["agreed_action_item"]["cost_mnt"]
# the plan is agreed at the interface meeting: there is none to decide on before it
FIRST_PHASE = "interface_meeting"


class NothingToDecide(Conflict):
    code = "plan.nothing_to_decide"


class PlanNotAgreed(Conflict):
    code = "plan.not_agreed"


class RoundClosed(Conflict):
    code = "plan.round_closed"


class PlanChanged(Conflict):
    code = "plan.changed"


class ReasonRequired(InvalidInput):
    code = "plan.reason_required"


class SameHands(Conflict):
    """Four eyes: a plan is approved by someone other than the last person who changed it,
    and never by someone who revised it."""

    code = "plan.four_eyes"


async def _hands(
    db: AsyncSession, item_ids: list[uuid.UUID]
) -> tuple[uuid.UUID | None, set[uuid.UUID]]:
    """Who last changed what the items commit to (a create counts), and who revised them."""
    last = await db.scalar(
        select(RecordVersion.user_id)
        .where(
            RecordVersion.entity == ACTION_ITEM.name,
            RecordVersion.record_id.in_(item_ids),
            RecordVersion.changed.has_any(array(AGREED)),
        )
        .order_by(RecordVersion.at.desc(), RecordVersion.id.desc())
        .limit(1)
    )
    revisers = set(
        await db.scalars(
            select(ActionRevision.revised_by).where(ActionRevision.action_item_id.in_(item_ids))
        )
    )
    return last, revisers


async def decide(
    db: AsyncSession,
    *,
    principal: Principal,
    cycle_id: uuid.UUID,
    decision: Literal["approved", "returned"],
    reason: str,
    read: dict[uuid.UUID, int],
) -> DecisionOut:
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
    if phases.position(cycle.phase) < phases.position(FIRST_PHASE):
        raise PlanNotAgreed("The plan is agreed at the interface meeting, which is still ahead.")
    if cycle.phase == "closed":
        raise RoundClosed("The round is closed; its plan no longer changes.")
    if decision == "returned" and not reason.strip():
        raise ReasonRequired("A returned plan says why.", field="reason")
    undecided = set(
        await db.scalars(
            select(ActionItem.id).where(
                ActionItem.cycle_id == cycle_id,
                ActionItem.deleted_at.is_(None),
                ActionItem.approval != "approved",
                access.action_item_visible(principal),
            )
        )
    )
    batch = Batch(db, principal, principal.device_id)
    items = [w for w in await batch.load_all(ACTION_ITEM, undecided) if not w.deleted]
    items = [w for w in items if w.values["approval"] != "approved"]
    if not items:
        raise NothingToDecide("Every item of this plan is approved already, or there is none.")
    if decision == "approved":
        last, revisers = await _hands(db, [w.id for w in items])
        if principal.user_id == last or principal.user_id in revisers:
            raise SameHands(
                "You changed this plan: another decider (the facility head or a coordinator "
                "of the area) approves it.",
            )
    now = {w.id: w.version for w in items}
    if now != read:
        # a decision covers what the decider read: an item added, changed or approved since
        # would otherwise be decided unseen
        raise PlanChanged(
            "The plan changed since it was read: read the items again and decide on them as "
            "they are now.",
            field="items",
        )
    for working in items:
        batch.follow(working, {"approval": decision})
    await batch.flush()
    row = PlanDecision(
        cycle_id=cycle_id,
        decision=decision,
        reason=reason.strip(),
        items=[w.id for w in items],
        decided_by=principal.user_id,
    )
    db.add(row)
    await db.flush()
    await audit.record(
        db,
        audit.PLAN_APPROVED if decision == "approved" else audit.PLAN_RETURNED,
        actor_id=principal.user_id,
        cycle_id=str(cycle_id),
        items=len(items),
    )
    await db.refresh(row)
    return _decision_out(row)


async def decisions(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID
) -> list[DecisionOut]:
    await cycles.get(db, principal=principal, cycle_id=cycle_id)
    rows = await db.scalars(
        select(PlanDecision)
        .where(PlanDecision.cycle_id == cycle_id)
        .order_by(PlanDecision.decided_at, PlanDecision.id)
    )
    return [_decision_out(row) for row in rows]


def _decision_out(row: PlanDecision) -> DecisionOut:
    return DecisionOut(
        id=row.id,
        cycle_id=row.cycle_id,
        decision=row.decision,
        reason=row.reason,
        items=list(row.items),
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )


async def revisions(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID
) -> list[RevisionOut]:
    """Every revision of the round's plan, with its reason: what the meeting agreed, and what
    changed since, by whom and why."""
    await cycles.get(db, principal=principal, cycle_id=cycle_id)
    rows = await db.execute(
        select(ActionRevision, ActionItem.version)
        .join(ActionItem, ActionItem.id == ActionRevision.action_item_id)
        .where(ActionItem.cycle_id == cycle_id, access.action_item_visible(principal))
        .order_by(ActionRevision.revised_at, ActionRevision.id)
    )
    return [_revision_out(row, version) for row, version in rows]


def _revision_out(row: ActionRevision, version: int) -> RevisionOut:
    return RevisionOut(
        id=row.id,
        action_item_id=row.action_item_id,
        before=row.before,
        after=row.after,
        reason=row.reason,
        revised_by=row.revised_by,
        revised_at=row.revised_at,
        version=version,
    )


async def revise(
    db: AsyncSession, *, principal: Principal, item_id: uuid.UUID, data: RevisionIn
) -> RevisionOut:
    batch = Batch(db, principal, principal.device_id)
    working = await batch.load(ACTION_ITEM, item_id)
    if working is None or not working.in_scope or working.deleted:
        raise NotFound("No such action item.")
    round_info = batch.cycles.get(working.cycle_id)
    if round_info is not None and round_info.phase == "closed":
        raise RoundClosed("The round is closed; its plan no longer changes.")
    if not data.reason.strip():
        raise ReasonRequired("A revision says why.", field="reason")
    after: dict[str, Any] = {
        name: value
        for name in AGREED
        if (value := canonical(getattr(data, name))) is not None and value != working.values[name]
    }
    if not after:
        raise InvalidInput(
            "A revision changes what the item commits to: its words, due date, money, level "
            "or responsible party.",
            field="cost_mnt",
        )
    before = {name: working.values[name] for name in after}
    batch.follow(working, after)
    await batch.flush()
    row = ActionRevision(
        action_item_id=item_id,
        before=before,
        after=after,
        reason=data.reason.strip(),
        revised_by=principal.user_id,
    )
    db.add(row)
    await db.flush()
    await audit.record(
        db, audit.ACTION_REVISED, actor_id=principal.user_id, action_item_id=str(item_id)
    )
    await db.refresh(row)
    return _revision_out(row, working.version)
