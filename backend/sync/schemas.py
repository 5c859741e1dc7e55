"""Wire types of the sync protocol, version 1 (see mobile_contract/SYNC.md)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec

from backend.wire import Wire

PROTOCOL = 1
SUPPORTED_PROTOCOLS = frozenset({PROTOCOL})
MutationId = Annotated[int, msgspec.Meta(ge=1, le=2**62)]


class Protocol(msgspec.Struct):
    """Read first, on its own, so that any other shape of a newer protocol still gets its 426."""

    protocol: int = PROTOCOL


class MutationIn(Wire):
    """One change made on a tablet. Kinds and operations are checked item by item, so a bad
    item is rejected alone instead of sinking its batch."""

    mutation_id: MutationId
    entity: str
    op: str
    id: str
    base_version: int | None = None
    data: dict[str, Any] = msgspec.field(default_factory=dict)
    base: dict[str, Any] | None = None
    client_ts: datetime | None = None


class PushIn(Wire):
    protocol: int
    device_id: uuid.UUID
    mutations: list[MutationIn]


class ItemError(Wire):
    code: str
    detail: str
    field: str | None = None
    errors: list[dict[str, Any]] | None = None


Status = Literal["applied", "duplicate", "merged", "conflict", "rejected", "deleted"]


class MutationResult(Wire):
    mutation_id: int
    id: str
    status: Status
    version: int | None = None
    conflict_ids: list[uuid.UUID] = msgspec.field(default_factory=list)
    error: ItemError | None = None
    # for "duplicate": what the first arrival of this mutation was answered
    original_status: Status | None = None
    # the device's clock was far off; kept for audit, never used for ordering
    clock_flagged: bool = False
    # attachments the record mentions that the server has not received yet: upload them
    missing_attachments: list[str] = msgspec.field(default_factory=list)


class PushOut(Wire):
    results: list[MutationResult]
    last_mutation_id: int


class PullIn(Wire):
    protocol: int
    device_id: uuid.UUID
    cursor: str | None = None
    limit: Annotated[int, msgspec.Meta(ge=1)] | None = None


class ChangeOut(Wire):
    entity: str
    id: str
    op: Literal["upsert", "delete"]
    version: int
    data: dict[str, Any] | None
    # for "delete": "deleted" (a tombstone) or "out_of_scope" (no longer yours to see)
    reason: Literal["deleted", "out_of_scope"] | None = None
    # sha256 of the attachments the record mentions (GET /sync/v1/attachments/{sha256})
    attachments: list[str] = msgspec.field(default_factory=list)


class PullOut(Wire):
    changes: list[ChangeOut]
    cursor: str
    has_more: bool
    reset: bool
    last_mutation_id: int


class ConflictOut(Wire):
    id: uuid.UUID
    entity: str
    record_id: uuid.UUID
    field: str
    base_value: Any
    server_value: Any
    device_value: Any
    base_version: int | None
    server_version: int
    device_id: uuid.UUID | None
    user_id: uuid.UUID
    created_at: datetime
    status: str
    resolution: str | None
    resolved_value: Any
    resolved_by: uuid.UUID | None
    resolved_at: datetime | None
    # what the person settling it wrote about the choice
    resolution_note: str = ""


class ResolveIn(Wire):
    choice: Literal["server", "device", "value"]
    value: Any = None
    # a word on the choice (who was asked, what was agreed), kept with the conflict
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class ResolvedOut(Wire):
    conflict: ConflictOut
    version: int


class IntegrityIn(Wire):
    entity: str
    ids: Annotated[list[str], msgspec.Meta(max_length=5000)]


class IntegrityOut(Wire):
    """Of the ids asked about: which are tombstones, and which are unknown to the caller. A
    record the caller may not see answers as unknown, exactly like one that was never stored,
    so the check reveals nothing of other areas; records that leave the caller's scope reach
    the tablet as removals in the pull."""

    deleted: list[str]
    # always empty: kept so that clients of protocol 1 still decode the answer
    out_of_scope: list[str]
    unknown: list[str]


class VersionOut(Wire):
    version: int
    changed: dict[str, Any]
    deleted: bool
    user_id: uuid.UUID
    device_id: uuid.UUID | None
    mutation_id: int | None
    at: datetime
