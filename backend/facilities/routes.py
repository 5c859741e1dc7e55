"""Facilities: listed for everyone in scope, registered and edited by coordinators."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from backend.areas import service as areas
from backend.auth.models import Role
from backend.auth.policy import SIGNED_IN, CurrentPrincipal, allow
from backend.database.session import DbSession
from backend.facilities import service as facilities
from backend.facilities.schemas import FacilityIn, FacilityOut, FacilityPage, FacilityUpdate
from backend.web.pagination import Offset, page_request

MANAGERS = allow(Role.ADMIN, Role.COORDINATOR)


@get("/facilities/v1", opt=SIGNED_IN, tags=["facilities"])
async def list_facilities(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    area: FromQuery[str | None] = None,
    type: FromQuery[str | None] = None,
    q: Annotated[str | None, Parameter(max_length=100)] = None,
    limit: Annotated[int | None, Parameter(ge=1)] = None,
    offset: Offset = 0,
) -> FacilityPage:
    """Facilities in the caller's scope, by area (with everything below it), type or name."""
    return await facilities.list_facilities(
        db,
        principal=principal,
        page=page_request(state, limit, offset),
        area=await areas.resolve_code(db, area),
        kind=type,
        text=q,
    )


@get("/facilities/v1/{facility_id:uuid}", opt=SIGNED_IN, tags=["facilities"])
async def get_facility(
    db: DbSession, principal: CurrentPrincipal, facility_id: FromPath[uuid.UUID]
) -> FacilityOut:
    return facilities.facility_out(
        await facilities.get(db, principal=principal, facility_id=facility_id)
    )


@post("/facilities/v1", opt=MANAGERS, tags=["facilities"])
async def create_facility(
    db: DbSession, principal: CurrentPrincipal, data: JSONBody[FacilityIn]
) -> FacilityOut:
    return facilities.facility_out(await facilities.create(db, principal=principal, data=data))


@patch("/facilities/v1/{facility_id:uuid}", opt=MANAGERS, tags=["facilities"])
async def update_facility(
    db: DbSession,
    principal: CurrentPrincipal,
    facility_id: FromPath[uuid.UUID],
    data: JSONBody[FacilityUpdate],
) -> FacilityOut:
    facility = await facilities.update(db, principal=principal, facility_id=facility_id, data=data)
    return facilities.facility_out(facility)


ROUTES = [list_facilities, get_facility, create_facility, update_facility]
