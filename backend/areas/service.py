"""Area queries and the reference-geography seed."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas import importer
from backend.areas.models import Area
from backend.areas.reference import REFERENCE_AREAS
from backend.areas.schemas import AreaOut, AreaPage
from backend.errors import NotFound
from backend.web.pagination import PageRequest


async def seed_reference(db: AsyncSession) -> int:
    """Insert or refresh the aimags and districts; safe to run any number of times."""
    lineage: dict[str, list[str]] = {}
    rows = []
    for area in REFERENCE_AREAS:
        lineage[area.code] = [*(lineage[area.parent] if area.parent else []), area.code]
        rows.append(
            {
                "code": area.code,
                "level": area.level,
                "parent_code": area.parent,
                "name_mn": area.name_mn,
                "name_en": area.name_en,
                "iso_code": area.iso_code,
                "aliases": list(area.aliases),
                "lineage": lineage[area.code],
            }
        )
    await importer.upsert(db, rows)
    return len(rows)


def area_out(area: Area) -> AreaOut:
    return AreaOut(
        code=area.code,
        level=area.level,
        parent_code=area.parent_code,
        name_mn=area.name_mn,
        name_en=area.name_en,
        iso_code=area.iso_code,
        aliases=list(area.aliases),
    )


async def list_areas(
    db: AsyncSession,
    *,
    page: PageRequest,
    parent: str | None,
    level: str | None,
    text: str | None,
) -> AreaPage:
    """Areas are public reference data: every signed-in user may look them up."""
    query = select(Area)
    if parent:
        query = query.where(Area.parent_code == parent.upper())
    if level:
        query = query.where(Area.level == level)
    if text:
        pattern = f"%{like_escape(text)}%"
        query = query.where(
            or_(
                Area.name_mn.ilike(pattern),
                Area.name_en.ilike(pattern),
                Area.code.ilike(pattern),
                func.array_to_string(Area.aliases, " ").ilike(pattern),
            )
        )
    total = await db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await db.scalars(query.order_by(Area.code).limit(page.limit).offset(page.offset))
    return AreaPage(
        items=[area_out(area) for area in rows], total=total, limit=page.limit, offset=page.offset
    )


async def get(db: AsyncSession, code: str) -> Area:
    area = await db.get(Area, code.upper())
    if area is None:
        raise NotFound(f"No area {code}.")
    return area


def like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
