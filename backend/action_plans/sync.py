"""Interface meetings and the action plan as tablets sync them: wire shapes, merge policies and
the rule that an action item's meeting is of the item's own round."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import msgspec

from backend.action_plans.models import (
    ACTION_STAGES,
    MEETING_STAGES,
    ActionItem,
    ActionStatus,
    ActionUpdate,
    InterfaceMeeting,
    MeetingStatus,
)
from backend.attachments.schemas import Evidence
from backend.auth import access
from backend.sync.entity import Context, Placement, ReferenceMismatch, SyncedEntity
from backend.sync.merge import Policy
from backend.sync.records import (
    SHARED_WRITERS,
    UNSET,
    Count,
    CountKey,
    Keys,
    LongText,
    NoUpdate,
    ShortText,
    Unset,
)
from backend.wire import Wire

# the tablet contract publishes these shapes under schemas/sync/, with the rest of the protocol
CONTRACT_AREA = "sync"

Issue = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class MeetingCreate(Wire):
    cycle_id: uuid.UUID
    held_on: date | None = None
    venue: ShortText = ""
    attendance: dict[CountKey, Count] = msgspec.field(default_factory=dict)
    priorities: Keys = msgspec.field(default_factory=list)
    notes: LongText = ""
    status: MeetingStatus = "planned"


class MeetingUpdate(Wire):
    held_on: date | Unset | None = UNSET
    venue: ShortText | Unset = UNSET
    attendance: dict[CountKey, Count] | Unset = UNSET
    priorities: Keys | Unset = UNSET
    notes: LongText | Unset = UNSET
    status: MeetingStatus | Unset = UNSET


class ActionItemCreate(Wire):
    cycle_id: uuid.UUID
    issue: Issue
    action: Issue
    meeting_id: uuid.UUID | None = None
    indicator_keys: Keys = msgspec.field(default_factory=list)
    responsible: ShortText = ""
    resources: ShortText = ""
    due_on: date | None = None
    status: ActionStatus = "not_started"


class ActionItemUpdate(Wire):
    issue: Issue | Unset = UNSET
    action: Issue | Unset = UNSET
    indicator_keys: Keys | Unset = UNSET
    responsible: ShortText | Unset = UNSET
    resources: ShortText | Unset = UNSET
    due_on: date | Unset | None = UNSET
    status: ActionStatus | Unset = UNSET


class ActionUpdateCreate(Wire):
    """A progress report on an action item; append-only."""

    action_item_id: uuid.UUID
    status: ActionStatus
    reported_on: date
    note: LongText = ""
    # sha256 of photos or documents showing the progress (PUT /sync/v1/attachments/{sha256})
    evidence: Evidence = msgspec.field(default_factory=list)


MEETING = SyncedEntity(
    visible=access.meeting_visible,
    name="interface_meeting",
    model=InterfaceMeeting,
    create=MeetingCreate,
    update=MeetingUpdate,
    fields=(
        "cycle_id",
        "facility_id",
        "held_on",
        "venue",
        "attendance",
        "priorities",
        "notes",
        "status",
    ),
    writers=SHARED_WRITERS,
    policies={"attendance": Policy.COUNTS, "priorities": Policy.SET, "status": Policy.LIFECYCLE},
    lifecycle_rank={"status": MEETING_STAGES},
)


def _check_item(ctx: Context, data: ActionItemCreate, values: dict[str, Any]) -> None:
    if data.meeting_id is not None:
        meeting = ctx.reference(MEETING.name, data.meeting_id, "data.meeting_id")
        if meeting.cycle_id != data.cycle_id:
            raise ReferenceMismatch("the meeting is of another cycle", "data.meeting_id")


ACTION_ITEM = SyncedEntity(
    visible=access.action_item_visible,
    name="action_item",
    model=ActionItem,
    create=ActionItemCreate,
    update=ActionItemUpdate,
    fields=(
        "cycle_id",
        "facility_id",
        "meeting_id",
        "indicator_keys",
        "issue",
        "action",
        "responsible",
        "resources",
        "due_on",
        "status",
    ),
    writers=SHARED_WRITERS,
    policies={"indicator_keys": Policy.SET, "status": Policy.LIFECYCLE},
    lifecycle_rank={"status": ACTION_STAGES},
    references={"meeting_id": MEETING.name},
    check_create=_check_item,
)


def _place_update(ctx: Context, data: ActionUpdateCreate) -> Placement:
    """A progress report belongs where its action item is."""
    item = ctx.reference(ACTION_ITEM.name, data.action_item_id, "data.action_item_id")
    return Placement(facility_id=item.facility_id, cycle_id=item.cycle_id)


ACTION_UPDATE = SyncedEntity(
    visible=access.action_update_visible,
    name="action_update",
    model=ActionUpdate,
    create=ActionUpdateCreate,
    update=NoUpdate,
    fields=("action_item_id", "facility_id", "status", "note", "reported_on", "evidence"),
    writers=SHARED_WRITERS,
    append_only=True,
    references={"action_item_id": ACTION_ITEM.name},
    place=_place_update,
)
