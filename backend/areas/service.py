"""Area queries, the one resolver of what people write for an area, and the reference seed."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Collection, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from backend.areas.models import Area
from backend.areas.reference import ReferenceArea, reference_areas
from backend.areas.schemas import AreaOut, AreaPage
from backend.areas.spellings import distinct, folded
from backend.database.session import upsert_changed
from backend.errors import InvalidInput, NotFound
from backend.web.pagination import PageRequest


class NoSuchArea(NotFound):
    code, title = "area.unknown", "No such area"


class AmbiguousArea(InvalidInput):
    code, title = "area.ambiguous", "The name fits several areas"


# Where a spelling names areas of several levels the highest is meant: "Sükhbaatar" is the
# aimag, not the capital's district or the soum in Selenge.
LEVELS_IN_ORDER = (("country",), ("aimag", "capital"), ("district",), ("soum",), ("bag", "khoroo"))
SUGGESTIONS = 5
# how alike a suggestion's spelling must be (difflib's ratio): Uvss finds Uvs (0.86), Ulangom
# Ulaangom (0.93), and Atlantis nothing
SIMILAR = 0.75


class Named(NamedTuple):
    """An area as its spellings find it."""

    code: str
    parent_code: str | None
    name_mn: str
    name_en: str
    aliases: list[str]
    lineage: list[str]
    nso_code: str | None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name_en, self.name_mn, *self.aliases)


def _named() -> Select[Any]:
    return select(*(getattr(Area, column) for column in Named._fields))


async def _all_named(db: AsyncSession, query: Select[Any]) -> list[Named]:
    return [Named._make(row) for row in await db.execute(query)]


async def resolve(db: AsyncSession, spelling: str, *, field: str = "area") -> Area:
    """The area meant by `spelling`: its code in any case (mn-046), or a name or alias in
    Cyrillic or Latin, with or without diacritics (Увс, Uvs, uvs, Khövsgöl, Khuvsgul)."""
    text = spelling.strip()
    area = await db.get(Area, text.upper())
    if area is not None:
        return area
    key = folded(text)
    seen: list[Named] = []
    for levels in LEVELS_IN_ORDER:
        rows = await _all_named(db, _named().where(Area.level.in_(levels)))
        named = [row for row in rows if key in {folded(name) for name in row.names}]
        if len(named) == 1:
            found = await db.get(Area, named[0].code)
            assert found is not None
            return found
        if named:
            raise AmbiguousArea(await _choices(db, text, named), field=field)
        seen += rows
    raise NoSuchArea(_unknown(text, seen), field=field)


async def resolve_code(db: AsyncSession, spelling: str | None) -> str | None:
    """The code of the area a query's optional `area=` names; no area, no filter."""
    return (await resolve(db, spelling)).code if spelling else None


async def _choices(db: AsyncSession, spelling: str, named: Sequence[Named]) -> str:
    parents: dict[str | None, str] = {
        code: name
        for code, name in await db.execute(
            select(Area.code, Area.name_en).where(Area.code.in_({row.parent_code for row in named}))
        )
    }
    choices = "; ".join(
        f"{row.code} {row.name_mn} / {row.name_en} in {parents.get(row.parent_code)} "
        f"({row.parent_code})"
        for row in sorted(named, key=lambda row: row.code)
    )
    return f"{spelling!r} names {len(named)} areas: {choices}. Give the code of the one meant."


def _unknown(spelling: str, rows: Sequence[Named]) -> str:
    """Up to five areas whose name or alias is close to the spelling."""
    areas_by_spelling: dict[str, Named] = {}
    for row in rows:
        for name in row.names:
            areas_by_spelling.setdefault(folded(name), row)
    close = difflib.get_close_matches(
        folded(spelling), areas_by_spelling, n=4 * SUGGESTIONS, cutoff=SIMILAR
    )
    suggested = distinct(
        f"{areas_by_spelling[key].name_en} ({areas_by_spelling[key].code})" for key in close
    )[:SUGGESTIONS]
    detail = f"No area is called {spelling!r}."
    if suggested:
        detail += f" Did you mean {', '.join(suggested)}?"
    return detail + " An area is named by its code (MN-046), its name or an alias."


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


async def by_codes(db: AsyncSession, codes: Collection[str]) -> dict[str, Area]:
    """Areas by code, for naming them on a page (one query)."""
    if not codes:
        return {}
    rows = await db.scalars(select(Area).where(Area.code.in_(list(codes))))
    return {area.code: area for area in rows}


async def children(db: AsyncSession, parent: str | None) -> list[tuple[Area, int]]:
    """The areas directly under `parent` (the top: those without one), each with how many
    areas lie directly under it, by code."""
    child = aliased(Area)
    below = select(func.count()).where(child.parent_code == Area.code).scalar_subquery()
    query = select(Area, below).order_by(Area.code)
    query = query.where(
        Area.parent_code == parent.upper() if parent else Area.parent_code.is_(None)
    )
    return [(area, count) for area, count in await db.execute(query)]
