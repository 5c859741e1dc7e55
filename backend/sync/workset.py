"""The records one push works on: loaded and locked in bulk, changed in memory, written in bulk."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Uuid,
    any_,
    bindparam,
    func,
    insert,
    literal_column,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.policy import Principal
from backend.cycles.models import Cycle
from backend.facilities import service as facilities
from backend.facilities.models import Facility
from backend.scorecards.models import TemplateVersion
from backend.settings import DEFAULT_TIMEZONE
from backend.sync import entity as entities
from backend.sync.entity import CycleInfo, Source, SyncedEntity, Working
from backend.sync.models import Conflict, RecordVersion
from backend.sync.records import record_data, typed_values
from backend.sync.schemas import MutationIn
from backend.system import metrics


@dataclass
class Workset:
    """Everything one push reads, and everything it will write."""

    db: AsyncSession
    principal: Principal
    device_id: uuid.UUID | None
    records: dict[tuple[str, uuid.UUID], Working] = field(default_factory=dict)
    cycles: dict[uuid.UUID, CycleInfo] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    snapshots: dict[tuple[str, uuid.UUID, int], dict[str, Any] | None] = field(default_factory=dict)
    # (kind, id) of stored records whose ids this push's creates name: one id, one record
    taken: set[tuple[str, uuid.UUID]] = field(default_factory=set)
    # the programme's time zone: a reported date is judged by its calendar
    timezone: str = DEFAULT_TIMEZONE
    # the lists some fields' values come from, by (entity, field), loaded when first needed
    lists: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    # how the mutations arrive: a device's push, or a paper sheet typed at the console
    source: Source = "tablet"

    @property
    def today(self) -> date:
        return self.local_date(datetime.now(UTC))

    def local_date(self, moment: datetime) -> date:
        return moment.astimezone(ZoneInfo(self.timezone)).date()

    # -- reading ---------------------------------------------------------------------------------

    async def prefetch(self, mutations: list[MutationIn]) -> None:
        """Load and lock every record the push touches, and what they refer to, in bulk."""
        kinds = entities.registered()
        wanted: dict[str, set[uuid.UUID]] = {kind.name: set() for kind in kinds}
        cycle_ids: set[uuid.UUID] = set()
        created: set[uuid.UUID] = set()
        for mutation in mutations:
            record_id = uuid_or_none(mutation.id)
            mutated = entities.find(mutation.entity)
            if mutated is None or record_id is None:
                continue
            wanted[mutated.name].add(record_id)
            if mutation.op == "create":
                created.add(record_id)
            for key, referred in mutated.references.items():
                if (ref := uuid_or_none(mutation.data.get(key))) is not None:
                    wanted[referred].add(ref)
            if (ref := uuid_or_none(mutation.data.get("cycle_id"))) is not None:
                cycle_ids.add(ref)
        if created:
            # one statement of fixed shape (cached), the ids as one array parameter
            named = bindparam("created", list(created), type_=ARRAY(Uuid()))
            tables: list[Any] = [kind.model for kind in kinds]
            found = union_all(
                *(
                    select(literal_column(f"'{kind.name}'").label("entity"), table.id).where(
                        table.id == any_(named)
                    )
                    for kind, table in zip(kinds, tables, strict=True)
                )
            )
            self.taken = {(entity, record_id) for entity, record_id in await self.db.execute(found)}
        await self._load(wanted, cycle_ids)
        # and what those refer to in turn (a progress report's item's meeting)
        further: dict[str, set[uuid.UUID]] = {kind.name: set() for kind in kinds}
        for working in list(self.records.values()):
            for key, referred in working.kind.references.items():
                ref = uuid_or_none(working.values.get(key))
                if ref is not None and (referred, ref) not in self.records:
                    further[referred].add(ref)
        if any(further.values()):
            await self._load(further, set())

    async def load_lists(self, kind: SyncedEntity) -> None:
        """The lists the kind's listed fields take their values from, once per push."""
        for name, load in kind.listed.items():
            if (kind.name, name) not in self.lists:
                self.lists[(kind.name, name)] = frozenset(await load(self.db))

    async def load(self, kind: SyncedEntity, record_id: uuid.UUID) -> Working | None:
        """Load and lock one record, and its round, as a push would."""
        await self._load({kind.name: {record_id}}, set())
        return self.records.get((kind.name, record_id))

    async def load_all(self, kind: SyncedEntity, record_ids: set[uuid.UUID]) -> list[Working]:
        """Load and lock records of one kind, and their rounds, as a push would."""
        await self._load({kind.name: set(record_ids)}, set())
        return [
            working
            for record_id in sorted(record_ids)
            if (working := self.records.get((kind.name, record_id))) is not None
        ]

    async def _load(self, wanted: dict[str, set[uuid.UUID]], cycle_ids: set[uuid.UUID]) -> None:
        kinds = entities.registered()
        for kind in kinds:
            ids = sorted(wanted.get(kind.name, ()))
            if not ids:
                continue
            model: Any = kind.model
            # locked in id order, kind by kind, so concurrent pushes cannot deadlock
            rows = await self.db.scalars(
                select(model).where(model.id.in_(ids)).order_by(model.id).with_for_update()
            )
            for row in rows:
                # a record without a round of its own (a progress report) has none to load
                cycle_id = getattr(row, "cycle_id", None)
                if cycle_id is not None:
                    cycle_ids.add(cycle_id)
                self.records[(kind.name, row.id)] = _working(kind, row)
        for kind in kinds:
            held = [w.id for w in self.records.values() if w.kind is kind]
            if not held:
                continue
            model = kind.model
            # a record the pusher may not see is answered as if it did not exist
            visible = set(
                await self.db.scalars(
                    select(model.id).where(model.id.in_(held), kind.visible(self.principal))
                )
            )
            for working in self.records.values():
                if working.kind is kind:
                    working.in_scope = working.id in visible
        if cycle_ids:
            cycles = (
                await self.db.execute(
                    select(Cycle.id, Cycle.facility_id, Cycle.phase, Cycle.template_version_id)
                    .join(Facility, Facility.id == Cycle.facility_id)
                    .where(Cycle.id.in_(cycle_ids), facilities.in_scope(self.principal))
                    # held until the push commits: a round is not closed half-way through it
                    .with_for_update(read=True, of=Cycle)
                )
            ).all()
            versions = {
                version.id: version
                for version in await self.db.scalars(
                    select(TemplateVersion).where(
                        TemplateVersion.id.in_({row.template_version_id for row in cycles})
                    )
                )
            }
            for cycle_id, facility_id, phase, version_id in cycles:
                self.cycles[cycle_id] = CycleInfo(facility_id, phase, versions[version_id])
            for kind in kinds:
                if not kind.loaded_with_round or not self.cycles:
                    continue
                model = kind.model
                # held until the push commits: checks made against them (a merge's target
                # stands) cannot be undone by a concurrent push
                rows = await self.db.scalars(
                    select(model)
                    .where(model.cycle_id.in_(list(self.cycles)))
                    .order_by(model.id)
                    .with_for_update(read=True)
                )
                for row in rows:
                    self.records.setdefault((kind.name, row.id), _working(kind, row))

    async def _snapshot(self, working: Working, version: int) -> dict[str, Any] | None:
        key = (working.kind.name, working.id, version)
        if key not in self.snapshots:
            self.snapshots[key] = await self.db.scalar(
                select(RecordVersion.snapshot).where(
                    RecordVersion.entity == working.kind.name,
                    RecordVersion.record_id == working.id,
                    RecordVersion.version == version,
                )
            )
        return self.snapshots[key]

    # -- recording -------------------------------------------------------------------------------
    def _remember(
        self,
        working: Working,
        changed: dict[str, Any],
        mutation_id: int | None,
        *,
        sent: dict[str, Any] | None = None,
        deleted: bool = False,
    ) -> None:
        snapshot = dict(working.values)
        self.snapshots[(working.kind.name, working.id, working.version)] = snapshot
        self.history.append(
            {
                "entity": working.kind.name,
                "record_id": working.id,
                "version": working.version,
                "changed": changed,
                "snapshot": snapshot,
                "sent": sent,
                "deleted": deleted,
                "user_id": self.principal.user_id,
                "device_id": self.device_id,
                "mutation_id": mutation_id,
            }
        )

    def follow(self, working: Working, values: dict[str, Any]) -> None:
        """A version the server makes as the consequence of another record (Context.follow)."""
        changed = {name: value for name, value in values.items() if working.values[name] != value}
        if not changed:
            return
        working.values = {**working.values, **changed}
        working.version += 1
        working.dirty = True
        working.changed_fields |= set(changed)
        # no device sent this: later edits from older versions merge against the stored copy
        self._remember(working, changed, None)

    async def sent_since(
        self, working: Working, version: int, device_id: uuid.UUID | None
    ) -> list[dict[str, Any]]:
        """What a device sent for the record after `version`, oldest first: stored versions,
        then this push's own (all from the pushing device)."""
        stored = await self.db.scalars(
            select(RecordVersion.sent)
            .where(
                RecordVersion.entity == working.kind.name,
                RecordVersion.record_id == working.id,
                RecordVersion.device_id == device_id,
                RecordVersion.version > version,
                RecordVersion.sent.is_not(None),
            )
            .order_by(RecordVersion.version)
        )
        ours = [
            entry["sent"]
            for entry in self.history
            if (entry["entity"], entry["record_id"]) == (working.kind.name, working.id)
            and entry["device_id"] == device_id
            and entry["version"] > version
            and entry["sent"] is not None
        ]
        return [sent for sent in (*stored, *ours) if sent is not None]

    def _conflict(
        self, working: Working, m: MutationIn, field: str, base: Any, server: Any, device: Any
    ) -> uuid.UUID:
        conflict_id = uuid.uuid4()
        self.conflicts.append(
            {
                "id": conflict_id,
                "entity": working.kind.name,
                "record_id": working.id,
                "facility_id": working.facility_id,
                "field": field,
                "base_value": base,
                "server_value": server,
                "device_value": device,
                "base_version": m.base_version,
                "server_version": working.version,
                "device_id": self.device_id,
                "user_id": self.principal.user_id,
                "mutation_id": m.mutation_id,
            }
        )
        return conflict_id

    # -- writing ---------------------------------------------------------------------------------
    async def flush(self) -> None:
        for kind in entities.registered():
            model: Any = kind.model
            dirty = [w for w in self.records.values() if w.kind is kind and w.dirty]
            fresh = [w for w in dirty if w.new]
            # changes to stored records go first: one the batch dropped or deleted gives up
            # what it held (a raised indicator's key) before a new one takes it
            for working in dirty:
                if working.new:
                    continue
                await self.db.execute(
                    update(model)
                    .where(model.id == working.id)
                    .values(
                        **typed_values(
                            kind,
                            {name: working.values[name] for name in working.changed_fields},
                            create=False,
                        ),
                        version=working.version,
                        updated_at=func.now(),
                        deleted_at=func.now() if working.deleted else None,
                    )
                )
            if fresh:
                await self.db.execute(insert(model), [self._row(w) for w in fresh])
        if self.history:
            await self.db.execute(insert(RecordVersion), self.history)
        if self.conflicts:
            await self.db.execute(insert(Conflict), self.conflicts)
            metrics.CONFLICTS_OPENED.inc(len(self.conflicts))

    def _row(self, working: Working) -> dict[str, Any]:
        row = typed_values(working.kind, working.values, create=True)
        row |= {
            "id": working.id,
            "version": working.version,
            "facility_id": working.facility_id,
            "created_by": working.created_by,
            "deleted_at": datetime.now(UTC) if working.deleted else None,
        }
        if working.content_hash is not None:
            row["content_hash"] = working.content_hash
        return row


def _working(kind: SyncedEntity, row: Any) -> Working:
    return Working(
        kind=kind,
        id=row.id,
        values=record_data(kind, row),
        version=row.version,
        deleted=row.deleted_at is not None,
        created_by=row.created_by,
        facility_id=row.facility_id,
        cycle_id=getattr(row, "cycle_id", None) or uuid.UUID(int=0),
        new=False,
        content_hash=getattr(row, "content_hash", None),
        created_at=row.created_at,
    )


def uuid_or_none(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            return None
    return None
