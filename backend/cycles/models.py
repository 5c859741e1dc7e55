"""Cycles (one round of the method at one facility), their phase history and campaigns."""

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
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.cycles.phases import PHASES
from backend.database.session import Base, ServerUuid
from backend.database.types import ClientUuid, SyncedColumns

_PHASE_CHECK = "IN (" + ", ".join(f"'{phase}'" for phase in PHASES) + ")"


class Campaign(Base):
    """Cycles opened at once for every facility of one type in an area."""

    __tablename__ = "campaign"

    id: Mapped[ServerUuid]
    # the Mongolian label, the primary one; English beside it where a coordinator gave one
    label: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str | None] = mapped_column(Text)
    template_version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("template_version.id"))
    area_code: Mapped[str] = mapped_column(ForeignKey("area.code"))
    facility_type: Mapped[str] = mapped_column(Text)
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Cycle(Base):
    __tablename__ = "cycle"
    __table_args__ = (
        CheckConstraint(f"phase {_PHASE_CHECK}", name="phase"),
        Index("ix_cycle_facility_id", "facility_id"),
    )

    id: Mapped[ServerUuid]
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"))
    template_version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("template_version.id"))
    # the round's label in Mongolian, the primary one ("2026 оны хаврын үе"); English beside
    # it where a coordinator gave one, else readers in English get the Mongolian (label_for)
    label: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str | None] = mapped_column(Text)
    phase: Mapped[str] = mapped_column(Text, server_default="preparation")
    previous_cycle_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("cycle.id"))
    campaign_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("campaign.id"))
    # the focus groups planned for community scoring: [{"type": "women", "planned_on": ...}]
    planned_groups: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    opened_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # results reach viewers once a coordinator publishes them
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # free-text reasons reach providers and viewers once a coordinator has reviewed them
    reasons_reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    def label_for(self, language: str) -> str:
        """The label a reader of `language` (mn or en) sees: English falls back to the
        Mongolian label, the one every round has."""
        return (self.label_en or self.label) if language == "en" else self.label


class CyclePhaseChange(Base):
    """Every phase move, forward or (a coordinator's reopening) back, with who and why."""

    __tablename__ = "cycle_phase_change"
    __table_args__ = (Index("ix_cycle_phase_change_cycle_id", "cycle_id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"))
    from_phase: Mapped[str | None] = mapped_column(Text)
    to_phase: Mapped[str] = mapped_column(Text)
    reopened: Mapped[bool] = mapped_column(server_default="false")
    reason: Mapped[str | None] = mapped_column(Text)
    changed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class CyclePublication(Base):
    """Every publication of a round and every withdrawal of one, with who, when and (for a
    withdrawal) why. `Cycle.published_at` is the state now; this is how it came to be."""

    __tablename__ = "cycle_publication"
    __table_args__ = (
        CheckConstraint("action IN ('published', 'withdrawn')", name="action"),
        CheckConstraint("action = 'published' OR reason <> ''", name="withdrawal_says_why"),
        Index("ix_cycle_publication_cycle_id", "cycle_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, server_default="")
    changed_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


INDICATOR_KINDS = ("scale", "yes_no", "count")
INDICATOR_ORIGINS = ("community", "provider")
INDICATOR_STATUSES = ("proposed", "selected", "dropped", "merged")
# which way is good; "none" where a direction has no meaning (counts, money)
INDICATOR_DIRECTIONS = ("higher", "lower", "none")


class CycleIndicator(SyncedColumns, Base):
    """An indicator a focus group (or the provider) raised in one round, scored beside the
    template's once facilitators select it."""

    __tablename__ = "cycle_indicator"
    __table_args__ = (
        CheckConstraint(f"kind IN {INDICATOR_KINDS}", name="kind"),
        CheckConstraint(f"origin IN {INDICATOR_ORIGINS}", name="origin"),
        CheckConstraint(f"status IN {INDICATOR_STATUSES}", name="status"),
        CheckConstraint(f"better IN {INDICATOR_DIRECTIONS}", name="better"),
        Index("ix_cycle_indicator_cycle_id", "cycle_id"),
        # one standing indicator per key in a round; the same issue raised again is merged
        # into it (a dropped one does not hold its key: the issue may be raised anew)
        Index(
            "uq_cycle_indicator_key",
            "cycle_id",
            "key",
            unique=True,
            postgresql_where=text("status IN ('proposed', 'selected') AND deleted_at IS NULL"),
        ),
    )

    id: Mapped[ClientUuid]
    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id"))
    key: Mapped[str] = mapped_column(Text)
    # {"mn": ..., "en": ...}; en may wait for a coordinator's translation
    label: Mapped[dict[str, Any]] = mapped_column(JSONB)
    kind: Mapped[str] = mapped_column(Text)
    # the group types that raised it
    raised_by: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    origin: Mapped[str] = mapped_column(Text, server_default="community")
    status: Mapped[str] = mapped_column(Text, server_default="proposed")
    merged_into: Mapped[uuid.UUID | None]
    tag: Mapped[str | None] = mapped_column(Text)
    # raised issues are mostly problems ("classrooms are cold"): lower is better there. Set
    # when a facilitator selects the indicator; null until someone has (unknown)
    better: Mapped[str | None] = mapped_column(Text)


# a tag's key, as tablets send it on a raised indicator (`backend/cycles/sync.py`, Tag)
TAG_PATTERN = r"^[a-z][a-z0-9_]{0,63}$"


class RaisedTag(Base):
    """One entry of the programme's list of tags for raised indicators: the key a coordinator
    gives the same issue wherever a group raises it ("toilets"), so that rounds and soums can
    be compared, with its name in both languages. A retired tag is no longer offered; the
    indicators that carry it keep it, and it stays accepted, so that no tablet's work
    bounces for a tidy-up of the list."""

    __tablename__ = "raised_tag"
    __table_args__ = (CheckConstraint(f"key ~ '{TAG_PATTERN}'", name="key"),)

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    label_mn: Mapped[str] = mapped_column(Text)
    label_en: Mapped[str] = mapped_column(Text)
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    def label_for(self, language: str) -> str:
        return self.label_en if language == "en" else self.label_mn
