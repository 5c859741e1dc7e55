"""The records the sync engine carries, registered with it: those tablets write in the order
their rows are written (each after the records it refers to), and those they only receive."""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.sync import ACTION_ITEM, ACTION_UPDATE, MEETING
from backend.areas.models import Area
from backend.areas.schemas import AreaRecord
from backend.auth.policy import Principal
from backend.cycles import service as cycles
from backend.cycles.models import Cycle, RaisedTag
from backend.cycles.schemas import CycleRecord, RaisedTagRecord
from backend.cycles.sync import CYCLE_INDICATOR
from backend.facilities.models import Facility
from backend.facilities.schemas import FacilityRecord
from backend.scorecards.models import Template, TemplateVersion
from backend.scorecards.schemas import TemplateVersionRecord
from backend.submissions.sync import SUBMISSION
from backend.sync import entity
from backend.wire import Wire


async def _areas(db: AsyncSession, reader: Principal, codes: list[str]) -> Mapping[str, Wire]:
    rows = await db.scalars(select(Area).where(Area.code.in_(codes)))
    return {row.code: AreaRecord.of(row) for row in rows}


async def _facilities(db: AsyncSession, reader: Principal, ids: list[str]) -> Mapping[str, Wire]:
    rows = await db.scalars(select(Facility).where(Facility.id.in_([uuid.UUID(i) for i in ids])))
    return {str(row.id): FacilityRecord.of(row) for row in rows}


async def _cycles(db: AsyncSession, reader: Principal, ids: list[str]) -> Mapping[str, Wire]:
    rows = list(await db.scalars(select(Cycle).where(Cycle.id.in_([uuid.UUID(i) for i in ids]))))
    seen = await cycles.previous_seen(db, reader, rows)
    return {
        str(row.id): CycleRecord.of(row, previous_cycle_id=cycles.named_previous(row, seen))
        for row in rows
    }


async def _template_versions(
    db: AsyncSession, reader: Principal, ids: list[str]
) -> Mapping[str, Wire]:
    rows = await db.execute(
        select(TemplateVersion, Template.key)
        .join(Template, Template.id == TemplateVersion.template_id)
        .where(TemplateVersion.id.in_([uuid.UUID(i) for i in ids]))
    )
    return {str(version.id): TemplateVersionRecord.of(version, key) for version, key in rows}


async def _raised_tags(db: AsyncSession, reader: Principal, keys: list[str]) -> Mapping[str, Wire]:
    rows = await db.scalars(select(RaisedTag).where(RaisedTag.key.in_(keys)))
    return {row.key: RaisedTagRecord.of(row) for row in rows}


for synced in (MEETING, ACTION_ITEM, ACTION_UPDATE, CYCLE_INDICATOR, SUBMISSION):
    entity.register(synced)
for pulled in (
    entity.PulledEntity("area", _areas),
    entity.PulledEntity("facility", _facilities),
    entity.PulledEntity("cycle", _cycles),
    entity.PulledEntity("template_version", _template_versions),
    entity.PulledEntity("raised_tag", _raised_tags),
):
    entity.register_pulled(pulled)
