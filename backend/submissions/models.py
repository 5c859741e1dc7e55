"""Submissions: one completed scorecard (a focus group, a provider, a monitor's visit)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Computed, DateTime, ForeignKey, Index, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base
from backend.database.types import ClientUuid, SyncedColumns


class Submission(SyncedColumns, Base):
    __tablename__ = "submission"
    __table_args__ = (
        CheckConstraint("respondent IN ('community', 'provider', 'monitor')", name="respondent"),
        CheckConstraint("source IN ('tablet', 'paper')", name="source"),
        Index("ix_submission_cycle_id", "cycle_id"),
    )

    id: Mapped[ClientUuid]
    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id"))
    template_version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("template_version.id"))
    respondent: Mapped[str] = mapped_column(Text)
    # {"type": "women", "participants": {"female": 9, ...}}: counted, never named
    group: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # the group's size, computed by PostgreSQL (group_size(), the disclosure rule's measure)
    participants: Mapped[int] = mapped_column(Computed('group_size("group")', persisted=True))
    # {indicator_key: {"value": ..., "reason": ..., "suggestion": ...}}
    answers: Mapped[dict[str, Any]] = mapped_column(JSONB)
    collected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # SHA-256 of the submission as first sent: a reinstalled tablet's resend is recognised
    content_hash: Mapped[str] = mapped_column(Text)
    # how it arrived: pushed from a tablet, or typed from a paper sheet at the console by its
    # `created_by` (the sheet's photo is the evidence of its answers)
    source: Mapped[str] = mapped_column(Text, server_default="tablet")
