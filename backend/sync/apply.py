"""Deciding each mutation of a push: applied, merged, conflict, duplicate, rejected or deleted."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import msgspec
from sqlalchemy import func, select

from backend.auth.models import Role
from backend.cycles.phases import SCORING_PHASES
from backend.errors import split_msgspec_error
from backend.scorecards import service as templates
from backend.sync.merge import merge_record
from backend.sync.models import RecordVersion
from backend.sync.records import KINDS, RecordKind, canonical
from backend.sync.schemas import ItemError, MutationIn, MutationResult
from backend.sync.workset import CycleInfo, Working, Workset, uuid_or_none

SUBMITTERS = {
    "community": {Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.MONITOR},
    "monitor": {Role.ADMIN, Role.COORDINATOR, Role.MONITOR},
    "provider": {Role.ADMIN, Role.COORDINATOR, Role.PROVIDER},
}


def _nul_at(value: Any, path: str) -> str | None:
    """Where a NUL character hides in a record's data (PostgreSQL cannot store one)."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _nul_at(key, path) or _nul_at(item, f"{path}.{key}")
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _nul_at(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


class Rejected(Exception):
    """One mutation refused; the device's counter still moves past it."""

    def __init__(self, code: str, detail: str, field: str | None = None, errors=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(detail)
        self.error = ItemError(code=code, detail=detail, field=field, errors=errors)


class Batch(Workset):
    """A push's mutations, decided one by one in mutation-id order against the workset."""

    async def apply(self, mutation: MutationIn) -> MutationResult:
        try:
            kind = KINDS.get(mutation.entity)
            if kind is None:
                raise Rejected(
                    "sync.unknown_entity", f"unknown entity {mutation.entity!r}", "entity"
                )
            nul = _nul_at(mutation.data, "data")
            if nul is not None:
                raise Rejected("sync.invalid_data", "text may not contain NUL characters", nul)
            record_id = uuid_or_none(mutation.id)
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
            message, path = split_msgspec_error(exc)
            raise Rejected("sync.invalid_data", message, "data" + path) from None

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
