"""The reference seed: every soum and district with its codes, idempotent, and never a twin of
a soum the database already holds under a code of its own."""

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.importer import import_areas
from backend.areas.models import Area
from backend.areas.service import seed_reference
from backend.sync.models import Change
from tests.support.identity import make_facility

pytestmark = pytest.mark.asyncio


async def _areas(db: AsyncSession, *where: Any) -> dict[str, tuple[Any, ...]]:
    """code: (level, parent, name_mn, nso_code, pcode, aliases, lineage), read afresh."""
    rows = await db.execute(
        select(
            Area.code,
            Area.level,
            Area.parent_code,
            Area.name_mn,
            Area.nso_code,
            Area.pcode,
            Area.aliases,
            Area.lineage,
        ).where(*where)
    )
    return {code: tuple(rest) for code, *rest in rows}


async def _area_changes(db: AsyncSession) -> int:
    return await db.scalar(select(func.count()).where(Change.entity == "area")) or 0


async def test_the_seed_loads_331_soums_and_the_9_districts_with_their_codes(
    db: AsyncSession,
) -> None:
    levels = await seed_reference(db)
    assert (levels["soum"], levels["district"], levels.total()) == (331, 9, 363)
    units = await _areas(db, Area.level.in_(["soum", "district"]), Area.nso_code.is_not(None))
    assert len(units) == 340
    assert sum(1 for unit in units.values() if unit[0] == "soum") == 331
    without_pcode = {code for code, unit in units.items() if unit[4] is None}
    assert without_pcode == {"MN-071-18337", "MN-071-18340"}  # SOURCES.md: Tsengel, Tsagaannuur
    assert units["MN-046-18546"][:5] == ("soum", "MN-046", "Тэс", "18546", "MN8546")
    assert units["MN-046-18546"][6] == ["MN", "MN-046", "MN-046-18546"]
    assert units["MN-046-18501"][:5] == ("soum", "MN-046", "Улаангом", "18501", "MN8501")
    # the districts keep their codes and gain the office's
    assert units["MN-1-SK"][:5] == ("district", "MN-1", "Сонгинохайрхан", "51116", "MN1116")
    aimags = await _areas(db, Area.level == "aimag")
    assert aimags["MN-046"][3:5] == ("185", "MN85")
    assert all(aimag[3] and aimag[4] for aimag in aimags.values())
    assert {"Khuvsgul", "Khovsgol"} <= set(aimags["MN-041"][5])


async def test_a_second_seed_changes_nothing(db: AsyncSession) -> None:
    await seed_reference(db)
    before, changes = await _areas(db), await _area_changes(db)
    await seed_reference(db)
    assert await _areas(db) == before
    # an update that wrote the same values would still leave a row in the change feed
    assert await _area_changes(db) == changes


async def test_a_soum_held_under_another_code_keeps_it_and_gains_the_reference_codes(
    db: AsyncSession, tmp_path: Path
) -> None:
    # as an earlier demo and a file imported before the reference soums existed left them
    await db.execute(
        delete(Area).where(Area.code.in_(["MN-046-18501", "MN-046-18546", "MN-046-18540"]))
    )
    await db.execute(
        insert(Area).values(
            [
                {
                    "code": code,
                    "level": "soum",
                    "parent_code": "MN-046",
                    "name_mn": mn,
                    "name_en": en,
                    "lineage": ["MN", "MN-046", code],
                }
                for code, mn, en in (
                    ("MN-046-ULG", "Улаангом", "Ulaangom"),
                    ("MN-046-TES", "Тэс", "Tes"),
                )
            ]
        )
    )
    imported = tmp_path / "soums.csv"
    imported.write_text(
        "code,level,parent_code,name_mn,name_en,aliases\n"
        "MN-046-07,soum,MN-046,Тариалан,Tarialan soum,Tariyalan\n",
        encoding="utf-8",
    )
    assert (await import_areas(db, imported, skip_bad_rows=False)).applied
    # a facility stands in it: a seed that recoded the soum would break the reference
    await make_facility(db, area_code="MN-046-ULG")

    await seed_reference(db)
    uvs = await _areas(db, Area.parent_code == "MN-046")
    assert len(uvs) == 19  # no twins
    assert uvs["MN-046-ULG"][:5] == ("soum", "MN-046", "Улаангом", "18501", "MN8501")
    assert uvs["MN-046-ULG"][6] == ["MN", "MN-046", "MN-046-ULG"]
    assert uvs["MN-046-TES"][3:5] == ("18546", "MN8546")
    tarialan = uvs["MN-046-07"]
    assert tarialan[2:5] == ("Тариалан", "18540", "MN8540")
    assert tarialan[5][:2] == ["Tariyalan", "Tarialan"]  # its own alias first, then the office's
    assert not {"MN-046-18501", "MN-046-18546", "MN-046-18540"} & set(uvs)

    # found again by its NSO code, whatever its name has become since
    await db.execute(
        update(Area)
        .where(Area.code == "MN-046-ULG")
        .values(name_mn="Улаангом хот", name_en="Ulaangom town")
    )
    changes = await _area_changes(db)
    await seed_reference(db)
    assert len(await _areas(db, Area.parent_code == "MN-046")) == 19
    assert await _area_changes(db) == changes + 1  # Улаангом gains its old names as aliases
    again = await _areas(db, Area.parent_code == "MN-046")
    assert {"Улаангом", "Ulaangom"} <= set(again["MN-046-ULG"][5])
    await seed_reference(db)
    assert await _area_changes(db) == changes + 1
