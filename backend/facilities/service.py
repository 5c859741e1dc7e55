"""Facilities: registered by coordinators, seen by everyone whose scope covers them."""

from __future__ import annotations

import uuid
from collections.abc import Collection

import msgspec
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.areas.service import like_escape
from backend.auth.policy import Forbidden, Principal, areas_within, facility_in_scope
from backend.errors import Conflict, InvalidInput, NotFound
from backend.facilities.models import Facility
from backend.facilities.schemas import FacilityIn, FacilityOut, FacilityPage, FacilityUpdate
from backend.web.pagination import PageRequest


class RegistryCodeTaken(Conflict):
    code = "facility.registry_code_taken"


class UnknownArea(InvalidInput):
    code = "facility.unknown_area"


class AreaOutOfScope(Forbidden):
    code = "auth.area_out_of_scope"


def facility_out(facility: Facility) -> FacilityOut:
    return FacilityOut(
        id=facility.id,
        type=facility.type,
        name_mn=facility.name_mn,
        name_en=facility.name_en,
        area_code=facility.area_code,
        registry_code=facility.registry_code,
        insurance_contracted=facility.insurance_contracted,
        latitude=facility.latitude,
        longitude=facility.longitude,
    )


def in_scope(principal: Principal) -> ColumnElement[bool]:
    return facility_in_scope(principal, Facility.id, Facility.area_code)


async def list_facilities(
    db: AsyncSession,
    *,
    principal: Principal,
    page: PageRequest,
    area: str | None,
    kind: str | None,
    text: str | None,
) -> FacilityPage:
    query = select(Facility).where(in_scope(principal))
    if area:
        inside = select(Area.code).where(Area.lineage.contains([area.upper()]))
        query = query.where(Facility.area_code.in_(inside))
    if kind:
        query = query.where(Facility.type == kind)
    if text:
        pattern = f"%{like_escape(text)}%"
        query = query.where(
            or_(
                Facility.name_mn.ilike(pattern),
                Facility.name_en.ilike(pattern),
                Facility.registry_code.ilike(pattern),
            )
        )
    total = await db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await db.scalars(
        query.order_by(Facility.name_en, Facility.id).limit(page.limit).offset(page.offset)
    )
    return FacilityPage(
        items=[facility_out(f) for f in rows], total=total, limit=page.limit, offset=page.offset
    )


async def get(db: AsyncSession, *, principal: Principal, facility_id: uuid.UUID) -> Facility:
    """The facility, if the principal may see it; otherwise 404 as if it did not exist."""
    facility = await db.scalar(
        select(Facility).where(Facility.id == facility_id, in_scope(principal))
    )
    if facility is None:
        raise NotFound("No such facility.")
    return facility


async def _check_area(db: AsyncSession, principal: Principal, area_code: str) -> str:
    area = await db.get(Area, area_code.upper())
    if area is None:
        raise UnknownArea(f"No area {area_code}.", field="area_code")
    if not principal.sees_everything:
        inside = await db.scalar(
            select(func.count()).where(
                Area.code == area.code, Area.code.in_(areas_within(principal))
            )
        )
        if not inside:
            raise AreaOutOfScope(f"{area.code} is outside your areas.", field="area_code")
    return area.code


async def _check_registry_code(
    db: AsyncSession, registry_code: str | None, facility_id: uuid.UUID | None = None
) -> None:
    if registry_code is None:
        return
    query = select(Facility.id).where(Facility.registry_code == registry_code)
    if facility_id is not None:
        query = query.where(Facility.id != facility_id)
    if await db.scalar(query):
        raise RegistryCodeTaken(
            f"Registry code {registry_code} belongs to another facility.", field="registry_code"
        )


async def create(db: AsyncSession, *, principal: Principal, data: FacilityIn) -> Facility:
    area_code = await _check_area(db, principal, data.area_code)
    await _check_registry_code(db, data.registry_code)
    facility = Facility(**msgspec.structs.asdict(data) | {"area_code": area_code})
    db.add(facility)
    await db.flush()
    return facility


async def update(
    db: AsyncSession, *, principal: Principal, facility_id: uuid.UUID, data: FacilityUpdate
) -> Facility:
    facility = await get(db, principal=principal, facility_id=facility_id)
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    if "area_code" in changes:
        changes["area_code"] = await _check_area(db, principal, changes["area_code"])
    if "registry_code" in changes:
        await _check_registry_code(db, changes["registry_code"], facility.id)
    for name, value in changes.items():
        setattr(facility, name, value)
    await db.flush()
    return facility


async def by_ids(
    db: AsyncSession, *, principal: Principal, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Facility]:
    """The facilities among `ids` the principal may see, by id (one query for a page's list)."""
    if not ids:
        return {}
    rows = await db.scalars(select(Facility).where(Facility.id.in_(list(ids)), in_scope(principal)))
    return {facility.id: facility for facility in rows}


async def counts_within(
    db: AsyncSession, *, principal: Principal, codes: Collection[str]
) -> dict[str, int]:
    """How many facilities the principal may see lie in each of these areas (anywhere below
    it), by area code."""
    if not codes:
        return {}
    within = func.unnest(Area.lineage).label("code")
    inside = (
        select(within, Facility.id)
        .join(Area, Area.code == Facility.area_code)
        .where(in_scope(principal))
        .subquery()
    )
    rows = await db.execute(
        select(inside.c.code, func.count())
        .where(inside.c.code.in_(list(codes)))
        .group_by(inside.c.code)
    )
    return {code: count for code, count in rows}


async def by_registry_codes(
    db: AsyncSession, *, principal: Principal, codes: Collection[str]
) -> dict[str, Facility]:
    """The facilities among these registry codes the principal may see, by registry code."""
    if not codes:
        return {}
    rows = await db.scalars(
        select(Facility).where(Facility.registry_code.in_(list(codes)), in_scope(principal))
    )
    return {facility.registry_code: facility for facility in rows if facility.registry_code}
