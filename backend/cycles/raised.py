"""A round's community-raised indicators as people read them: each one not merged into another,
with every group that raised it (its own and those of the indicators merged into it)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.access import MIN_GROUP_SIZE
from backend.auth.policy import Principal
from backend.cycles import service as cycles
from backend.cycles.models import Cycle, CycleIndicator
from backend.cycles.schemas import RaisedIndicatorOut
from backend.submissions.models import Submission

# which groups' words a reader may read in a round: None for every group (the programme's
# team); else the group types named
Shown = frozenset[str] | None
# which way is better as reports read it: a raised indicator's own direction, or "unknown"
# while nobody has set it; "none" where a direction has no meaning (a count)
Direction = Literal["higher", "lower", "none", "unknown"]
_SET: dict[str, Direction] = {"higher": "higher", "lower": "lower", "none": "none"}


def direction(better: str | None) -> Direction:
    """A raised indicator's direction as reports read it: never "higher" by default, since
    groups word their issues as problems."""
    return _SET.get(better or "", "unknown")


async def groups_shown(
    db: AsyncSession, principal: Principal, cycle_ids: set[uuid.UUID]
) -> dict[uuid.UUID, Shown]:
    """Which groups raised which issue is the community's own word, like its reasons: an
    outsider reads it once the round's reasons are reviewed, and then only of the group types
    that met in a group of a publishable size (a group of 3 is never named as raising an
    issue, however it was reviewed)."""
    if not access.is_outsider(principal):
        return dict.fromkeys(cycle_ids)
    shown: dict[uuid.UUID, Shown] = {cycle_id: frozenset() for cycle_id in cycle_ids}
    reviewed = set(
        await db.scalars(
            select(Cycle.id).where(
                Cycle.id.in_(list(cycle_ids)), Cycle.reasons_reviewed_at.is_not(None)
            )
        )
    )
    if not reviewed:
        return shown
    met: dict[uuid.UUID, set[str]] = {cycle_id: set() for cycle_id in reviewed}
    for cycle_id, group_type in await db.execute(
        select(Submission.cycle_id, Submission.group["type"].astext)
        .where(
            Submission.cycle_id.in_(list(reviewed)),
            Submission.respondent == "community",
            Submission.deleted_at.is_(None),
            Submission.participants >= MIN_GROUP_SIZE,
        )
        .distinct()
    ):
        met[cycle_id].add(group_type)
    return shown | {cycle_id: frozenset(types) for cycle_id, types in met.items()}


def _named(groups: list[str], shown: Shown) -> list[str]:
    return list(groups) if shown is None else [group for group in groups if group in shown]


async def as_read(db: AsyncSession, principal: Principal, records: list[dict[str, Any]]) -> None:
    """Pulled records as this reader may read them: `raised_by` under the same rule as the
    API's (`groups_shown`)."""
    if not records or not access.is_outsider(principal):
        return
    shown = await groups_shown(
        db, principal, {uuid.UUID(str(record["cycle_id"])) for record in records}
    )
    for record in records:
        record["raised_by"] = _named(record["raised_by"], shown[uuid.UUID(str(record["cycle_id"]))])


async def consolidated(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID
) -> list[RaisedIndicatorOut]:
    await cycles.get(db, principal=principal, cycle_id=cycle_id)  # 404 if not visible
    rows = list(
        await db.scalars(
            select(CycleIndicator)
            .where(CycleIndicator.cycle_id == cycle_id, CycleIndicator.deleted_at.is_(None))
            .order_by(CycleIndicator.created_at, CycleIndicator.id)
        )
    )
    shown = await groups_shown(db, principal, {cycle_id})
    return stand(rows, shown=shown[cycle_id])


def stand(rows: list[CycleIndicator], *, shown: Shown) -> list[RaisedIndicatorOut]:
    """The indicators not merged into another, each with the groups and keys of every
    indicator merged into it, however many merges away; the groups named as the reader may
    read them (`groups_shown`), and the keys merged in only where some may be."""
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
                raised_by=_named(groups, shown),
                absorbed=[m.key for m in merged] if shown is None or shown else [],
                tag=row.tag,
                better=row.better,
            )
        )
    return out
