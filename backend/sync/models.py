"""The sync machinery's tables: devices' counters, the mutation log, the change feed,
conflicts and the version history of every record a tablet creates."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql.base import ischema_names
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from backend.database.session import Base, ServerUuid


class Xid8(UserDefinedType[int]):
    """PostgreSQL's 64-bit transaction id (pg_current_xact_id())."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "xid8"


# so that reflection (alembic check) knows the type too
ischema_names["xid8"] = Xid8


class SyncEpoch(Base):
    """One row: the feed's identity. Cursors from another epoch are answered with a reset."""

    __tablename__ = "sync_epoch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    epoch: Mapped[uuid.UUID] = mapped_column(server_default=text("gen_random_uuid()"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SyncDevice(Base):
    """A device's place in the protocol: the last mutation id the server has settled."""

    __tablename__ = "sync_device"

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # set by `scorecard db after-restore`: the device numbered mutations the restored database
    # never saw, so its next push may start past `last_mutation_id`
    restored: Mapped[bool] = mapped_column(server_default="false")


class SyncMutation(Base):
    """Every settled mutation, by device and mutation id, with its content hash and result."""

    __tablename__ = "sync_mutation"

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    mutation_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    content_hash: Mapped[str] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(JSONB)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    client_ts: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the device's clock was far off when it made this mutation (kept for audit, never used)
    clock_flagged: Mapped[bool] = mapped_column(server_default="false")
    xid: Mapped[int] = mapped_column(Xid8, server_default=text("pg_current_xact_id()"))
    settled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SyncScope(Base):
    """A scope a cursor was issued for, by hash, so a later pull can tell what left or came in."""

    __tablename__ = "sync_scope"

    hash: Mapped[str] = mapped_column(Text, primary_key=True)
    role: Mapped[str] = mapped_column(Text)
    area_codes: Mapped[list[str]] = mapped_column(ARRAY(Text))
    facility_ids: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid()))


class Change(Base):
    """The change feed: a row per written version, stamped with its transaction id.

    Rows are written by triggers on every table a tablet receives, so no write path can
    forget one. A pull hands out only rows below the snapshot's xmin, in (xid, id) order.
    """

    __tablename__ = "change"
    __table_args__ = (
        # leave: the record's facility moved; it leaves the old area's tablets
        CheckConstraint("op IN ('upsert', 'delete', 'leave')", name="op"),
        CheckConstraint("audience IN ('everyone', 'staff', 'team', 'withdrawn')", name="audience"),
        Index("ix_change_xid_id", "xid", "id"),
        Index("ix_change_record", "entity", "record_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    xid: Mapped[int] = mapped_column(Xid8, server_default=text("pg_current_xact_id()"))
    entity: Mapped[str] = mapped_column(Text)
    record_id: Mapped[str] = mapped_column(Text)
    op: Mapped[str] = mapped_column(Text)
    version: Mapped[int | None] = mapped_column(Integer)
    # scope: a facility's records, an area (soums and below), or everyone (NULL, NULL)
    facility_id: Mapped[uuid.UUID | None]
    area_code: Mapped[str | None] = mapped_column(Text)
    # the round the record belongs to (a cycle and what is in it): viewers wait for publication
    cycle_id: Mapped[uuid.UUID | None]
    # who may receive it: everyone; staff (not viewers); team (not providers, not viewers);
    # withdrawn (viewers only, as a removal: the round's publication was withdrawn)
    audience: Mapped[str] = mapped_column(Text, server_default="everyone")


class RecordVersion(Base):
    """Every version of every record a tablet creates: who changed which fields, when, where."""

    __tablename__ = "record_version"
    __table_args__ = (Index("ix_record_version_record", "entity", "record_id", "version"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    entity: Mapped[str] = mapped_column(Text)
    record_id: Mapped[uuid.UUID]
    version: Mapped[int] = mapped_column(Integer)
    # the fields this version changed, with their new values
    changed: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # the whole record at this version: the base of later three-way merges
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # what the device sent, as it sent it (for answers, the indicators it changed): its own view
    # of those fields, the base of its later edits made from an older version (null for
    # versions no device edit made: creates, deletes, settled conflicts, seeding)
    sent: Mapped[dict[str, Any] | None] = mapped_column(JSONB(none_as_null=True))
    deleted: Mapped[bool] = mapped_column(server_default="false")
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    device_id: Mapped[uuid.UUID | None]
    mutation_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Conflict(Base):
    """Two people changed one field differently; the first to arrive stands until resolved."""

    __tablename__ = "sync_conflict"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'resolved')", name="status"),
        Index("ix_sync_conflict_record", "entity", "record_id"),
        Index("ix_sync_conflict_facility_status", "facility_id", "status"),
    )

    id: Mapped[ServerUuid]
    entity: Mapped[str] = mapped_column(Text)
    record_id: Mapped[uuid.UUID]
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"))
    # a field name, "answers.<indicator>" for one answer, or "_deleted" for edit against delete
    field: Mapped[str] = mapped_column(Text)
    base_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    server_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    device_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    base_version: Mapped[int | None] = mapped_column(Integer)
    server_version: Mapped[int] = mapped_column(Integer)
    device_id: Mapped[uuid.UUID | None]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    mutation_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    status: Mapped[str] = mapped_column(Text, server_default="open")
    resolution: Mapped[str | None] = mapped_column(Text)
    resolved_value: Mapped[Any] = mapped_column(JSONB, nullable=True)
    resolved_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # what the person settling it wrote about the choice
    resolution_note: Mapped[str] = mapped_column(Text, server_default="")
