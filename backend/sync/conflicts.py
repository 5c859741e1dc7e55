"""Conflicts to review and settle, a record's history, and the integrity check."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import msgspec
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.policy import Principal
from backend.errors import Conflict as ConflictError
from backend.errors import FieldError, InvalidInput, NotFound, split_msgspec_error
from backend.sync import entity as entities
from backend.sync.apply import Batch
from backend.sync.entity import Rejected, SyncedEntity, Working
from backend.sync.models import Conflict, RecordVersion
from backend.sync.records import canonical, record_data
from backend.sync.schemas import ConflictOut, IntegrityOut, ResolvedOut, VersionOut


class RoundClosed(ConflictError):
    code = "sync.round_closed"


class AlreadyResolved(ConflictError):
    code = "sync.conflict_resolved"


class ConflictOutdated(ConflictError):
    """The record moved on since the conflict was recorded: a choice made on what the person
    saw would overwrite what they did not see. The conflict is brought up to date and stays
    open (that write stands), to be settled again."""

    code = "sync.conflict_outdated"
    keeps_writes = True


class UnknownEntity(InvalidInput):
    code = "sync.unknown_entity"


def conflict_out(row: Conflict) -> ConflictOut:
    return ConflictOut(
        id=row.id,
        entity=row.entity,
        record_id=row.record_id,
        field=row.field,
        base_value=row.base_value,
        server_value=row.server_value,
        device_value=row.device_value,
        base_version=row.base_version,
        server_version=row.server_version,
        device_id=row.device_id,
        user_id=row.user_id,
        created_at=row.created_at,
        status=row.status,
        resolution=row.resolution,
        resolved_value=row.resolved_value,
        resolved_by=row.resolved_by,
        resolved_at=row.resolved_at,
        resolution_note=row.resolution_note,
    )


def _visible_ids(kind: entities.SyncedEntity, principal: Principal) -> Any:
    model: Any = kind.model
    return select(model.id).where(kind.visible(principal))


def _visible(principal: Principal) -> Any:
    """Conflicts belong to those who may settle them, on records they may see."""
    if not access.may_settle(principal):
        return false()
    return or_(
        *(
            and_(
                Conflict.entity == kind.name,
                Conflict.record_id.in_(_visible_ids(kind, principal)),
            )
            for kind in entities.registered()
        )
    )


async def list_conflicts(
    db: AsyncSession, *, principal: Principal, status: str | None, limit: int, offset: int
) -> list[ConflictOut]:
    query = select(Conflict).where(_visible(principal))
    if status:
        query = query.where(Conflict.status == status)
    rows = await db.scalars(
        query.order_by(Conflict.created_at, Conflict.id).limit(limit).offset(offset)
    )
    return [conflict_out(row) for row in rows]


async def get(db: AsyncSession, *, principal: Principal, conflict_id: uuid.UUID) -> ConflictOut:
    """One conflict the caller may settle (404 otherwise)."""
    row = await db.scalar(select(Conflict).where(Conflict.id == conflict_id, _visible(principal)))
    if row is None:
        raise NotFound("No such conflict.")
    return conflict_out(row)


@dataclass(frozen=True, slots=True)
class Holder:
    """The record a conflict is about, as it reads now: its round (None for a record of no
    round) and its values, as a device receives them."""

    cycle_id: uuid.UUID | None
    values: dict[str, Any]
    deleted: bool


async def holders(db: AsyncSession, found: list[ConflictOut]) -> dict[uuid.UUID, Holder]:
    """The records these conflicts are about, by record id: every conflict is on a record of a
    registered kind, which declares its model and fields."""
    wanted: dict[str, set[uuid.UUID]] = {}
    for conflict in found:
        wanted.setdefault(conflict.entity, set()).add(conflict.record_id)
    out: dict[uuid.UUID, Holder] = {}
    for entity, ids in wanted.items():
        kind = entities.find(entity)
        if kind is None:
            continue
        model: Any = kind.model
        for row in await db.scalars(select(model).where(model.id.in_(ids))):
            out[row.id] = Holder(
                cycle_id=getattr(row, "cycle_id", None),
                values=record_data(kind, row),
                deleted=row.deleted_at is not None,
            )
    return out


class ResolutionRefused(InvalidInput):
    """The chosen value breaks a rule of the record (its type, its template, its author or
    phase); `errors` carries the rule's own code."""

    code, status = "sync.resolution_refused", 422


async def resolve(
    db: AsyncSession,
    *,
    principal: Principal,
    conflict_id: uuid.UUID,
    choice: str,
    value: Any,
    note: str = "",
) -> ResolvedOut:
    """Settle a conflict: the chosen value becomes a new version that reaches every device,
    written through the same checks as a push (`Batch.settle`)."""
    row = await db.scalar(
        select(Conflict).where(Conflict.id == conflict_id, _visible(principal)).with_for_update()
    )
    if row is None:
        raise NotFound("No such conflict.")
    if row.status != "open":
        raise AlreadyResolved("This conflict was settled already.")
    kind = entities.find(row.entity)
    assert kind is not None  # conflicts are opened on registered entities only
    batch = Batch(db, principal, principal.device_id)
    working = await batch.load(kind, row.record_id)
    assert working is not None  # the conflict is visible only with its record
    # the push loaded the round holding it (FOR SHARE): it cannot close while this settles
    round_info = batch.cycles.get(working.cycle_id)
    if round_info is not None and round_info.phase == "closed":
        raise RoundClosed("The round is closed; its records no longer change.")
    stale_delete = row.field == "_deleted" and row.device_value == "deleted"
    if row.field == "_deleted" and choice == "value":
        raise InvalidInput("A delete conflict is settled by server or device.", field="choice")
    chosen: Any = None
    if choice == "device" and stale_delete:
        await _check_unchanged(db, row, working)
    elif choice != "server" and row.field != "_deleted":
        await _check_current(db, row, working)
        chosen = _checked(kind, row.field, value) if choice == "value" else row.device_value
    elif choice == "device":
        chosen = row.device_value
    try:
        changes = (
            {}
            if choice == "server"  # the record keeps what it holds now: nothing is written
            else await batch.settle(
                working,
                row,
                chosen=chosen,
                merge_edit=row.field == "_deleted" and not stale_delete,
                delete=stale_delete,
            )
        )
    except Rejected as refusal:
        error = refusal.error
        raise ResolutionRefused(
            error.detail,
            field="value" if choice == "value" else "choice",
            errors=[FieldError(field=error.field, message=error.detail, code=error.code)],
        ) from None
    await batch.flush()
    row.status = "resolved"
    row.resolution = choice
    row.resolved_value = changes.get(row.field.partition(".")[0]) if changes else None
    row.resolved_by = principal.user_id
    row.resolved_at = func.now()
    row.resolution_note = note.strip()
    await db.flush()
    await db.refresh(row)
    return ResolvedOut(conflict=conflict_out(row), version=working.version)


async def _check_unchanged(db: AsyncSession, row: Conflict, working: Working) -> None:
    """A stale delete takes the record only as the conflict shows it: if it was changed since
    (or deleted already), the conflict is brought up to date and the settlement refused."""
    if working.deleted or working.version != row.server_version:
        row.server_value = None if working.deleted else working.values
        row.server_version = working.version
        await db.flush()
        raise ConflictOutdated(
            "The record changed since the delete was recorded; the conflict now shows it as "
            "it is: settle it again."
        )


async def _check_current(db: AsyncSession, row: Conflict, working: Working) -> None:
    """The field still holds the server value the conflict shows, or the conflict is updated to
    what it holds now and the settlement refused."""
    if working.deleted:
        raise ConflictOutdated(
            "The record was deleted since: keep the server's value, or settle its delete conflict."
        )
    name, _, key = row.field.partition(".")
    now = working.values.get(name)
    if key:
        now = (now or {}).get(key)
    if now != row.server_value:
        row.server_value = now
        row.server_version = working.version
        await db.flush()
        raise ConflictOutdated(
            "The field changed since the conflict was recorded; the conflict now shows its "
            "current value: settle it again."
        )


def _checked(kind: SyncedEntity, field: str, value: Any) -> Any:
    """A value typed in by a person, decoded like a device's would be."""
    name, _, key = field.partition(".")
    candidate = {name: {key: value} if key else value}
    try:
        struct = msgspec.convert(candidate, kind.update)
    except msgspec.ValidationError as exc:
        message, _ = split_msgspec_error(exc)
        raise ResolutionRefused(
            message,
            field="value",
            errors=[FieldError(field="value", message=message, code="sync.invalid_data")],
        ) from None
    typed = getattr(struct, name)
    return canonical(typed[key] if key else typed)


async def history(
    db: AsyncSession, *, principal: Principal, entity: str, record_id: uuid.UUID
) -> list[VersionOut]:
    kind = entities.find(entity)
    if kind is None:
        raise UnknownEntity(f"No entity {entity!r}.", field="entity")
    model: Any = kind.model
    visible = await db.scalar(
        select(model.id).where(model.id == record_id, kind.visible(principal))
    )
    if visible is None or not access.may_settle(principal):
        raise NotFound(f"No such {entity}.")
    rows = await db.scalars(
        select(RecordVersion)
        .where(RecordVersion.entity == entity, RecordVersion.record_id == record_id)
        .order_by(RecordVersion.version, RecordVersion.id)
    )
    return [
        VersionOut(
            version=row.version,
            changed=row.changed,
            deleted=row.deleted,
            user_id=row.user_id,
            device_id=row.device_id,
            mutation_id=row.mutation_id,
            at=row.at,
        )
        for row in rows
    ]


async def integrity(
    db: AsyncSession, *, principal: Principal, entity: str, ids: list[str]
) -> IntegrityOut:
    kind = entities.find(entity)
    if kind is None:
        raise UnknownEntity(f"No entity {entity!r}.", field="entity")
    model: Any = kind.model
    parsed = {}
    for raw in ids:
        try:
            parsed[uuid.UUID(raw)] = raw
        except ValueError:
            continue
    # a record the caller may not see answers exactly like one that never existed: no oracle
    rows = await db.execute(
        select(model.id, model.deleted_at.is_not(None)).where(
            model.id.in_(list(parsed)), kind.visible(principal)
        )
    )
    deleted, found = [], set()
    for record_id, is_deleted in rows:
        found.add(record_id)
        if is_deleted:
            deleted.append(parsed[record_id])
    known = {parsed[record_id] for record_id in found}
    unknown = [raw for raw in ids if raw not in known]
    return IntegrityOut(deleted=deleted, out_of_scope=[], unknown=unknown)
