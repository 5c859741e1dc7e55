"""Accounts, their scope, the tablets they sign in on, refresh tokens and security events."""

from __future__ import annotations

import enum
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
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import INET, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    FACILITATOR = "facilitator"
    MONITOR = "monitor"
    PROVIDER = "provider"
    VIEWER = "viewer"


def _in(column: str, values: Any) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(_in("role", [role.value for role in Role]), name="role"),
        CheckConstraint("language IN ('mn', 'en')", name="language"),
        # usernames are unique whatever their case; core PostgreSQL, no citext
        Index("uq_user_account_username_lower", text("lower(username)"), unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, server_default=text("gen_random_uuid()")
    )
    username: Mapped[str] = mapped_column(Text)
    display_name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(server_default="true")
    # where reminders go, in which language, and whether the user wants them
    email: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str] = mapped_column(Text, server_default="mn")
    reminders: Mapped[bool] = mapped_column(server_default="true")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class UserArea(Base):
    """An area a user works in; it covers every area below it."""

    __tablename__ = "user_area"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"), primary_key=True)


class UserFacility(Base):
    """A facility a user works at (a provider: their own)."""

    __tablename__ = "user_facility"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"), primary_key=True)


class Device(Base):
    """A tablet's sign-in identity, made by the app: it belongs to the user who registered it.

    A shared tablet serves several users with one device id each, so that no one's sign-in,
    mutation numbering or sign-out touches another's.
    """

    __tablename__ = "device"
    __table_args__ = (Index("ix_device_registered_by", "registered_by"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    platform: Mapped[str] = mapped_column(Text)
    app_version: Mapped[str] = mapped_column(Text)
    registered_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    last_user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    registered_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_seen_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))


class RefreshToken(Base):
    """One refresh token, stored as its SHA-256; a family is one sign-in and its rotations."""

    __tablename__ = "refresh_token"
    __table_args__ = (
        Index("ix_refresh_token_family_id", "family_id"),
        Index("ix_refresh_token_device_id", "device_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, server_default=text("gen_random_uuid()")
    )
    family_id: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(Text, unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    device_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("device.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    replaced_by: Mapped[uuid.UUID | None]
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """A security event: sign-ins, token reuse, revocations, role, scope and password changes."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_kind_at", "kind", "at"),
        # login throttling counts recent failures per username and per client address
        Index("ix_audit_event_username_at", text("lower(username)"), "at"),
        Index("ix_audit_event_client_at", "client", "at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    kind: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    subject_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    username: Mapped[str | None] = mapped_column(Text)
    device_id: Mapped[uuid.UUID | None]
    client: Mapped[str | None] = mapped_column(INET)
    detail: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")


class BrowserSession(Base):
    """A person signed in with a browser (the console, pages, downloads): the cookie's value
    is stored as its SHA-256. Ended by signing out, a new password or deactivation, at once."""

    __tablename__ = "browser_session"
    __table_args__ = (Index("ix_browser_session_user_id", "user_id"),)

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, server_default=text("gen_random_uuid()")
    )
    token_hash: Mapped[str] = mapped_column(Text, unique=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    client: Mapped[str | None] = mapped_column(INET)
