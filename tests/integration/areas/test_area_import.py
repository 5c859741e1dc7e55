"""Importing soums and khoroos: hierarchical, idempotent, bad rows reported by line."""

from pathlib import Path

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.importer import import_areas
from backend.areas.models import Area
from backend.auth.models import Role
from tests.support.identity import headers_for, make_facility

pytestmark = pytest.mark.asyncio

HEADER = "code,level,parent_code,name_mn,name_en,aliases\n"
GOOD = (
    "MN-046-01,soum,MN-046,Улаангом,Ulaangom,Ulangom\n"
    "MN-046-01-01,bag,MN-046-01,1-р баг,Bag 1,\n"
    "MN-046-02,soum,MN-046,Тариалан,Tarialan,\n"
    "MN-1-SK-01,khoroo,MN-1-SK,1-р хороо,Khoroo 1,\n"
)


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "areas.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    return path


async def test_good_file_imports_with_lineage(db: AsyncSession, tmp_path: Path) -> None:
    report = await import_areas(db, _file(tmp_path, GOOD), skip_bad_rows=False)
    assert (report.rows, report.created, report.rejected, report.applied) == (4, 4, 0, True)
    bag = await db.get(Area, "MN-046-01-01")
    assert bag is not None
    assert bag.lineage == ["MN", "MN-046", "MN-046-01", "MN-046-01-01"]
    soum = await db.get(Area, "MN-046-01")
    assert soum is not None
    assert soum.aliases == ["Ulangom"]


async def test_reimport_is_idempotent(db: AsyncSession, tmp_path: Path) -> None:
    await import_areas(db, _file(tmp_path, GOOD), skip_bad_rows=False)
    again = await import_areas(db, _file(tmp_path, GOOD), skip_bad_rows=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    renamed = await import_areas(
        db, _file(tmp_path, GOOD.replace("Tarialan", "Tarialan soum")), skip_bad_rows=False
    )
    assert (renamed.created, renamed.updated, renamed.unchanged) == (0, 1, 3)


async def test_a_file_with_errors_changes_nothing(db: AsyncSession, tmp_path: Path) -> None:
    bad = GOOD + (
        "MN-046-03,soum,MN-999,Хаана,Nowhere,\n"  # line 6: no such parent
        "MN-046-04,khoroo,MN-046,Буруу,Wrong level,\n"  # line 7: a khoroo in an aimag
        "MN-046-01,soum,MN-046,Давхар,Duplicate,\n"  # line 8: duplicate code
        "mn 046,soum,MN-046,,Bad,\n"  # line 9: bad code, no Mongolian name
    )
    report = await import_areas(db, _file(tmp_path, bad), skip_bad_rows=False)
    assert not report.applied
    problems = {(p.line, p.column) for p in report.problems}
    assert {
        (6, "parent_code"),
        (7, "parent_code"),
        (8, "code"),
        (9, "code"),
        (9, "name_mn"),
    } <= problems
    assert await db.get(Area, "MN-046-01") is None


async def test_skip_bad_rows_imports_the_good_ones(db: AsyncSession, tmp_path: Path) -> None:
    bad = GOOD + "MN-046-03,soum,MN-999,Хаана,Nowhere,\n"
    report = await import_areas(db, _file(tmp_path, bad), skip_bad_rows=True)
    assert (report.applied, report.created, report.rejected) == (True, 4, 1)
    assert [p.line for p in report.problems] == [6]
    assert await db.get(Area, "MN-046-02") is not None


async def test_a_bag_whose_soum_was_rejected_is_rejected_too(
    db: AsyncSession, tmp_path: Path
) -> None:
    text = "MN-046-09,soum,MN-1-SK,Буруу,Wrong parent,\nMN-046-09-01,bag,MN-046-09,Баг,Bag,\n"
    report = await import_areas(db, _file(tmp_path, text), skip_bad_rows=True)
    assert report.rejected == 2
    assert [(p.line, p.column) for p in report.problems] == [(2, "parent_code"), (3, "parent_code")]


async def test_aimag_scope_covers_its_imported_soums(
    client: AsyncClient, db: AsyncSession, tmp_path: Path
) -> None:
    await import_areas(db, _file(tmp_path, GOOD), skip_bad_rows=False)
    await db.commit()
    school = await make_facility(db, area_code="MN-046-01-01", name="Bag school")
    headers = await headers_for(client, db, Role.MONITOR, areas=["MN-046"])
    response = await client.get(f"/facilities/v1/{school.id}", headers=headers)
    assert response.status_code == 200
    khovd = await headers_for(client, db, Role.MONITOR, areas=["MN-043"])
    assert (await client.get(f"/facilities/v1/{school.id}", headers=khovd)).status_code == 404


async def test_area_lookup_finds_aliases(client: AsyncClient, db: AsyncSession) -> None:
    headers = await headers_for(client, db, Role.VIEWER)
    for query in ("Khuvsgul", "Хөвсгөл", "khövsgöl"):
        found = await client.get("/areas/v1", params={"q": query}, headers=headers)
        # the aimag, and the soum of Dornogovi of the same name
        assert [a["code"] for a in found.json()["items"]] == ["MN-041", "MN-063-34437"], query
    districts = await client.get("/areas/v1", params={"parent": "MN-1"}, headers=headers)
    assert districts.json()["total"] == 9
    # "Sükhbaatar" is an aimag, a district and two soums: all come back, told apart by code
    every = await client.get("/areas/v1", params={"q": "Sukhbaatar"}, headers=headers)
    assert {a["code"] for a in every.json()["items"]} == {
        "MN-051",
        "MN-1-SB",
        "MN-049-34301",
        "MN-051-42222",
    }


async def test_unknown_columns_are_refused_before_any_row(db: AsyncSession, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("code,level,parent,name_mn,name_en\n", encoding="utf-8")
    from backend.csvfiles import CsvFormatError

    soums = select(func.count()).where(Area.level == "soum")
    before = await db.scalar(soums)
    with pytest.raises(CsvFormatError, match="missing columns parent_code"):
        await import_areas(db, path, skip_bad_rows=False)
    assert await db.scalar(soums) == before
