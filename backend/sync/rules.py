"""What every write path applies before a record changes: the refusals a mutation can meet, the
guards on bytes no column can store, a closed round, sets, and how a new record is made."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import msgspec

from backend.sync.entity import Context, Placement, Rejected, SyncedEntity
from backend.sync.merge import Policy
from backend.sync.records import canonical


class UnknownEntity(Rejected):
    code = "sync.unknown_entity"


class InvalidData(Rejected):
    code = "sync.invalid_data"


class BadId(Rejected):
    code = "sync.bad_id"


class NotAllowed(Rejected):
    code = "sync.not_allowed"


class NotListed(Rejected):
    """A value that must come from one of the programme's lists (a raised indicator's tag)
    and is not on it."""

    code = "sync.not_listed"


class UnknownOp(Rejected):
    code = "sync.unknown_op"


class UnknownReference(Rejected):
    code = "sync.unknown_reference"


class ReferenceDeleted(Rejected):
    code = "sync.reference_deleted"


class IdTaken(Rejected):
    """A create with an id that another record has, or had. Ids are random UUIDs made on the
    tablet, so this happens only when one is reused; the tablet makes a new id. The answer is
    the same whatever holds the id (a record of another kind, a deleted one, one the pusher
    may not see), so it tells nothing about that record: not its kind, nor that it exists
    where the pusher cannot look, nor that it was deleted."""

    code = "sync.id_taken"

    def __init__(self) -> None:
        super().__init__(
            "this id is taken: give the record a new id and send it as a new create", "id"
        )


class UnknownRecord(Rejected):
    code = "sync.unknown_record"


class AppendOnly(Rejected):
    code = "sync.append_only"


class BaseVersionRequired(Rejected):
    code = "sync.base_version_required"


class NotDeletable(Rejected):
    code = "sync.not_deletable"


class BadBaseVersion(Rejected):
    code = "sync.bad_base_version"


class RoundClosed(Rejected):
    """A closed round is the record of what happened: none of its records changes again."""

    code = "sync.round_closed"


def time_beyond_range(value: msgspec.Struct, path: str) -> str | None:
    """Where a date and time hides that has no UTC form (9999-12-31T23:59:59-14:00 is in the
    year 10000 in UTC): one record refused, not the push. Dates and times are typed fields of
    the wire types (free-form values such as answers decode to strings), so only fields and
    nested wire types are looked at."""
    for name in value.__struct_fields__:
        item = getattr(value, name)
        if isinstance(item, datetime):
            try:
                item.astimezone(UTC)
            except OverflowError:
                return f"{path}.{name}"
        elif isinstance(item, msgspec.Struct):
            found = time_beyond_range(item, f"{path}.{name}")
            if found is not None:
                return found
    return None


NUL = b"\\u0000"  # how JSON writes a NUL character


def nul_at(value: Any, path: str) -> str | None:
    """Where a NUL character hides in a record's data (PostgreSQL cannot store one)."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = nul_at(key, path) or nul_at(item, f"{path}.{key}")
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = nul_at(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def as_sets(kind: SyncedEntity, values: dict[str, Any]) -> dict[str, Any]:
    """A field merged as a set holds each item once (the order kept)."""
    for name, policy in kind.policies.items():
        if policy is Policy.SET and isinstance(values.get(name), list):
            values[name] = list(dict.fromkeys(values[name]))
    return values


def check_open(ctx: Context, cycle_id: uuid.UUID) -> None:
    cycle = ctx.cycles.get(cycle_id)
    if cycle is not None and cycle.phase == "closed":
        raise RoundClosed("the round is closed: its records no longer change", "id")


def creation(
    ctx: Context, kind: SyncedEntity, data: Any
) -> tuple[Placement, dict[str, Any], str | None]:
    """A new record by its entity's rules: where it belongs, its canonical values (the fields a
    device receives) and its content hash. A push and the demo data both make records so."""
    placement = kind.place(ctx, data)
    check_open(ctx, placement.cycle_id)
    values = as_sets(kind, canonical(data))
    values["facility_id"] = str(placement.facility_id)
    values |= placement.values
    digest = kind.check_create(ctx, data, values)
    return placement, {name: values.get(name) for name in kind.fields}, digest
