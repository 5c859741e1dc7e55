"""Area queries and the reference-geography seed."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.areas.reference import REFERENCE_AREAS


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
    statement = insert(Area).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[Area.code],
        set_={
            column: statement.excluded[column]
            for column in (
                "level",
                "parent_code",
                "name_mn",
                "name_en",
                "iso_code",
                "aliases",
                "lineage",
            )
        }
        | {"updated_at": func.now()},
        # leave untouched rows alone so a second seed writes nothing
        where=(
            Area.name_mn.is_distinct_from(statement.excluded.name_mn)
            | Area.name_en.is_distinct_from(statement.excluded.name_en)
            | Area.aliases.is_distinct_from(statement.excluded.aliases)
            | Area.parent_code.is_distinct_from(statement.excluded.parent_code)
            | Area.iso_code.is_distinct_from(statement.excluded.iso_code)
        ),
    )
    await db.execute(statement)
    return len(rows)


async def count(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).select_from(Area)) or 0
