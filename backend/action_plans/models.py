"""Interface meetings, the joint action plan's items and their append-only updates."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, Literal, get_args

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Text,
    Uuid,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base, ServerUuid
from backend.database.types import ClientUuid, SyncedColumns

MeetingStatus = Literal["planned", "held", "closed"]
ActionStatus = Literal["not_started", "in_progress", "blocked", "done", "dropped"]
MEETING_STATUSES: tuple[str, ...] = get_args(MeetingStatus)
ACTION_STATUSES: tuple[str, ...] = get_args(ActionStatus)
# who pays for an action: the facility, the soum's Local Development Fund, the aimag, a ministry,
# the health insurance fund, the community itself, or another source
FundingSource = Literal[
    "facility_budget",
    "soum_ldf",
    "aimag_budget",
    "ministry",
    "health_insurance",
    "community",
    "other",
]
FUNDING_SOURCES: tuple[str, ...] = get_args(FundingSource)
# the level of government responsible for an action
Level = Literal["facility", "soum", "aimag", "national"]
LEVELS: tuple[str, ...] = get_args(Level)
Approval = Literal["pending", "approved", "returned"]
APPROVALS: tuple[str, ...] = get_args(Approval)
# how far along its life each status is: a merge never moves a status to a lower stage
MEETING_STAGES: dict[str, int] = {"planned": 0, "held": 1, "closed": 2}
ACTION_STAGES: dict[str, int] = {
    "not_started": 0,
    "in_progress": 1,
    "blocked": 1,
    "done": 2,
    "dropped": 2,
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value}'" for value in values) + ")"


class InterfaceMeeting(SyncedColumns, Base):
    __tablename__ = "interface_meeting"
    __table_args__ = (
        CheckConstraint(_in("status", MEETING_STATUSES), name="status"),
        Index("ix_interface_meeting_cycle_id", "cycle_id"),
    )

    id: Mapped[ClientUuid]
    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id"))
    held_on: Mapped[date | None] = mapped_column(Date)
    venue: Mapped[str] = mapped_column(Text, server_default="")
    # counted by role and sex, never named
    attendance: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    priorities: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    notes: Mapped[str] = mapped_column(Text, server_default="")
    status: Mapped[str] = mapped_column(Text, server_default="planned")


class ActionItem(SyncedColumns, Base):
    __tablename__ = "action_item"
    __table_args__ = (
        CheckConstraint(_in("status", ACTION_STATUSES), name="status"),
        CheckConstraint("cost_mnt >= 0", name="cost_mnt"),
        CheckConstraint(_in("funding_source", FUNDING_SOURCES), name="funding_source"),
        CheckConstraint(_in("level", LEVELS), name="level"),
        CheckConstraint(_in("approval", APPROVALS), name="approval"),
        Index("ix_action_item_cycle_id", "cycle_id"),
    )

    id: Mapped[ClientUuid]
    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id"))
    meeting_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("interface_meeting.id"))
    indicator_keys: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    issue: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(Text, server_default="")
    resources: Mapped[str] = mapped_column(Text, server_default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(Text, server_default="not_started")
    cost_mnt: Mapped[int | None] = mapped_column(BigInteger)
    funding_source: Mapped[str | None] = mapped_column(Text)
    level: Mapped[str | None] = mapped_column(Text)
    review_on: Mapped[date | None] = mapped_column(Date)
    # set by the server when the facility head or a coordinator decides on the round's plan
    approval: Mapped[str] = mapped_column(Text, server_default="pending")


class ActionUpdate(SyncedColumns, Base):
    """A progress report on an action item; never edited, never removed."""

    __tablename__ = "action_update"
    __table_args__ = (
        CheckConstraint(_in("status", ACTION_STATUSES), name="status"),
        CheckConstraint("spent_mnt >= 0", name="spent_mnt"),
        Index("ix_action_update_action_item_id", "action_item_id"),
    )

    id: Mapped[ClientUuid]
    action_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("action_item.id"))
    status: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, server_default="")
    reported_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
    # money spent on the item since the last report (reports add up)
    spent_mnt: Mapped[int] = mapped_column(BigInteger, server_default="0")


class PlanDecision(Base):
    """A round's action plan approved or returned, by whom, when, why, and the items it covered."""

    __tablename__ = "plan_decision"
    __table_args__ = (
        CheckConstraint("decision IN ('approved', 'returned')", name="decision"),
        Index("ix_plan_decision_cycle_id", "cycle_id"),
    )

    id: Mapped[ServerUuid]
    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id"))
    decision: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, server_default="")
    items: Mapped[list[uuid.UUID]] = mapped_column(ARRAY(Uuid))
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ActionRevision(Base):
    """An approved item's cost, funding, level or responsible party changed: before and after."""

    __tablename__ = "action_revision"
    __table_args__ = (Index("ix_action_revision_action_item_id", "action_item_id"),)

    id: Mapped[ServerUuid]
    action_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("action_item.id"))
    before: Mapped[dict[str, Any]] = mapped_column(JSONB)
    after: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reason: Mapped[str] = mapped_column(Text)
    revised_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    revised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
