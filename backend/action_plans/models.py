"""Interface meetings, the joint action plan's items and their append-only updates."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, Literal, get_args

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base
from backend.database.types import ClientUuid, SyncedColumns

MeetingStatus = Literal["planned", "held", "closed"]
ActionStatus = Literal["not_started", "in_progress", "blocked", "done", "dropped"]
MEETING_STATUSES: tuple[str, ...] = get_args(MeetingStatus)
ACTION_STATUSES: tuple[str, ...] = get_args(ActionStatus)
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


class ActionUpdate(SyncedColumns, Base):
    """A progress report on an action item; never edited, never removed."""

    __tablename__ = "action_update"
    __table_args__ = (
        CheckConstraint(_in("status", ACTION_STATUSES), name="status"),
        Index("ix_action_update_action_item_id", "action_item_id"),
    )

    id: Mapped[ClientUuid]
    action_item_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("action_item.id"))
    status: Mapped[str] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, server_default="")
    reported_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default="{}")
