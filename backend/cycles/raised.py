"""A round's community-raised indicators as people read them: each one not merged into another,
with every group that raised it (its own and those of the indicators merged into it)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.access import MIN_GROUP_SIZE
from backend.auth.policy import Principal
from backend.cycles import service as cycles
from backend.cycles.models import CycleIndicator
from backend.cycles.schemas import RaisedIndicatorOut
from backend.reviews import pieces
from backend.submissions.models import Submission

# which way is better as reports read it: a raised indicator's own direction, or "unknown"
# while nobody has set it; "none" where a direction has no meaning (a count)
Direction = Literal["higher", "lower", "none", "unknown"]
_SET: dict[str, Direction] = {"higher": "higher", "lower": "lower", "none": "none"}
# who raised an issue, as an outsider reads it where naming a group could point at one
COMMUNITY = "community"
# the words of a raised issue an outsider may not read yet
AWAITING = {
    "mn": "Иргэдийн дэвшүүлсэн асуудал (хянагдаж байна)",
    "en": "An issue raised by the community (awaiting review)",
}


def direction(better: str | None) -> Direction:
    """A raised indicator's direction as reports read it: never "higher" by default, since
    groups word their issues as problems."""
    return _SET.get(better or "", "unknown")


@dataclass(frozen=True, slots=True)
class Reading:
    """How one reader reads one round's raised issues (PRIVACY.md).

    The programme's team reads everything. An outsider reads an issue's words once a
    coordinator passed them (`backend/reviews/`), and until then a neutral label and key; reads
    which group types raised it only where no community group of the round was under the
    threshold (else every issue reads "raised by the community", never an empty list that
    would single out the small group's); and never reads dropped or merged-away records."""

    insider: bool
    passed: pieces.Passed
    small_group: bool

    def stands(self, row: CycleIndicator) -> bool:
        return self.insider or row.status in pieces.STANDING

    def words_shown(self, row: CycleIndicator) -> bool:
        return self.insider or row.origin != "community" or self.passed.shows_label(row)

    def key(self, row: CycleIndicator) -> str:
        return row.key if self.words_shown(row) else f"raised-{row.id.hex[:8]}"

    def label(self, row: CycleIndicator) -> dict[str, Any]:
        return dict(row.label) if self.words_shown(row) else dict(AWAITING)

    def raised_by(self, row: CycleIndicator, groups: list[str]) -> list[str]:
        if self.insider or row.origin != "community":
            return groups
        if self.small_group or not groups or not self.words_shown(row):
            return [COMMUNITY]
        return groups


INSIDER = Reading(insider=True, passed=pieces.Passed(True, frozenset()), small_group=False)


async def readings(
    db: AsyncSession, principal: Principal, cycle_ids: set[uuid.UUID]
) -> dict[uuid.UUID, Reading]:
    if not access.is_outsider(principal):
        return dict.fromkeys(cycle_ids, INSIDER)
    passed = await pieces.passed_for(db, principal, cycle_ids)
    small = set(
        await db.scalars(
            select(Submission.cycle_id)
            .where(
                Submission.cycle_id.in_(list(cycle_ids)),
                Submission.respondent == "community",
                Submission.deleted_at.is_(None),
                Submission.participants < MIN_GROUP_SIZE,
            )
            .distinct()
        )
    )
    return {
        cycle_id: Reading(insider=False, passed=passed, small_group=cycle_id in small)
        for cycle_id in cycle_ids
    }


async def as_read(
    db: AsyncSession, principal: Principal, records: dict[str, dict[str, Any]]
) -> set[str]:
    """Pulled records (by id) as this reader may read them (`Reading`); the ids of those not
    for the reader at all, which the pull hands out as removals."""
    if not records or not access.is_outsider(principal):
        return set()
    rows = {
        str(row.id): row
        for row in await db.scalars(
            select(CycleIndicator).where(CycleIndicator.id.in_([uuid.UUID(i) for i in records]))
        )
    }
    read = await readings(db, principal, {row.cycle_id for row in rows.values()})
    withheld: set[str] = set()
    for record_id, record in records.items():
        row = rows.get(record_id)
        if row is None:
            continue
        reading = read[row.cycle_id]
        if not reading.stands(row):
            withheld.add(record_id)
            continue
        record["key"] = reading.key(row)
        record["label"] = reading.label(row)
        record["raised_by"] = reading.raised_by(row, list(row.raised_by))
    return withheld


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
    reading = (await readings(db, principal, {cycle_id}))[cycle_id]
    return stand(rows, reading=reading)


def stand(rows: list[CycleIndicator], *, reading: Reading) -> list[RaisedIndicatorOut]:
    """The indicators not merged into another, each with the groups and keys of every
    indicator merged into it, however many merges away; each as the reader may read it
    (`Reading`): for an outsider, only those standing, and none of the keys merged in."""
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
        if row.status == "merged" or not reading.stands(row):
            continue
        merged = absorbed.get(row.id, [])
        groups = list(dict.fromkeys([*row.raised_by, *(g for m in merged for g in m.raised_by)]))
        out.append(
            RaisedIndicatorOut(
                id=row.id,
                key=reading.key(row),
                label_mn=reading.label(row)["mn"],
                label_en=reading.label(row).get("en"),
                kind=row.kind,
                origin=row.origin,
                status=row.status,
                raised_by=reading.raised_by(row, groups),
                absorbed=[m.key for m in merged] if reading.insider else [],
                tag=row.tag,
                better=row.better,
            )
        )
    return out
