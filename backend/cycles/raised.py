"""A round's community-raised indicators as people read them: each one not merged into another,
with every group that raised it (its own and those of the indicators merged into it)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles import service as cycles
from backend.cycles.models import CycleIndicator
from backend.cycles.schemas import RaisedIndicatorOut


async def consolidated(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID
) -> list[RaisedIndicatorOut]:
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)  # 404 if not visible
    rows = list(
        await db.scalars(
            select(CycleIndicator)
            .where(CycleIndicator.cycle_id == cycle_id, CycleIndicator.deleted_at.is_(None))
            .order_by(CycleIndicator.created_at, CycleIndicator.id)
        )
    )
    return stand(rows, groups_shown=access.community_text_shown(principal, cycle))


def stand(rows: list[CycleIndicator], *, groups_shown: bool) -> list[RaisedIndicatorOut]:
    """The indicators not merged into another, each with the groups and keys of every
    indicator merged into it, however many merges away. Which groups raised what is the
    community's own word: shown to outsiders only once the round's reasons are reviewed."""
    by_id = {row.id: row for row in rows}

    def root(row: CycleIndicator) -> CycleIndicator:
        seen = set()
        while row.merged_into is not None and row.merged_into in by_id and row.id not in seen:
            seen.add(row.id)
            row = by_id[row.merged_into]
        return row

    absorbed: dict[uuid.UUID, list[CycleIndicator]] = {}
    for row in rows:
        if row.status == "merged":
            absorbed.setdefault(root(row).id, []).append(row)
    out = []
    for row in rows:
        if row.status == "merged":
            continue
        merged = absorbed.get(row.id, [])
        groups = list(dict.fromkeys([*row.raised_by, *(g for m in merged for g in m.raised_by)]))
        out.append(
            RaisedIndicatorOut(
                id=row.id,
                key=row.key,
                label_mn=row.label["mn"],
                label_en=row.label.get("en"),
                kind=row.kind,
                origin=row.origin,
                status=row.status,
                raised_by=groups if groups_shown else [],
                absorbed=[m.key for m in merged] if groups_shown else [],
                tag=row.tag,
            )
        )
    return out
