"""Importing facilities from CSV, keyed by registry code: re-import updates, never duplicates.

Columns: registry_code, type, name_mn, name_en, area_code, and optionally
insurance_contracted (yes/no, true/false, 1/0, тийм/үгүй), latitude, longitude. Comma or
semicolon separated (Excel with the Mongolian list separator), UTF-8 with or without a byte
order mark; with semicolons a decimal comma is read as Excel writes it (49,98).

Imported by a coordinator (`principal`), every row stays within their areas: a row for an area
outside them, or for a registry code of a facility outside them, is a bad row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth.policy import Principal, areas_within, facility_in_scope
from backend.csvfiles import CsvRows, ImportReport
from backend.database.session import upsert_changed
from backend.facilities.models import FACILITY_TYPES, Facility

_TRUE = {"yes", "true", "1", "y", "тийм"}
_FALSE = {"no", "false", "0", "n", "үгүй", ""}
_BOUNDS = {"latitude": (41.5, 52.2), "longitude": (87.7, 120.0)}
_COLUMNS = (
    "type",
    "name_mn",
    "name_en",
    "area_code",
    "insurance_contracted",
    "latitude",
    "longitude",
)
REQUIRED = ("registry_code", "type", "name_mn", "name_en", "area_code")
OPTIONAL = ("insurance_contracted", "latitude", "longitude")


def _number(raw: str) -> float:
    """A number as a script or Excel writes it: 49.98, or 49,98 with a decimal comma."""
    if raw.count(",") == 1 and "." not in raw:
        raw = raw.replace(",", ".")
    return float(raw)


async def _scope(db: AsyncSession, principal: Principal | None) -> tuple[set[str] | None, set[str]]:
    """The areas the importer may import into (None: all), and the registry codes held by
    facilities outside the importer's scope."""
    if principal is None or principal.sees_everything:
        return None, set()
    mine = set(await db.scalars(areas_within(principal)))
    theirs = {
        code
        for code in await db.scalars(
            select(Facility.registry_code).where(
                Facility.registry_code.is_not(None),
                ~facility_in_scope(principal, Facility.id, Facility.area_code),
            )
        )
        if code
    }
    return mine, theirs


async def import_facilities(
    db: AsyncSession,
    source: Path | bytes,
    *,
    skip_bad_rows: bool,
    principal: Principal | None = None,
    name: str = "",
) -> ImportReport:
    """Every row checked, then all of them stored at once, or none of them if any is bad
    (unless `skip_bad_rows`); a file that cannot be read raises CsvFormatError."""
    rows = CsvRows(source, REQUIRED, OPTIONAL, name=name)
    areas = set(await db.scalars(select(Area.code)))
    mine, theirs = await _scope(db, principal)
    existing = set(
        await db.scalars(select(Facility.registry_code).where(Facility.registry_code.is_not(None)))
    )
    good: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    count = 0
    for line, row in rows:
        count += 1
        problems_before = len(rows.problems)
        registry = row["registry_code"]
        if not registry:
            rows.problem(line, "registry_code", "required", "заавал бөглөнө")
        elif registry in seen:
            rows.problem(
                line,
                "registry_code",
                f"{registry} already appears on line {seen[registry]}",
                f"{registry} код {seen[registry]}-р мөрөнд аль хэдийн байна",
            )
        elif registry in theirs:
            rows.problem(
                line,
                "registry_code",
                f"{registry} belongs to a facility outside your areas",
                f"{registry} код таны хариуцаагүй нутгийн байгууллагынх",
            )
        kind = row["type"].lower()
        if kind not in FACILITY_TYPES:
            rows.problem(
                line,
                "type",
                f"{row['type']!r}: expected one of {', '.join(FACILITY_TYPES)}",
                f"{row['type']!r}: дараахын нэг байх ёстой: {', '.join(FACILITY_TYPES)}",
            )
        for column in ("name_mn", "name_en"):
            if not row[column]:
                rows.problem(line, column, "required", "заавал бөглөнө")
        area = row["area_code"].upper()
        if area not in areas:
            rows.problem(
                line,
                "area_code",
                f"no area {row['area_code']!r}",
                f"{row['area_code']!r} кодтой нутаг дэвсгэр байхгүй",
            )
        elif mine is not None and area not in mine:
            rows.problem(
                line,
                "area_code",
                f"{area} is outside your areas",
                f"{area} таны хариуцсан нутаг дэвсгэрт хамаарахгүй",
            )
        flag = row.get("insurance_contracted", "").lower()
        if flag not in _TRUE | _FALSE:
            rows.problem(
                line,
                "insurance_contracted",
                f"{flag!r}: expected yes or no",
                f"{flag!r}: тийм эсвэл үгүй гэж бичнэ",
            )
        position: dict[str, float | None] = {}
        for column, (low, high) in _BOUNDS.items():
            raw = row.get(column, "")
            try:
                position[column] = _number(raw) if raw else None
            except ValueError:
                rows.problem(line, column, f"{raw!r} is not a number", f"{raw!r} тоо биш")
                continue
            value = position[column]
            if value is not None and not low <= value <= high:
                rows.problem(
                    line,
                    column,
                    f"{value} is outside Mongolia ({low}..{high})",
                    f"{value} нь Монголын нутгаас гадуур ({low}..{high})",
                )
        if (position.get("latitude") is None) != (position.get("longitude") is None):
            rows.problem(
                line,
                "longitude",
                "give both latitude and longitude, or neither",
                "өргөрөг, уртрагийг хоёуланг нь бичнэ, эсвэл аль алийг нь орхино",
            )
        if len(rows.problems) > problems_before:
            continue
        seen[registry] = line
        good.append(
            {
                "registry_code": registry,
                "type": kind,
                "name_mn": row["name_mn"],
                "name_en": row["name_en"],
                "area_code": area,
                "insurance_contracted": flag in _TRUE,
                "latitude": position["latitude"],
                "longitude": position["longitude"],
            }
        )
    apply = bool(good) and (not rows.problems or skip_bad_rows)
    touched: set[str] = set()
    if apply:
        touched = await upsert_changed(
            db, Facility, good, key=Facility.registry_code, columns=_COLUMNS
        )
    created = len(touched - existing)
    updated = len(touched & existing)
    return ImportReport(
        rows=count,
        created=created,
        updated=updated,
        unchanged=len(good) - created - updated if apply else 0,
        rejected=count - len(good),
        problems=rows.problems,
        applied=apply,
    )
