"""Area queries and the reference-geography seed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.areas.reference import ReferenceArea, reference_areas
from backend.areas.schemas import AreaOut, AreaPage
from backend.areas.spellings import distinct, folded
from backend.database.session import upsert_changed
from backend.errors import NotFound
from backend.web.pagination import PageRequest


class Named(NamedTuple):
    """An area as its names find it."""

    code: str
    parent_code: str | None
    name_mn: str
    name_en: str
    aliases: list[str]
    lineage: list[str]
    nso_code: str | None


def _named() -> Select[Any]:
    return select(*(getattr(Area, column) for column in Named._fields))


async def _all_named(db: AsyncSession, query: Select[Any]) -> list[Named]:
    return [Named._make(row) for row in await db.execute(query)]


def area_out(area: Area) -> AreaOut:
    return AreaOut(
        code=area.code,
        level=area.level,
        parent_code=area.parent_code,
        name_mn=area.name_mn,
        name_en=area.name_en,
        iso_code=area.iso_code,
        aliases=list(area.aliases),
        nso_code=area.nso_code,
        pcode=area.pcode,
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


_REFERENCE_COLUMNS = ("level", "parent_code", "name_mn", "name_en", "aliases", "lineage")
_CODES = ("nso_code", "pcode")


async def seed_reference(db: AsyncSession) -> Counter[str]:
    """Insert or bring up to date the reference geography; how many areas of each level.

    A soum this database holds already under a code of its own (imported from a file, or an
    earlier demo's MN-046-ULG) keeps its row and code, which facilities, scopes and tablets
    name: it gains the NSO code, P-code and aliases, and no twin is made. Safe to run any
    number of times; a second run writes nothing."""
    areas = reference_areas()
    lineage: dict[str, list[str]] = {}
    for area in areas:
        lineage[area.code] = [*(lineage[area.parent] if area.parent else []), area.code]
    adopted = await _imported_soums(db, [area for area in areas if area.level == "soum"])
    await upsert_changed(
        db,
        Area,
        [_row(area, lineage[area.code]) for area in areas if area.code not in adopted],
        key=Area.code,
        columns=(*_REFERENCE_COLUMNS, *_CODES),
    )
    if adopted:
        rows = [_adopted_row(area, adopted[area.code]) for area in areas if area.code in adopted]
        await upsert_changed(db, Area, rows, key=Area.code, columns=("aliases", *_CODES))
    return Counter(area.level for area in areas)


def _row(area: ReferenceArea, lineage: list[str]) -> dict[str, Any]:
    return {
        "code": area.code,
        "level": area.level,
        "parent_code": area.parent,
        "name_mn": area.name_mn,
        "name_en": area.name_en,
        "iso_code": area.iso_code,
        "aliases": list(area.aliases),
        "lineage": lineage,
        "nso_code": area.nso_code,
        "pcode": area.pcode,
    }


def _adopted_row(area: ReferenceArea, row: Named) -> dict[str, Any]:
    """The soum's own row, with the reference codes and every spelling of both."""
    spellings = [*row.aliases, area.name_mn, area.name_en, *area.aliases]
    return {
        "code": row.code,
        "level": "soum",
        "parent_code": row.parent_code,
        "name_mn": row.name_mn,
        "name_en": row.name_en,
        "aliases": distinct(spellings, besides=(row.name_mn, row.name_en)),
        "lineage": row.lineage,
        "nso_code": area.nso_code,
        "pcode": area.pcode,
    }


def _name_key(name_mn: str) -> str:
    # the statistics office writes two soums as "Булган сум"; a file would say "Булган"
    return folded(name_mn.removesuffix(" сум"))


async def _imported_soums(db: AsyncSession, soums: Sequence[ReferenceArea]) -> dict[str, Named]:
    """The rows that are reference soums under another code, by the reference code: the row
    that has the soum's NSO code, or else the soum of the same aimag with the same Cyrillic
    name, unless the reference code is taken already."""
    rows = await _all_named(db, _named().where(Area.level == "soum").order_by(Area.code))
    codes = {row.code for row in rows}
    by_nso_code = {row.nso_code: row for row in rows if row.nso_code}
    by_name: dict[tuple[str | None, str], Named] = {}
    for row in rows:
        if row.nso_code is None:
            by_name.setdefault((row.parent_code, _name_key(row.name_mn)), row)
    adopted: dict[str, Named] = {}
    for soum in soums:
        held = by_nso_code.get(soum.nso_code) if soum.nso_code else None
        if held is None and soum.code not in codes:
            held = by_name.get((soum.parent, _name_key(soum.name_mn)))
        if held is not None and held.code != soum.code:
            adopted[soum.code] = held
    return adopted
