"""Push: a device's mutations applied in order, exactly once, each accepted or refused alone.

All of one push happens in the request's transaction: records are read (and locked) in bulk,
each mutation is decided in memory in mutation-id order, and the outcome is written in bulk at
the end. A database failure anywhere rolls the whole push back; the device retries it.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.cycles.models import Cycle
from backend.cycles.phases import SCORING_PHASES
from backend.facilities import service as facilities
from backend.facilities.models import Facility
from backend.scorecards import service as templates
from backend.scorecards.models import TemplateVersion
from backend.settings import Settings
from backend.sync import records
from backend.sync.errors import (
    BatchTooLarge,
    DeviceMismatch,
    DeviceRequired,
    MutationMismatch,
    UnsupportedProtocol,
)
from backend.sync.merge import merge_record
from backend.sync.models import Conflict, RecordVersion, SyncDevice, SyncMutation
from backend.sync.records import KINDS, RecordKind, canonical, typed_values
from backend.sync.schemas import (
    SUPPORTED_PROTOCOLS,
    ItemError,
    MutationIn,
    MutationResult,
    PushIn,
    PushOut,
)

# Kinds in the order their rows are written: each refers only to kinds before it.
WRITE_ORDER = ("interface_meeting", "action_item", "action_update", "submission")
CLOCK_AHEAD = timedelta(minutes=10)
CLOCK_BEHIND = timedelta(days=60)
SUBMITTERS = {
    "community": {Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.MONITOR},
    "monitor": {Role.ADMIN, Role.COORDINATOR, Role.MONITOR},
    "provider": {Role.ADMIN, Role.COORDINATOR, Role.PROVIDER},
}


class Rejected(Exception):
    """One mutation refused; the device's counter still moves past it."""

    def __init__(self, code: str, detail: str, field: str | None = None, errors=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(detail)
        self.error = ItemError(code=code, detail=detail, field=field, errors=errors)


def check_device(principal: Principal, device_id: uuid.UUID, protocol: int) -> None:
    if protocol not in SUPPORTED_PROTOCOLS:
        raise UnsupportedProtocol(
            f"Protocol {protocol} is not supported; this server speaks "
            f"{', '.join(map(str, sorted(SUPPORTED_PROTOCOLS)))}. Update the app."
        )
    if principal.device_id is None:
        raise DeviceRequired("Sign in from the tablet (with its device) to sync.")
    if principal.device_id != device_id:
        raise DeviceMismatch("This sign-in belongs to another device.", field="device_id")


def content_hash(mutation: MutationIn) -> str:
    content = {
        "entity": mutation.entity,
        "op": mutation.op,
        "id": mutation.id,
        "base_version": mutation.base_version,
        "data": mutation.data,
        "base": mutation.base,
    }
    return hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


@dataclass(slots=True)
class Working:
    """A record as this push sees it: loaded from the database or created by the push."""

    kind: RecordKind
    id: uuid.UUID
    values: dict[str, Any]
    version: int
    deleted: bool
    created_by: uuid.UUID
    facility_id: uuid.UUID
    cycle_id: uuid.UUID
    new: bool
    in_scope: bool = True
    dirty: bool = False
    content_hash: str | None = None
    changed_fields: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class CycleInfo:
    facility_id: uuid.UUID
    phase: str
    template_version_id: uuid.UUID


@dataclass
class Batch:
    db: AsyncSession
    principal: Principal
    device_id: uuid.UUID
    records: dict[tuple[str, uuid.UUID], Working] = field(default_factory=dict)
    cycles: dict[uuid.UUID, CycleInfo] = field(default_factory=dict)
    versions: dict[uuid.UUID, TemplateVersion] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    snapshots: dict[tuple[str, uuid.UUID, int], dict[str, Any]] = field(default_factory=dict)
    # versions this push wrote (all by this device)
    written: set[tuple[str, uuid.UUID, int]] = field(default_factory=set)

    # -- reading ---------------------------------------------------------------------------------

    async def prefetch(self, mutations: list[MutationIn]) -> None:
        """Load and lock every record the push touches, and what they refer to, in bulk."""
        wanted: dict[str, set[uuid.UUID]] = {name: set() for name in KINDS}
        cycle_ids: set[uuid.UUID] = set()
        for mutation in mutations:
            record_id = _uuid(mutation.id)
            if mutation.entity not in KINDS or record_id is None:
                continue
            wanted[mutation.entity].add(record_id)
            for key, kind in (
                ("meeting_id", "interface_meeting"),
                ("action_item_id", "action_item"),
            ):
                if (ref := _uuid(mutation.data.get(key))) is not None:
                    wanted[kind].add(ref)
            if (ref := _uuid(mutation.data.get("cycle_id"))) is not None:
                cycle_ids.add(ref)
        for name in WRITE_ORDER:
            ids = sorted(wanted[name])
            if not ids:
                continue
            kind = KINDS[name]
            model: Any = kind.model
            # locked in id order, kind by kind, so concurrent pushes cannot deadlock
            rows = await self.db.scalars(
                select(model).where(model.id.in_(ids)).order_by(model.id).with_for_update()
            )
            for row in rows:
                self.records[(name, row.id)] = Working(
                    kind=kind,
                    id=row.id,
                    values=records.record_data(kind, row),
                    version=row.version,
                    deleted=row.deleted_at is not None,
                    created_by=row.created_by,
                    facility_id=row.facility_id,
                    cycle_id=getattr(row, "cycle_id", None) or uuid.UUID(int=0),
                    new=False,
                    content_hash=getattr(row, "content_hash", None),
                )
        loaded = [w for w in self.records.values()]
        cycle_ids |= {w.cycle_id for w in loaded if w.kind.name != "action_update"}
        if loaded:
            visible = set(
                await self.db.scalars(
                    select(Facility.id).where(
                        Facility.id.in_({w.facility_id for w in loaded}),
                        facilities.in_scope(self.principal),
                    )
                )
            )
            for working in loaded:
                working.in_scope = working.facility_id in visible
        if cycle_ids:
            rows = await self.db.execute(
                select(Cycle.id, Cycle.facility_id, Cycle.phase, Cycle.template_version_id)
                .join(Facility, Facility.id == Cycle.facility_id)
                .where(Cycle.id.in_(cycle_ids), facilities.in_scope(self.principal))
            )
            for cycle_id, facility_id, phase, version_id in rows:
                self.cycles[cycle_id] = CycleInfo(facility_id, phase, version_id)
        version_ids = {info.template_version_id for info in self.cycles.values()}
        if version_ids:
            for version in await self.db.scalars(
                select(TemplateVersion).where(TemplateVersion.id.in_(version_ids))
            ):
                self.versions[version.id] = version

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

    # -- deciding --------------------------------------------------------------------------------

    async def apply(self, mutation: MutationIn) -> MutationResult:
        try:
            kind = KINDS.get(mutation.entity)
            if kind is None:
                raise Rejected(
                    "sync.unknown_entity", f"unknown entity {mutation.entity!r}", "entity"
                )
            record_id = _uuid(mutation.id)
            if record_id is None:
                raise Rejected("sync.bad_id", "the record id must be a UUID", "id")
            if self.principal.role not in kind.writers:
                raise Rejected("sync.not_allowed", f"a {self.principal.role} cannot write these")
            if mutation.op == "create":
                return self._create(kind, record_id, mutation)
            if mutation.op == "update":
                return await self._update(kind, record_id, mutation)
            if mutation.op == "delete":
                return self._delete(kind, record_id, mutation)
            raise Rejected("sync.unknown_op", f"unknown operation {mutation.op!r}", "op")
        except Rejected as refusal:
            return MutationResult(
                mutation_id=mutation.mutation_id,
                id=mutation.id,
                status="rejected",
                error=refusal.error,
            )

    def _decode(self, raw: dict[str, Any], into: type) -> Any:
        try:
            return msgspec.convert(raw, into)
        except msgspec.ValidationError as exc:
            message, _, path = str(exc).partition(" - at `$")
            raise Rejected("sync.invalid_data", message, "data" + path.rstrip("`")) from None

    def _cycle(self, cycle_id: uuid.UUID) -> CycleInfo:
        cycle = self.cycles.get(cycle_id)
        if cycle is None:
            raise Rejected("sync.unknown_reference", "no such cycle in your scope", "data.cycle_id")
        return cycle

    def _reference(self, kind: str, ref: uuid.UUID, field: str) -> Working:
        working = self.records.get((kind, ref))
        if working is None or not working.in_scope:
            raise Rejected("sync.unknown_reference", f"no such {kind} in your scope", field)
        if working.deleted:
            raise Rejected("sync.reference_deleted", f"the {kind} was deleted", field)
        return working

    def _check_answers(self, cycle: CycleInfo, respondent: str, answers: dict[str, Any]) -> None:
        version = self.versions[cycle.template_version_id]
        errors = templates.compiled(version).validate(answers, respondent=respondent)
        if errors:
            raise Rejected(
                "submission.invalid_answers",
                f"{len(errors)} answer(s) do not fit the template: {errors[0].message}",
                f"data.{errors[0].field}",
                [
                    {"field": f"data.{e.field}", "code": e.code, "message": e.message}
                    for e in errors
                ],
            )

    def _create(self, kind: RecordKind, record_id: uuid.UUID, m: MutationIn) -> MutationResult:
        data = self._decode(m.data, kind.create)
        if kind.name == "action_update":
            item = self._reference("action_item", data.action_item_id, "data.action_item_id")
            facility_id, cycle_id = item.facility_id, item.cycle_id
        else:
            cycle = self._cycle(data.cycle_id)
            facility_id, cycle_id = cycle.facility_id, data.cycle_id
        values = canonical(data)
        values["facility_id"] = str(facility_id)
        digest = None
        if kind.name == "submission":
            if self.principal.role not in SUBMITTERS[data.respondent]:
                raise Rejected(
                    "submission.respondent_not_allowed",
                    f"a {self.principal.role} cannot submit {data.respondent} scores",
                    "data.respondent",
                )
            for name, expected in (
                ("facility_id", cycle.facility_id),
                ("template_version_id", cycle.template_version_id),
            ):
                given = getattr(data, name)
                if given is not None and given != expected:
                    raise Rejected(
                        "submission.cycle_mismatch", f"{name} is not the cycle's", f"data.{name}"
                    )
            if cycle.phase == "closed":
                raise Rejected("submission.cycle_closed", "the cycle is closed", "data.cycle_id")
            self._check_answers(cycle, data.respondent, values["answers"])
            values["template_version_id"] = str(cycle.template_version_id)
            digest = hashlib.sha256(msgspec.json.encode(values, order="sorted")).hexdigest()
        elif kind.name == "action_item" and data.meeting_id is not None:
            meeting = self._reference("interface_meeting", data.meeting_id, "data.meeting_id")
            if meeting.cycle_id != data.cycle_id:
                raise Rejected(
                    "sync.reference_mismatch", "the meeting is of another cycle", "data.meeting_id"
                )
        values = {name: values.get(name) for name in kind.fields}

        existing = self.records.get((kind.name, record_id))
        if existing is not None:
            if existing.deleted:
                raise Rejected("sync.id_deleted", "this id belonged to a deleted record", "id")
            same = (
                existing.content_hash == digest if digest is not None else existing.values == values
            )
            if same and existing.in_scope:
                # the same record sent again, e.g. from a reinstalled tablet: stored once
                return MutationResult(
                    mutation_id=m.mutation_id,
                    id=m.id,
                    status="duplicate",
                    version=existing.version,
                    original_status="applied",
                )
            raise Rejected("sync.record_exists", "another record already has this id", "id")
        working = Working(
            kind=kind,
            id=record_id,
            values=values,
            version=1,
            deleted=False,
            created_by=self.principal.user_id,
            facility_id=facility_id,
            cycle_id=cycle_id,
            new=True,
            dirty=True,
            content_hash=digest,
        )
        self.records[(kind.name, record_id)] = working
        self._remember(working, values, m)
        return MutationResult(mutation_id=m.mutation_id, id=m.id, status="applied", version=1)

    def _existing(self, kind: RecordKind, record_id: uuid.UUID) -> Working:
        working = self.records.get((kind.name, record_id))
        if working is None or not working.in_scope:
            raise Rejected("sync.unknown_record", f"no such {kind.name} in your scope", "id")
        return working

    def _check_submission_edit(self, working: Working) -> None:
        if working.created_by != self.principal.user_id:
            raise Rejected("submission.not_author", "only its author may change a submission")
        cycle = self.cycles.get(working.cycle_id)
        if cycle is None or cycle.phase not in SCORING_PHASES:
            raise Rejected(
                "submission.cycle_not_scoring",
                "scores can change only while the cycle is in a scoring phase",
            )

    async def _update(
        self, kind: RecordKind, record_id: uuid.UUID, m: MutationIn
    ) -> MutationResult:
        if kind.append_only:
            raise Rejected("sync.append_only", f"a {kind.name} is never changed", "op")
        working = self._existing(kind, record_id)
        if m.base_version is None:
            raise Rejected(
                "sync.base_version_required", "an update needs base_version", "base_version"
            )
        changes = {
            name: canonical(value)
            for name, value in msgspec.structs.asdict(self._decode(m.data, kind.update)).items()
            if value is not msgspec.UNSET
        }
        if kind.name == "submission":
            self._check_submission_edit(working)
        if working.deleted:
            conflict = self._conflict(working, m, "_deleted", None, None, changes)
            return MutationResult(
                mutation_id=m.mutation_id,
                id=m.id,
                status="deleted",
                version=working.version,
                conflict_ids=[conflict],
            )
        if m.base_version > working.version or m.base_version < 1:
            raise Rejected(
                "sync.bad_base_version",
                "base_version is not a version of this record",
                "base_version",
            )
        status, conflict_ids = "applied", []
        if m.base_version == working.version:
            new_values = {
                name: ({**working.values[name], **value} if name == "answers" else value)
                for name, value in changes.items()
                if working.values.get(name) != value
            }
        else:
            base = await self._base(working, m, changes)
            result = merge_record(
                server=working.values,
                base=base,
                changes=changes,
                policies=kind.policies,
                lifecycle_rank=kind.lifecycle_rank,
            )
            new_values = result.values
            conflict_ids = [
                self._conflict(working, m, c.field, c.base, c.server, c.device)
                for c in result.conflicts
            ]
            status = "conflict" if conflict_ids else "merged"
        if kind.name == "submission" and "answers" in new_values:
            cycle = self.cycles[working.cycle_id]
            self._check_answers(cycle, working.values["respondent"], new_values["answers"])
        if new_values:
            working.values = {**working.values, **new_values}
            working.version += 1
            working.dirty = True
            working.changed_fields |= set(new_values)
            self._remember(working, new_values, m)
        return MutationResult(
            mutation_id=m.mutation_id,
            id=m.id,
            status=status,
            version=working.version,
            conflict_ids=conflict_ids,
        )

    async def _base(
        self, working: Working, m: MutationIn, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """The device's starting values: as it sent them, else the stored version it names,
        moved on past the versions this device wrote itself since (its own offline edits
        of one record are a line, not a conflict with itself)."""
        if m.base is not None and set(changes) <= set(m.base):
            return {
                name: canonical(value)
                for name, value in msgspec.structs.asdict(
                    self._decode_base(m.base, working.kind)
                ).items()
                if value is not msgspec.UNSET
            }
        own = await self.db.scalar(
            select(func.max(RecordVersion.version)).where(
                RecordVersion.entity == working.kind.name,
                RecordVersion.record_id == working.id,
                RecordVersion.device_id == self.device_id,
                RecordVersion.version > (m.base_version or 0),
            )
        )
        in_batch = max(
            (
                version
                for entity, record_id, version in self.written
                if (entity, record_id) == (working.kind.name, working.id)
            ),
            default=0,
        )
        snapshot = await self._snapshot(working, max(m.base_version or 0, own or 0, in_batch))
        if snapshot is None:
            raise Rejected(
                "sync.bad_base_version", "no such version of this record", "base_version"
            )
        return snapshot

    def _decode_base(self, raw: dict[str, Any], kind: RecordKind) -> Any:
        try:
            return msgspec.convert(raw, kind.update)
        except msgspec.ValidationError as exc:
            raise Rejected("sync.invalid_data", str(exc), "base") from None

    def _delete(self, kind: RecordKind, record_id: uuid.UUID, m: MutationIn) -> MutationResult:
        if kind.append_only:
            raise Rejected("sync.append_only", f"a {kind.name} is never removed", "op")
        working = self._existing(kind, record_id)
        if kind.name == "submission":
            self._check_submission_edit(working)
        if working.deleted:
            return MutationResult(
                mutation_id=m.mutation_id, id=m.id, status="deleted", version=working.version
            )
        if m.base_version != working.version:
            # deleting what the device has not seen would silently drop someone's later work
            conflict = self._conflict(working, m, "_deleted", None, working.values, "deleted")
            return MutationResult(
                mutation_id=m.mutation_id,
                id=m.id,
                status="conflict",
                version=working.version,
                conflict_ids=[conflict],
            )
        working.deleted = True
        working.version += 1
        working.dirty = True
        self._remember(working, {}, m, deleted=True)
        return MutationResult(
            mutation_id=m.mutation_id, id=m.id, status="applied", version=working.version
        )

    def _remember(
        self, working: Working, changed: dict[str, Any], m: MutationIn, *, deleted: bool = False
    ) -> None:
        snapshot = dict(working.values)
        self.snapshots[(working.kind.name, working.id, working.version)] = snapshot
        self.written.add((working.kind.name, working.id, working.version))
        self.history.append(
            {
                "entity": working.kind.name,
                "record_id": working.id,
                "version": working.version,
                "changed": changed,
                "snapshot": snapshot,
                "deleted": deleted,
                "user_id": self.principal.user_id,
                "device_id": self.device_id,
                "mutation_id": m.mutation_id,
            }
        )

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
        for name in WRITE_ORDER:
            kind = KINDS[name]
            model: Any = kind.model
            dirty = [w for w in self.records.values() if w.kind is kind and w.dirty]
            fresh = [w for w in dirty if w.new]
            if fresh:
                await self.db.execute(insert(model), [self._row(w) for w in fresh])
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
        if self.history:
            await self.db.execute(insert(RecordVersion), self.history)
        if self.conflicts:
            await self.db.execute(insert(Conflict), self.conflicts)

    def _row(self, working: Working) -> dict[str, Any]:
        row = typed_values(working.kind, _columns(working), create=True)
        row |= {
            "id": working.id,
            "version": working.version,
            "facility_id": working.facility_id,
            "created_by": working.created_by,
            "deleted_at": datetime.now(UTC) if working.deleted else None,
        }
        if working.kind.name == "submission":
            row["content_hash"] = working.content_hash
            row["template_version_id"] = uuid.UUID(working.values["template_version_id"])
        return row


def _columns(working: Working) -> dict[str, Any]:
    """The record's own writable columns (scope columns are set by the server)."""
    return {
        k: v for k, v in working.values.items() if k not in ("facility_id", "template_version_id")
    }


def _uuid(value: Any) -> uuid.UUID | None:
    if isinstance(value, str):
        try:
            return uuid.UUID(value)
        except ValueError:
            return None
    return None


def _clock_flagged(client_ts: datetime | None, now: datetime) -> bool:
    if client_ts is None:
        return False
    if client_ts.tzinfo is None:
        client_ts = client_ts.replace(tzinfo=UTC)
    return client_ts > now + CLOCK_AHEAD or client_ts < now - CLOCK_BEHIND


async def _lock_device(db: AsyncSession, device_id: uuid.UUID) -> SyncDevice:
    await db.execute(
        pg_insert(SyncDevice)
        .values(device_id=device_id)
        .on_conflict_do_nothing(index_elements=[SyncDevice.device_id])
    )
    state = await db.scalar(
        select(SyncDevice).where(SyncDevice.device_id == device_id).with_for_update()
    )
    assert state is not None
    return state


async def push(
    db: AsyncSession, *, principal: Principal, settings: Settings, body: PushIn
) -> PushOut:
    check_device(principal, body.device_id, body.protocol)
    limit = settings.limits.max_push_mutations
    if len(body.mutations) > limit:
        raise BatchTooLarge(
            f"{len(body.mutations)} mutations in one push; send at most {limit}.", field="mutations"
        )
    device_id = body.device_id
    state = await _lock_device(db, device_id)  # one push per device at a time
    mutations = sorted(body.mutations, key=lambda m: m.mutation_id)
    settled = state.last_mutation_id
    replayed = {m.mutation_id for m in mutations if m.mutation_id <= settled}
    logged = (
        {
            row.mutation_id: row
            for row in await db.scalars(
                select(SyncMutation).where(
                    SyncMutation.device_id == device_id, SyncMutation.mutation_id.in_(replayed)
                )
            )
        }
        if replayed
        else {}
    )
    batch = Batch(db, principal, device_id)
    await batch.prefetch([m for m in mutations if m.mutation_id > settled])

    now = datetime.now(UTC)
    results: list[MutationResult] = []
    new_logs: dict[int, dict[str, Any]] = {}
    gap = False
    for mutation in mutations:
        digest = content_hash(mutation)
        earlier = logged.get(mutation.mutation_id) or new_logs.get(mutation.mutation_id)
        if mutation.mutation_id <= settled and earlier is not None:
            earlier_hash = (
                earlier["content_hash"] if isinstance(earlier, dict) else earlier.content_hash
            )
            earlier_result = earlier["result"] if isinstance(earlier, dict) else earlier.result
            if earlier_hash != digest:
                raise MutationMismatch(
                    f"Mutation {mutation.mutation_id} was already settled with other content.",
                    field=f"mutations[{mutation.mutation_id}]",
                )
            original = msgspec.convert(earlier_result, MutationResult)
            results.append(
                msgspec.structs.replace(
                    original, status="duplicate", original_status=original.status
                )
            )
            continue
        if gap or mutation.mutation_id != settled + 1:
            gap = True
            results.append(
                MutationResult(
                    mutation_id=mutation.mutation_id,
                    id=mutation.id,
                    status="rejected",
                    error=ItemError(
                        code="sync.mutation_gap",
                        detail=f"expected mutation {settled + 1}; send the missing ones first",
                        field="mutation_id",
                    ),
                )
            )
            continue
        result = await batch.apply(mutation)
        result.clock_flagged = _clock_flagged(mutation.client_ts, now)
        results.append(result)
        settled = mutation.mutation_id
        new_logs[settled] = {
            "device_id": device_id,
            "mutation_id": settled,
            "content_hash": digest,
            "result": msgspec.to_builtins(result),
            "user_id": principal.user_id,
            "client_ts": mutation.client_ts,
            "clock_flagged": result.clock_flagged,
        }
    await batch.flush()
    if new_logs:
        await db.execute(insert(SyncMutation), list(new_logs.values()))
        state.last_mutation_id = settled
        state.updated_at = now
    await db.flush()
    return PushOut(results=results, last_mutation_id=settled)
