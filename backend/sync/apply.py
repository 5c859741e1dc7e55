"""Deciding each mutation of a push: applied, merged, conflict, duplicate, rejected or deleted."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec

from backend.errors import split_msgspec_error
from backend.sync import entity as entities
from backend.sync.entity import CycleInfo, Rejected, SyncedEntity, Working
from backend.sync.merge import FieldConflict, Policy, merge_record
from backend.sync.models import Conflict
from backend.sync.records import canonical
from backend.sync.rules import (
    NUL,
    AppendOnly,
    BadBaseVersion,
    BadId,
    BaseVersionRequired,
    IdTaken,
    InvalidData,
    NotAllowed,
    NotDeletable,
    NotListed,
    ReferenceDeleted,
    UnknownEntity,
    UnknownOp,
    UnknownRecord,
    UnknownReference,
    as_sets,
    check_open,
    creation,
    nul_at,
    time_beyond_range,
)
from backend.sync.schemas import MutationIn, MutationResult, Status
from backend.sync.workset import Workset, uuid_or_none


class Batch(Workset):
    """A push's mutations, decided one by one in mutation-id order against the workset."""

    async def apply(self, mutation: MutationIn) -> MutationResult:
        try:
            kind = entities.find(mutation.entity)
            if kind is None:
                raise UnknownEntity(f"unknown entity {mutation.entity!r}", "entity")
            # the encoder finds a NUL at C speed; only then is the field looked for
            nul = (
                nul_at(mutation.data, "data") if NUL in msgspec.json.encode(mutation.data) else None
            )
            if nul is not None:
                raise InvalidData("text may not contain NUL characters", nul)
            record_id = uuid_or_none(mutation.id)
            if record_id is None:
                raise BadId("the record id must be a UUID", "id")
            if self.principal.role not in kind.writers:
                raise NotAllowed(f"a {self.principal.role} cannot write these")
            if kind.listed:
                await self.load_lists(kind)
            if mutation.op == "create":
                return self._create(kind, record_id, mutation)
            if mutation.op == "update":
                return await self._update(kind, record_id, mutation)
            if mutation.op == "delete":
                return self._delete(kind, record_id, mutation)
            raise UnknownOp(f"unknown operation {mutation.op!r}", "op")
        except Rejected as refusal:
            return MutationResult(
                mutation_id=mutation.mutation_id,
                id=mutation.id,
                status="rejected",
                error=refusal.error,
            )

    # -- what an entity's checks consult (entity.Context) ----------------------------------------

    def cycle(self, cycle_id: uuid.UUID) -> CycleInfo:
        cycle = self.cycles.get(cycle_id)
        if cycle is None:
            raise UnknownReference("no such cycle in your scope", "data.cycle_id")
        return cycle

    def round_records(self, entity: str, cycle_id: uuid.UUID) -> list[Working]:
        return [
            working
            for (name, _), working in self.records.items()
            if name == entity and working.cycle_id == cycle_id
        ]

    def reference(self, entity: str, ref: uuid.UUID, field: str) -> Working:
        working = self.records.get((entity, ref))
        if working is None or not working.in_scope:
            raise UnknownReference(f"no such {entity} in your scope", field)
        if working.deleted:
            raise ReferenceDeleted(f"the {entity} was deleted", field)
        return working

    # -- deciding --------------------------------------------------------------------------------

    def _decode(self, raw: dict[str, Any], into: type) -> Any:
        try:
            decoded: Any = msgspec.convert(raw, into)
        except msgspec.ValidationError as exc:
            message, path = split_msgspec_error(exc)
            raise InvalidData(message, "data" + path) from None
        beyond = time_beyond_range(decoded, "data")
        if beyond is not None:
            raise InvalidData("a date and time too far off to be stored", beyond)
        return decoded

    def _check_listed(self, kind: SyncedEntity, values: dict[str, Any]) -> None:
        for name in kind.listed:
            value = values.get(name)
            if value is not None and value not in self.lists[(kind.name, name)]:
                raise NotListed(f"{value!r} is not on the programme's list", f"data.{name}")

    def _create(self, kind: SyncedEntity, record_id: uuid.UUID, m: MutationIn) -> MutationResult:
        data = self._decode(m.data, kind.create)
        self._check_listed(kind, msgspec.structs.asdict(data))
        placement, values, digest = creation(self, kind, data)

        # one id, one record, forever: every other holder of the id (another kind, a deleted
        # record, one the pusher may not see) gets the one answer that tells nothing of it
        if any(
            (other.name, record_id) in self.records or (other.name, record_id) in self.taken
            for other in entities.registered()
            if other is not kind
        ):
            raise IdTaken()
        existing = self.records.get((kind.name, record_id))
        if existing is not None:
            same = (
                existing.content_hash == digest if digest is not None else existing.values == values
            )
            if same and existing.in_scope and not existing.deleted:
                # the same record sent again, e.g. from a reinstalled tablet: stored once
                return MutationResult(
                    mutation_id=m.mutation_id,
                    id=m.id,
                    status="duplicate",
                    version=existing.version,
                    original_status="applied",
                )
            raise IdTaken()
        working = Working(
            kind=kind,
            id=record_id,
            values=values,
            version=1,
            deleted=False,
            created_by=self.principal.user_id,
            facility_id=placement.facility_id,
            cycle_id=placement.cycle_id,
            new=True,
            dirty=True,
            content_hash=digest,
        )
        self.records[(kind.name, record_id)] = working
        self._remember(working, values, m.mutation_id)
        if kind.after_create is not None:
            kind.after_create(self, working, data)
        return MutationResult(mutation_id=m.mutation_id, id=m.id, status="applied", version=1)

    def _existing(self, kind: SyncedEntity, record_id: uuid.UUID) -> Working:
        working = self.records.get((kind.name, record_id))
        if working is None or not working.in_scope:
            raise UnknownRecord(f"no such {kind.name} in your scope", "id")
        check_open(self, working.cycle_id)
        return working

    async def _update(
        self, kind: SyncedEntity, record_id: uuid.UUID, m: MutationIn
    ) -> MutationResult:
        if kind.append_only:
            raise AppendOnly(f"a {kind.name} is never changed", "op")
        working = self._existing(kind, record_id)
        if m.base_version is None:
            raise BaseVersionRequired("an update needs base_version", "base_version")
        fixed = sorted(set(m.data) - set(kind.update.__struct_fields__))
        if fixed:
            # told `applied`, the tablet would believe a change that was never made
            raise InvalidData(f"{fixed[0]} is not changed by an update", f"data.{fixed[0]}")
        changes = as_sets(
            kind,
            {
                name: canonical(value)
                for name, value in msgspec.structs.asdict(self._decode(m.data, kind.update)).items()
                if value is not msgspec.UNSET
            },
        )
        self._check_listed(kind, changes)
        kind.check_change(self, working)
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
            raise BadBaseVersion("base_version is not a version of this record", "base_version")
        status: Status = "applied"
        conflicts: list[FieldConflict] = []
        if m.base_version == working.version:
            new_values = {
                name: (
                    {**working.values[name], **value}
                    if kind.policies.get(name) is Policy.PER_KEY
                    else value
                )
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
            new_values, conflicts = result.values, result.conflicts
            status = "conflict" if conflicts else "merged"
        self._check_limits(kind, new_values)
        kind.check_update(self, working, new_values)
        # only now, with every check passed: a refused mutation leaves no conflict behind
        conflict_ids = [
            self._conflict(working, m, c.field, c.base, c.server, c.device) for c in conflicts
        ]
        if new_values:
            working.values = {**working.values, **new_values}
            working.version += 1
            working.dirty = True
            working.changed_fields |= set(new_values)
            self._remember(working, new_values, m.mutation_id, sent=changes)
        return MutationResult(
            mutation_id=m.mutation_id,
            id=m.id,
            status=status,
            version=working.version,
            conflict_ids=conflict_ids,
        )

    async def settle(
        self, working: Working, conflict: Conflict, *, chosen: Any, merge_edit: bool, delete: bool
    ) -> dict[str, Any]:
        """A settled conflict as a new version, checked like any edit. For a field conflict,
        `chosen` is the field's value (one key of it for `answers.<key>`). For an edit that
        met a deleted record (`merge_edit`), the edit is merged into the record's last state
        as its push would have been merged, from the version it started from: counts add, sets
        combine, and a field changed on both sides opens a conflict of its own; the record
        comes back. `delete` takes a stale delete. Returns the fields changed (nothing is
        written when nothing changes)."""
        kind = working.kind
        changes: dict[str, Any] = {}
        opened: list[FieldConflict] = []
        if merge_edit:
            edit = dict(chosen or {})
            base = await self._stored_base(
                working, conflict.base_version or 1, conflict.device_id, edit
            )
            result = merge_record(
                server=working.values,
                base=base,
                changes=edit,
                policies=kind.policies,
                lifecycle_rank=kind.lifecycle_rank,
            )
            changes, opened = result.values, result.conflicts
        elif conflict.field != "_deleted":
            name, _, key = conflict.field.partition(".")
            changes[name] = {**(working.values.get(name) or {}), key: chosen} if key else chosen
        changes = {name: v for name, v in changes.items() if working.values.get(name) != v}
        deleted = delete or (working.deleted and not merge_edit)
        if not changes and deleted == working.deleted and not opened:
            return {}
        # a person settling is bound by the rules a push is: who may change the record, in which
        # phase, and what values it may hold
        kind.check_change(self, working)
        if delete and not working.deleted:
            kind.check_delete(self, working)
        if changes:
            self._check_limits(kind, changes)
            kind.check_update(self, working, changes)
        for field_conflict in opened:
            self.conflicts.append(
                {
                    "id": uuid.uuid4(),
                    "entity": kind.name,
                    "record_id": working.id,
                    "facility_id": working.facility_id,
                    "field": field_conflict.field,
                    "base_value": field_conflict.base,
                    "server_value": field_conflict.server,
                    "device_value": field_conflict.device,
                    "base_version": conflict.base_version,
                    "server_version": working.version,
                    "device_id": conflict.device_id,
                    "user_id": conflict.user_id,
                    "mutation_id": conflict.mutation_id,
                }
            )
        working.values = {**working.values, **changes}
        working.version += 1
        working.deleted = deleted
        working.dirty = True
        working.changed_fields |= set(changes)
        self._remember(
            working,
            changes | {"_resolved_conflict": str(conflict.id)},
            None,
            deleted=delete,
        )
        return changes

    def edit(self, working: Working, changes: dict[str, Any]) -> dict[str, Any]:
        """A person's edit made on the server rather than from a tablet (a coordinator's
        translation in the console): checked as a push's update from the record's current
        version (the round open, who may change the record, the values it may hold), written as
        a new version by this user. Returns the fields changed; nothing changed, nothing
        written."""
        kind = working.kind
        if working.deleted or not working.in_scope:
            raise UnknownRecord(f"no such {kind.name} in your scope", "id")
        check_open(self, working.cycle_id)
        changes = {
            name: value
            for name, value in as_sets(kind, canonical(changes)).items()
            if working.values.get(name) != value
        }
        if not changes:
            return {}
        kind.check_change(self, working)
        self._check_limits(kind, changes)
        kind.check_update(self, working, changes)
        self.follow(working, changes)
        return changes

    def _check_limits(self, kind: SyncedEntity, values: dict[str, Any]) -> None:
        """A merge can combine two valid edits into a value no edit may have (a set grown past
        its size, counts added past their bound): that item is refused, never stored."""
        try:
            msgspec.convert(values, kind.update, strict=False)
        except msgspec.ValidationError as exc:
            message, path = split_msgspec_error(exc)
            raise InvalidData(f"merged with the server's value, {message}", "data" + path) from None

    async def _base(
        self, working: Working, m: MutationIn, changes: dict[str, Any]
    ) -> dict[str, Any]:
        """The values the device's edit started from, field by field (for answers, indicator by
        indicator): as it sent them in `base`; else what it last sent for that field since
        `base_version`, if it has written the field since (its own offline edits of one record
        are a line, not a conflict with itself); else the stored copy of `base_version`. A field
        someone else wrote after the device's own last write is thus compared with what the
        device knew, and opens a conflict rather than being overwritten."""
        if m.base is not None and set(changes) <= set(m.base):
            return {
                name: canonical(value)
                for name, value in msgspec.structs.asdict(
                    self._decode_base(m.base, working.kind)
                ).items()
                if value is not msgspec.UNSET
            }
        assert m.base_version is not None
        return await self._stored_base(working, m.base_version, self.device_id, changes)

    async def _stored_base(
        self,
        working: Working,
        base_version: int,
        device_id: uuid.UUID | None,
        changes: dict[str, Any],
    ) -> dict[str, Any]:
        snapshot = await self._snapshot(working, base_version)
        if snapshot is None:
            raise BadBaseVersion("no such version of this record", "base_version")
        base = {name: snapshot.get(name) for name in changes}
        for sent in await self.sent_since(working, base_version, device_id):
            for name, value in sent.items():
                if name not in base:
                    continue
                if working.kind.policies.get(name) is Policy.PER_KEY:
                    base[name] = {**(base[name] or {}), **value}
                else:
                    base[name] = value
        return base

    def _decode_base(self, raw: dict[str, Any], kind: SyncedEntity) -> Any:
        try:
            return msgspec.convert(raw, kind.update)
        except msgspec.ValidationError as exc:
            raise InvalidData(str(exc), "base") from None

    def _delete(self, kind: SyncedEntity, record_id: uuid.UUID, m: MutationIn) -> MutationResult:
        if kind.append_only:
            raise AppendOnly(f"a {kind.name} is never removed", "op")
        if not kind.deletable:
            raise NotDeletable(f"a {kind.name} is dropped by its status, not deleted", "op")
        working = self._existing(kind, record_id)
        kind.check_change(self, working)
        if working.deleted:
            return MutationResult(
                mutation_id=m.mutation_id, id=m.id, status="deleted", version=working.version
            )
        kind.check_delete(self, working)
        if m.base_version is None:
            raise BaseVersionRequired("a delete needs base_version", "base_version")
        if m.base_version > working.version or m.base_version < 1:
            raise BadBaseVersion("base_version is not a version of this record", "base_version")
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
        self._remember(working, {}, m.mutation_id, deleted=True)
        return MutationResult(
            mutation_id=m.mutation_id, id=m.id, status="applied", version=working.version
        )
