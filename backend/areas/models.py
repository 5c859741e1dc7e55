"""Administrative areas: country, aimags, the capital and its districts, soums, bags, khoroos."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base

AREA_LEVELS = ("country", "aimag", "capital", "district", "soum", "bag", "khoroo")


class Area(Base):
    """One administrative unit, keyed by a stable code (ISO 3166-2:MN where one exists)."""

    __tablename__ = "area"
    __table_args__ = (
        CheckConstraint(
            "level IN (" + ", ".join(f"'{level}'" for level in AREA_LEVELS) + ")", name="level"
        ),
        # "is this area inside one of mine?" is lineage && ARRAY[...] on every scoped query
        Index("ix_area_lineage", "lineage", postgresql_using="gin"),
        Index("ix_area_parent_code", "parent_code"),
    )

    code: Mapped[str] = mapped_column(Text, primary_key=True)
    level: Mapped[str] = mapped_column(Text)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("area.code"))
    name_mn: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    iso_code: Mapped[str | None] = mapped_column(Text, unique=True)
    # the National Statistics Office's code: 3 digits for an aimag or the capital (185 Uvs),
    # 5 for a soum or district (18546 Tes)
    nso_code: Mapped[str | None] = mapped_column(Text, unique=True)
    # OCHA's P-code (MN85 Uvs, MN8546 Tes), what humanitarian datasets are keyed on
    pcode: Mapped[str | None] = mapped_column(Text)
    aliases: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    # the codes of this area and every area above it, root first
    lineage: Mapped[list[str]] = mapped_column(ARRAY(Text))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
