"""Importing facilities from CSV, keyed by registry code: re-import updates, never duplicates.

Columns: registry_code, type, name_mn, name_en, area_code, and optionally
insurance_contracted (yes/no, true/false, 1/0, тийм/үгүй), latitude, longitude.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
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


async def import_facilities(db: AsyncSession, path: Path, *, skip_bad_rows: bool) -> ImportReport:
    rows = CsvRows(
        path,
        ("registry_code", "type", "name_mn", "name_en", "area_code"),
        ("insurance_contracted", "latitude", "longitude"),
    )
    areas = set(await db.scalars(select(Area.code)))
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
            rows.problem(line, "registry_code", "required")
        elif registry in seen:
            rows.problem(
                line, "registry_code", f"{registry} already appears on line {seen[registry]}"
            )
        kind = row["type"].lower()
        if kind not in FACILITY_TYPES:
            rows.problem(
                line, "type", f"{row['type']!r}: expected one of {', '.join(FACILITY_TYPES)}"
            )
        for column in ("name_mn", "name_en"):
            if not row[column]:
                rows.problem(line, column, "required")
        area = row["area_code"].upper()
        if area not in areas:
            rows.problem(line, "area_code", f"no area {row['area_code']!r}")
        flag = row.get("insurance_contracted", "").lower()
        if flag not in _TRUE | _FALSE:
            rows.problem(line, "insurance_contracted", f"{flag!r}: expected yes or no")
        position: dict[str, float | None] = {}
        for column, (low, high) in _BOUNDS.items():
            raw = row.get(column, "")
            try:
                position[column] = float(raw) if raw else None
            except ValueError:
                rows.problem(line, column, f"{raw!r} is not a number")
                continue
            value = position[column]
            if value is not None and not low <= value <= high:
                rows.problem(line, column, f"{value} is outside Mongolia ({low}..{high})")
        if (position.get("latitude") is None) != (position.get("longitude") is None):
            rows.problem(line, "longitude", "give both latitude and longitude, or neither")
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
