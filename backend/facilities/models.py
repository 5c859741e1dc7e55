"""Facilities: the schools, health centres and pharmacies that communities score."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Float, ForeignKey, Index, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base

FACILITY_TYPES = (
    "school",
    "kindergarten",
    "dormitory",
    "family_health_centre",
    "soum_health_centre",
    "hospital",
    "pharmacy",
    "insurance_office",
)


class Facility(Base):
    __tablename__ = "facility"
    __table_args__ = (
        CheckConstraint(
            "type IN (" + ", ".join(f"'{kind}'" for kind in FACILITY_TYPES) + ")", name="type"
        ),
        Index("ix_facility_area_code", "area_code"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        primary_key=True, server_default=text("gen_random_uuid()")
    )
    type: Mapped[str] = mapped_column(Text)
    name_mn: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    registry_code: Mapped[str | None] = mapped_column(Text, unique=True)
    insurance_contracted: Mapped[bool] = mapped_column(server_default="false")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
