"""Looking up the geography: aimags, districts, soums, bags, khoroos."""

from __future__ import annotations

from typing import Annotated

from litestar import get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, Parameter

from backend.areas import service as areas
from backend.areas.schemas import AreaOut, AreaPage
from backend.auth.policy import SIGNED_IN
from backend.database.session import DbSession
from backend.web.pagination import Offset, page_request


@get("/areas/v1", opt=SIGNED_IN, tags=["areas"])
async def list_areas(
    db: DbSession,
    state: State,
    parent: FromQuery[str | None] = None,
    level: FromQuery[str | None] = None,
    q: Annotated[str | None, Parameter(max_length=100)] = None,
    limit: Annotated[int | None, Parameter(ge=1)] = None,
    offset: Offset = 0,
) -> AreaPage:
    """Areas by parent, level or a piece of any name or alias (Увс, Uvs, Khövsgöl, Khuvsgul)."""
    return await areas.list_areas(
        db, page=page_request(state, limit, offset), parent=parent, level=level, text=q
    )


@get("/areas/v1/{code:str}", opt=SIGNED_IN, tags=["areas"])
async def get_area(db: DbSession, code: FromPath[str]) -> AreaOut:
    """An area by its code, or by any name or alias that names one area (Увс, Uvs, mn-046)."""
    return areas.area_out(await areas.resolve(db, code, field="code"))


ROUTES = [list_areas, get_area]
