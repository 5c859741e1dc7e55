"""Cycles: opened by coordinators on a published template, moved forward phase by phase."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth import access, audit
from backend.auth.policy import Principal
from backend.cycles.models import Campaign, Cycle, CyclePhaseChange
from backend.cycles.phases import PHASES, is_forward
from backend.cycles.schemas import (
    CampaignIn,
    CampaignOut,
    CycleIn,
    CycleOut,
    CyclePage,
    PhaseChangeOut,
    PlannedGroup,
)
from backend.errors import Conflict, InvalidInput, NotFound
from backend.facilities import service as facilities
from backend.facilities.models import Facility
from backend.reminders import service as reminders
from backend.scorecards import service as templates
from backend.scorecards.models import TemplateVersion
from backend.web.pagination import PageRequest


class PhaseBackwards(Conflict):
    code, title = "cycle.phase_backwards", "Phases only move forward"


class NotBackwards(InvalidInput):
    code = "cycle.reopen_not_backwards"


class AlreadyOpen(Conflict):
    code, title = "cycle.already_open", "An open cycle exists for this facility and template"


class TemplateNotForFacility(InvalidInput):
    code = "cycle.template_not_for_facility"


CYCLE_REOPENED = "cycle.reopened"


def cycle_out(cycle: Cycle, *, previous_seen: Collection[uuid.UUID]) -> CycleOut:
    """The round as a caller reads it, naming its previous round only if that one is among
    those the caller may see (`previous_seen`)."""
    return CycleOut(
        id=cycle.id,
        facility_id=cycle.facility_id,
        template_version_id=cycle.template_version_id,
        label=cycle.label,
        label_en=cycle.label_en,
        phase=cycle.phase,
        previous_cycle_id=named_previous(cycle, previous_seen),
        campaign_id=cycle.campaign_id,
        planned_groups=msgspec.convert(cycle.planned_groups, list[PlannedGroup]),
        opened_at=cycle.opened_at,
        closed_at=cycle.closed_at,
        published_at=cycle.published_at,
        reasons_reviewed_at=cycle.reasons_reviewed_at,
    )


async def shown(db: AsyncSession, *, principal: Principal, cycle: Cycle) -> CycleOut:
    """One round as the caller reads it."""
    return cycle_out(cycle, previous_seen=await previous_seen(db, principal, [cycle]))


async def previous_seen(
    db: AsyncSession, principal: Principal, rounds: Iterable[Any]
) -> set[uuid.UUID]:
    """Of the rounds these rounds name as their previous one, those the caller may see. A
    round names its predecessor only to those who may see it: a viewer reading a published round
    must not learn that an unpublished one came before it, or its id."""
    named = {r.previous_cycle_id for r in rounds if r.previous_cycle_id is not None}
    if not named:
        return set()
    return set(await db.scalars(select(Cycle.id).where(Cycle.id.in_(named), _in_scope(principal))))


def named_previous(cycle: Any, seen: Collection[uuid.UUID]) -> uuid.UUID | None:
    """The round's previous round as a reader with `seen` (previous_seen) may read it."""
    return cycle.previous_cycle_id if cycle.previous_cycle_id in seen else None


def _in_scope(principal: Principal) -> ColumnElement[bool]:
    """Cycles are seen through their facility; viewers see published ones only."""
    return access.round_visible(principal)


async def _open_cycle_of(
    db: AsyncSession, facility_id: uuid.UUID, template_id: uuid.UUID
) -> Cycle | None:
    return await db.scalar(
        select(Cycle)
        .join(TemplateVersion, TemplateVersion.id == Cycle.template_version_id)
        .where(
            Cycle.facility_id == facility_id,
            TemplateVersion.template_id == template_id,
            Cycle.phase != "closed",
        )
        .limit(1)
    )


async def _previous_cycle(
    db: AsyncSession, facility_id: uuid.UUID, template_id: uuid.UUID
) -> uuid.UUID | None:
    """The latest earlier round at the same facility with the same template (any version)."""
    return await db.scalar(
        select(Cycle.id)
        .join(TemplateVersion, TemplateVersion.id == Cycle.template_version_id)
        .where(Cycle.facility_id == facility_id, TemplateVersion.template_id == template_id)
        .order_by(Cycle.opened_at.desc(), Cycle.id)
        .limit(1)
    )


def _check_fits(version: TemplateVersion, facility: Facility) -> None:
    if facility.type not in version.facility_types:
        raise TemplateNotForFacility(
            f"This template is for {', '.join(version.facility_types)}, not a {facility.type}.",
            field="template_version_id",
        )


async def _new_cycle(
    db: AsyncSession,
    *,
    facility: Facility,
    version: TemplateVersion,
    label: str,
    label_en: str | None,
    planned_groups: list[PlannedGroup],
    by: uuid.UUID,
    campaign_id: uuid.UUID | None = None,
) -> Cycle:
    cycle = Cycle(
        facility_id=facility.id,
        template_version_id=version.id,
        label=label,
        label_en=label_en,
        previous_cycle_id=await _previous_cycle(db, facility.id, version.template_id),
        campaign_id=campaign_id,
        planned_groups=msgspec.to_builtins(planned_groups),
        opened_by=by,
    )
    db.add(cycle)
    await db.flush()
    db.add(
        CyclePhaseChange(cycle_id=cycle.id, from_phase=None, to_phase="preparation", changed_by=by)
    )
    await db.flush()
    await db.refresh(cycle)
    return cycle


async def open_cycle(db: AsyncSession, *, principal: Principal, data: CycleIn) -> Cycle:
    facility = await facilities.get(db, principal=principal, facility_id=data.facility_id)
    version = await templates.published_version(db, data.template_version_id)
    _check_fits(version, facility)
    # one open round per facility and template: lock the facility so two openings serialize
    await db.execute(select(Facility.id).where(Facility.id == facility.id).with_for_update())
    if await _open_cycle_of(db, facility.id, version.template_id):
        raise AlreadyOpen("Close the running cycle of this template at this facility first.")
    return await _new_cycle(
        db,
        facility=facility,
        version=version,
        label=data.label,
        label_en=data.label_en,
        planned_groups=data.planned_groups,
        by=principal.user_id,
    )


async def open_campaign(db: AsyncSession, *, principal: Principal, data: CampaignIn) -> CampaignOut:
    version = await templates.published_version(db, data.template_version_id)
    if data.facility_type not in version.facility_types:
        raise TemplateNotForFacility(
            f"This template is for {', '.join(version.facility_types)}.", field="facility_type"
        )
    area = await db.get(Area, data.area_code.upper())
    if area is None:
        raise NotFound(f"No area {data.area_code}.", field="area_code")
    inside = select(Area.code).where(Area.lineage.contains([area.code]))
    targets = (
        await db.scalars(
            select(Facility)
            .where(
                Facility.type == data.facility_type,
                Facility.area_code.in_(inside),
                facilities.in_scope(principal),
            )
            .order_by(Facility.id)
            .with_for_update()
        )
    ).all()
    campaign = Campaign(
        label=data.label,
        label_en=data.label_en,
        template_version_id=version.id,
        area_code=area.code,
        facility_type=data.facility_type,
        opened_by=principal.user_id,
    )
    db.add(campaign)
    await db.flush()
    opened, skipped = [], []
    for facility in targets:
        if await _open_cycle_of(db, facility.id, version.template_id):
            skipped.append(facility.id)
            continue
        cycle = await _new_cycle(
            db,
            facility=facility,
            version=version,
            label=data.label,
            label_en=data.label_en,
            planned_groups=data.planned_groups,
            by=principal.user_id,
            campaign_id=campaign.id,
        )
        opened.append(cycle.id)
    return CampaignOut(id=campaign.id, opened=opened, skipped_open_already=skipped)


async def get(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID, lock: bool = False
) -> Cycle:
    query = select(Cycle).where(Cycle.id == cycle_id, _in_scope(principal))
    cycle = await db.scalar(query.with_for_update() if lock else query)
    if cycle is None:
        raise NotFound("No such cycle.")
    return cycle


async def list_cycles(
    db: AsyncSession,
    *,
    principal: Principal,
    page: PageRequest,
    facility_id: uuid.UUID | None,
    area: str | None,
    phase: str | None,
    open_only: bool,
) -> CyclePage:
    query = select(Cycle).where(_in_scope(principal))
    if facility_id:
        query = query.where(Cycle.facility_id == facility_id)
    if area:
        inside = select(Area.code).where(Area.lineage.contains([area.upper()]))
        query = query.where(
            Cycle.facility_id.in_(select(Facility.id).where(Facility.area_code.in_(inside)))
        )
    if phase:
        query = query.where(Cycle.phase == phase)
    if open_only:
        query = query.where(Cycle.phase != "closed")
    total = await db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await db.scalars(
        query.order_by(Cycle.opened_at.desc(), Cycle.id).limit(page.limit).offset(page.offset)
    )
    found = list(rows)
    seen = await previous_seen(db, principal, found)
    return CyclePage(
        items=[cycle_out(c, previous_seen=seen) for c in found],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


async def _move(
    db: AsyncSession, cycle: Cycle, to: str, *, by: uuid.UUID, reason: str | None = None
) -> None:
    db.add(
        CyclePhaseChange(
            cycle_id=cycle.id,
            from_phase=cycle.phase,
            to_phase=to,
            reopened=reason is not None,
            reason=reason,
            changed_by=by,
        )
    )
    cycle.phase = to
    cycle.closed_at = func.now() if to == "closed" else None
    await db.flush()
    await db.refresh(cycle)


async def advance(db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID, to: str) -> Cycle:
    cycle = await get(db, principal=principal, cycle_id=cycle_id, lock=True)
    if not is_forward(cycle.phase, to):
        raise PhaseBackwards(
            f"The cycle is in {cycle.phase}; it can move on to "
            f"{', '.join(PHASES[PHASES.index(cycle.phase) + 1 :]) or 'nothing'}, not {to}.",
            field="to",
        )
    before = cycle.phase
    await _move(db, cycle, to, by=principal.user_id)
    if reminders.comparison_becomes_ready(before, to):
        # in the move's own transaction: the message exists exactly when the move does
        await reminders.comparison_ready(db, cycle=cycle)
    return cycle


async def reopen(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID, to: str, reason: str
) -> Cycle:
    cycle = await get(db, principal=principal, cycle_id=cycle_id, lock=True)
    if not is_forward(to, cycle.phase):
        raise NotBackwards(f"{to} is not before {cycle.phase}; use advance.", field="to")
    before = cycle.phase
    await _move(db, cycle, to, by=principal.user_id, reason=reason)
    await audit.record(
        db,
        CYCLE_REOPENED,
        actor_id=principal.user_id,
        cycle_id=str(cycle.id),
        from_phase=before,
        to_phase=to,
        reason=reason,
    )
    return cycle


async def history(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID
) -> list[PhaseChangeOut]:
    cycle = await get(db, principal=principal, cycle_id=cycle_id)
    rows = await db.scalars(
        select(CyclePhaseChange)
        .where(CyclePhaseChange.cycle_id == cycle.id)
        .order_by(CyclePhaseChange.id)
    )
    return [
        PhaseChangeOut(
            from_phase=row.from_phase,
            to_phase=row.to_phase,
            reopened=row.reopened,
            reason=row.reason,
            changed_by=row.changed_by,
            changed_at=row.changed_at,
        )
        for row in rows
    ]


async def review_reasons(db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID) -> Cycle:
    """The round's community text was reviewed as a whole now (`backend/reviews/` passes the
    pieces it held)."""
    cycle = await get(db, principal=principal, cycle_id=cycle_id, lock=True)
    cycle.reasons_reviewed_at = func.now()
    await db.flush()
    await db.refresh(cycle)
    return cycle
