"""Records the demo programme writes, made by the rules a push applies to a tablet's record:
decoded by the entity's wire type, placed, checked (answers against the template, the
respondent against the author's role, a meeting of the item's own round), and stored with
their first version in the record's history."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import msgspec
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.settings import DEFAULT_TIMEZONE
from backend.sync.entity import CycleInfo, Source, SyncedEntity, Working
from backend.sync.models import RecordVersion
from backend.sync.records import typed_values
from backend.sync.rules import UnknownReference, creation

NOBODY = uuid.UUID(int=0)
PROGRAMME = ZoneInfo(DEFAULT_TIMEZONE)


@dataclass
class Desk:
    """Where the demo makes one round's records: the round as it was when they were made (its
    phase then, not now), and the records made so far, which later ones may refer to."""

    cycle_id: uuid.UUID
    round: CycleInfo
    author: uuid.UUID = NOBODY
    role: Role = Role.FACILITATOR
    made: dict[tuple[str, uuid.UUID], Working] = field(default_factory=dict)
    # records changed as the consequence of one just made, not yet written
    followed: list[tuple[Working, dict[str, Any]]] = field(default_factory=list)
    # the programme's date the records are made on
    today: date = field(default_factory=lambda: datetime.now(UTC).astimezone(PROGRAMME).date())
    # the demo's records stand for a tablet's
    source: Source = "tablet"

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(PROGRAMME).date()

    @property
    def principal(self) -> Principal:
        return Principal(
            user_id=self.author,
            username="demo",
            role=self.role,
            device_id=None,
            session_id=NOBODY,
            area_codes=(),
            facility_ids=(),
        )

    @property
    def cycles(self) -> Mapping[uuid.UUID, CycleInfo]:
        return {self.cycle_id: self.round}

    def cycle(self, cycle_id: uuid.UUID) -> CycleInfo:
        if cycle_id != self.cycle_id:
            raise UnknownReference("no such cycle", "data.cycle_id")
        return self.round

    def round_records(self, entity: str, cycle_id: uuid.UUID) -> list[Working]:
        return [
            w for (name, _), w in self.made.items() if name == entity and w.cycle_id == cycle_id
        ]

    def reference(self, entity: str, ref: uuid.UUID, field: str) -> Working:
        working = self.made.get((entity, ref))
        if working is None:
            raise UnknownReference(f"no such {entity}", field)
        return working

    def follow(self, working: Working, values: dict[str, Any]) -> None:
        changed = {name: value for name, value in values.items() if working.values[name] != value}
        if changed:
            working.values = {**working.values, **changed}
            working.version += 1
            self.followed.append((working, changed))


async def make(
    db: AsyncSession,
    desk: Desk,
    kind: SyncedEntity,
    data: dict[str, Any],
    *,
    author: uuid.UUID,
    role: Role,
    record_id: uuid.UUID | None = None,
) -> uuid.UUID:
    """One record of `kind` from the wire `data`, made by `author` in `role`; its id."""
    record_id = record_id or uuid.uuid4()
    desk.author, desk.role = author, role
    decoded = msgspec.convert(data, kind.create)
    placement, values, digest = creation(desk, kind, decoded)
    row = typed_values(kind, values, create=True) | {
        "id": record_id,
        "version": 1,
        "facility_id": placement.facility_id,
        "created_by": desk.author,
    }
    if digest is not None:
        row["content_hash"] = digest
    db.add(kind.model(**row))
    db.add(
        RecordVersion(
            entity=kind.name,
            record_id=record_id,
            version=1,
            changed=values,
            snapshot=values,
            user_id=desk.author,
        )
    )
    working = Working(
        kind=kind,
        id=record_id,
        values=values,
        version=1,
        deleted=False,
        created_by=desk.author,
        facility_id=placement.facility_id,
        cycle_id=placement.cycle_id,
        new=True,
    )
    desk.made[(kind.name, record_id)] = working
    if kind.after_create is not None:
        kind.after_create(desk, working, decoded)
    await db.flush()
    await write_followed(db, desk)
    return record_id


async def write_followed(db: AsyncSession, desk: Desk) -> None:
    """The changes records made on the records they refer to (Desk.follow), as new versions."""
    for followed, changed in desk.followed:
        model: Any = followed.kind.model
        await db.execute(
            update(model)
            .where(model.id == followed.id)
            .values(**typed_values(followed.kind, changed, create=False), version=followed.version)
        )
        db.add(
            RecordVersion(
                entity=followed.kind.name,
                record_id=followed.id,
                version=followed.version,
                changed=changed,
                snapshot=dict(followed.values),
                user_id=desk.author,
            )
        )
    desk.followed.clear()
    await db.flush()
