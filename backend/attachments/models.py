"""Attachments, who has sent their bytes, the records that refer to them, and uploads still
under way."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    LargeBinary,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base

SHA256_PATTERN = "^[0-9a-f]{64}$"


class Attachment(Base):
    """A stored file, named by the sha256 of the bytes the tablet uploaded.

    What is stored (and downloaded) is the cleaned file: photos lose their EXIF (location,
    device) on arrival, so `stored_size` may differ from `size`."""

    __tablename__ = "attachment"
    __table_args__ = (CheckConstraint(f"sha256 ~ '{SHA256_PATTERN}'", name="sha256"),)

    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    media_type: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(BigInteger)
    stored_size: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    has_thumbnail: Mapped[bool] = mapped_column(server_default="false")
    uploaded_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # when a record last started or stopped referring to it; pruning counts from here
    last_referenced_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class AttachmentHolder(Base):
    """A device (and its user) that sent a file's bytes: the proof of possession.

    A record mentioning a file grants others access to it only when the device that wrote the
    mention is a holder, so knowing a hash is never enough. Every upload of the same bytes adds
    its device; a file the server made itself (the demo boards) is held with no device."""

    __tablename__ = "attachment_holder"
    __table_args__ = (
        UniqueConstraint("sha256", "device_id", "user_id", postgresql_nulls_not_distinct=True),
        Index("ix_attachment_holder_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("attachment.sha256", ondelete="CASCADE"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AttachmentRef(Base):
    """A record that mentions an attachment; the file may not have arrived yet."""

    __tablename__ = "attachment_ref"
    __table_args__ = (
        Index("ix_attachment_ref_device_id", "device_id"),
        Index("ix_attachment_ref_entity", "entity", "record_id"),
    )

    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    entity: Mapped[str] = mapped_column(Text, primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"))
    # the device whose write first put the hash into this record: it is the one expected to
    # upload it, and the mention grants others access only once that device has
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AttachmentPart(Base):
    """A received piece of an upload in progress, so a broken connection can resume."""

    __tablename__ = "attachment_part"

    device_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("device.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(Text, primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    total: Mapped[int] = mapped_column(BigInteger)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
