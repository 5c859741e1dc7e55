"""Importing soums, bags and khoroos from CSV: hierarchical, idempotent, all-or-nothing by default.

Columns: code, level, parent_code, name_mn, name_en, and optionally aliases (separated by `;`).
A soum sits in an aimag, a bag in a soum, a khoroo in a district of the capital.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.csvfiles import CsvRows, ImportReport
from backend.database.session import upsert_changed

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")
PARENT_LEVELS = {"soum": {"aimag"}, "bag": {"soum"}, "khoroo": {"district"}}


async def import_areas(
    db: AsyncSession, source: Path | bytes, *, skip_bad_rows: bool
) -> ImportReport:
    rows = CsvRows(source, ("code", "level", "parent_code", "name_mn", "name_en"), ("aliases",))
    existing = {
        code: (level, lineage)
        for code, level, lineage in await db.execute(select(Area.code, Area.level, Area.lineage))
    }
    candidates: dict[str, dict[str, Any]] = {}
    lines: dict[str, int] = {}
    count = 0
    for line, row in rows:
        count += 1
        code, level, parent = row["code"].upper(), row["level"].lower(), row["parent_code"].upper()
        bad = False
        if not CODE.match(code):
            rows.problem(line, "code", f"{row['code']!r} is not a code (A-Z, 0-9 and -)")
            bad = True
        elif code in lines:
            rows.problem(line, "code", f"{code} already appears on line {lines[code]}")
            bad = True
        elif code in existing and existing[code][0] not in PARENT_LEVELS:
            rows.problem(line, "code", f"{code} is a reference area and cannot be imported")
            bad = True
        if level not in PARENT_LEVELS:
            rows.problem(line, "level", f"{row['level']!r}: expected soum, bag or khoroo")
            bad = True
        for column in ("name_mn", "name_en"):
            if not row[column]:
                rows.problem(line, column, "required")
                bad = True
        if not parent:
            rows.problem(line, "parent_code", "required")
            bad = True
        if bad:
            continue
        lines[code] = line
        candidates[code] = {
            "code": code,
            "level": level,
            "parent_code": parent,
            "name_mn": row["name_mn"],
            "name_en": row["name_en"],
            "aliases": [
                alias.strip() for alias in row.get("aliases", "").split(";") if alias.strip()
            ],
        }

    # Each row's lineage comes through the database or through other rows of the file.
    resolved: dict[str, list[str]] = {}
    failed: set[str] = set()

    def resolve(code: str, trail: tuple[str, ...] = ()) -> list[str] | None:
        if code in resolved:
            return resolved[code]
        if code not in candidates:
            return existing[code][1] if code in existing else None
        if code in failed:
            return None
        row, line = candidates[code], lines[code]
        parent = row["parent_code"]
        parent_level = (
            candidates[parent]["level"]
            if parent in candidates
            else existing.get(parent, (None,))[0]
        )
        above = None
        if parent == code or parent in trail:
            rows.problem(line, "parent_code", "the parents form a loop")
        elif parent_level is None:
            rows.problem(line, "parent_code", f"no area {parent}")
        elif parent_level not in PARENT_LEVELS[row["level"]]:
            rows.problem(
                line, "parent_code", f"a {row['level']} cannot sit in a {parent_level} ({parent})"
            )
        else:
            above = resolve(parent, (*trail, code))
            if above is None:
                rows.problem(line, "parent_code", f"its parent {parent} was rejected")
        if above is None:
            failed.add(code)
            return None
        resolved[code] = [*above, code]
        return resolved[code]

    good = [
        candidates[code] | {"lineage": lineage}
        for code in candidates
        if (lineage := resolve(code)) is not None
    ]
    apply = bool(good) and (not rows.problems or skip_bad_rows)
    touched: set[str] = set()
    if apply:
        # parents before their children: write level by level, top down
        for depth in sorted({len(row["lineage"]) for row in good}):
            touched |= await upsert(db, [row for row in good if len(row["lineage"]) == depth])
    created = len(touched - set(existing))
    updated = len(touched & set(existing))
    return ImportReport(
        rows=count,
        created=created,
        updated=updated,
        unchanged=len(good) - created - updated if apply else 0,
        rejected=count - len(good),
        problems=sorted(rows.problems, key=lambda problem: problem.line),
        applied=apply,
    )


_COLUMNS = ("level", "parent_code", "name_mn", "name_en", "aliases", "lineage")


async def upsert(db: AsyncSession, rows: list[dict[str, Any]]) -> set[str]:
    """Insert new areas, update changed ones; returns the codes written."""
    return await upsert_changed(db, Area, rows, key=Area.code, columns=_COLUMNS)
