"""Templates, their versions (draft, published, retired) and the tracer medicine list."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base, ServerUuid

VERSION_STATUSES = ("draft", "published", "retired")


class Template(Base):
    """A scorecard template; its key stays the same across versions so rounds compare."""

    __tablename__ = "template"

    id: Mapped[ServerUuid]
    key: Mapped[str] = mapped_column(Text, unique=True)
    family: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TemplateVersion(Base):
    """One version of a template: a complete document, frozen once published."""

    __tablename__ = "template_version"
    __table_args__ = (
        UniqueConstraint("template_id", "number"),
        CheckConstraint("status IN ('draft', 'published', 'retired')", name="status"),
    )

    id: Mapped[ServerUuid]
    template_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("template.id"))
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text, server_default="draft")
    document: Mapped[dict[str, Any]] = mapped_column(JSONB)
    facility_types: Mapped[list[str]] = mapped_column(ARRAY(Text))
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class TracerMedicine(Base):
    """A medicine on the tracer list, with the reference unit price the price ratio uses."""

    __tablename__ = "tracer_medicine"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    name_mn: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    form_mn: Mapped[str] = mapped_column(Text)
    form_en: Mapped[str] = mapped_column(Text)
    unit: Mapped[str] = mapped_column(Text)
    reference_price_mnt: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
