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
    FundingSource,
    InterfaceMeeting,
    Level,
    MeetingStatus,
)
from backend.attachments.schemas import Evidence
from backend.auth import access
from backend.sync.entity import (
    Context,
    Placement,
    ReferenceMismatch,
    Rejected,
    SyncedEntity,
    Working,
)
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
# tögrög, whole; a trillion is beyond any action a facility or soum plans
Money = Annotated[int, msgspec.Meta(ge=0, le=1_000_000_000_000)]


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
    cost_mnt: Money | None = None
    funding_source: FundingSource | None = None
    level: Level | None = None
    review_on: date | None = None


class ActionItemUpdate(Wire):
    issue: Issue | Unset = UNSET
    action: Issue | Unset = UNSET
    indicator_keys: Keys | Unset = UNSET
    responsible: ShortText | Unset = UNSET
    resources: ShortText | Unset = UNSET
    due_on: date | Unset | None = UNSET
    status: ActionStatus | Unset = UNSET
    cost_mnt: Money | Unset | None = UNSET
    funding_source: FundingSource | Unset | None = UNSET
    level: Level | Unset | None = UNSET
    review_on: date | Unset | None = UNSET


class ActionUpdateCreate(Wire):
    """A progress report on an action item; append-only."""

    action_item_id: uuid.UUID
    status: ActionStatus
    reported_on: date
    note: LongText = ""
    # money spent on the item since the last report; reports add up
    spent_mnt: Money = 0
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


# what an approved plan commits to: changed only through a recorded revision
COMMITTED = ("cost_mnt", "funding_source", "level", "responsible")


class ApprovedItem(Rejected):
    """An approved item's cost, funding, level or responsible party edited from a tablet."""

    code = "action_item.approved"


def _check_item(ctx: Context, data: ActionItemCreate, values: dict[str, Any]) -> None:
    values["approval"] = "pending"  # the facility head or a coordinator decides on the server
    if data.meeting_id is not None:
        meeting = ctx.reference(MEETING.name, data.meeting_id, "data.meeting_id")
        if meeting.cycle_id != data.cycle_id:
            raise ReferenceMismatch("the meeting is of another cycle", "data.meeting_id")


def _check_item_update(ctx: Context, working: Working, values: dict[str, Any]) -> None:
    if working.values.get("approval") != "approved":
        return
    if "status" in values and values["status"] != working.values.get("status"):
        raise ApprovedItem(
            "the plan is approved: its items move by progress reports (action_update), dated "
            "and kept, not by editing their status",
            "data.status",
        )
    for name in COMMITTED:
        if name in values and values[name] != working.values.get(name):
            raise ApprovedItem(
                "the plan is approved: its cost, funding, level and responsible party change "
                "only through a revision (POST /action-plans/v1/items/{id}/revisions)",
                f"data.{name}",
            )


def _check_item_delete(ctx: Context, working: Working) -> None:
    if working.values.get("approval") == "approved":
        raise ApprovedItem(
            "the plan is approved: an item is dropped by a progress report saying so, not deleted",
            "op",
        )


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
        "cost_mnt",
        "funding_source",
        "level",
        "review_on",
        "approval",
    ),
    writers=SHARED_WRITERS,
    policies={"indicator_keys": Policy.SET, "status": Policy.LIFECYCLE},
    lifecycle_rank={"status": ACTION_STAGES},
    references={"meeting_id": MEETING.name},
    check_create=_check_item,
    check_update=_check_item_update,
    check_delete=_check_item_delete,
)


def _place_update(ctx: Context, data: ActionUpdateCreate) -> Placement:
    """A progress report belongs where its action item is."""
    item = ctx.reference(ACTION_ITEM.name, data.action_item_id, "data.action_item_id")
    return Placement(facility_id=item.facility_id, cycle_id=item.cycle_id)


def _move_item(ctx: Context, update: Working) -> None:
    """A report moves its item's status forward (done or dropped finishes it); never back."""
    item_id = uuid.UUID(update.values["action_item_id"])
    item = ctx.reference(ACTION_ITEM.name, item_id, "data.action_item_id")
    reported = update.values["status"]
    if ACTION_STAGES[reported] > ACTION_STAGES[item.values["status"]]:
        ctx.follow(item, {"status": reported})


ACTION_UPDATE = SyncedEntity(
    visible=access.action_update_visible,
    name="action_update",
    model=ActionUpdate,
    create=ActionUpdateCreate,
    update=NoUpdate,
    fields=(
        "action_item_id",
        "facility_id",
        "status",
        "note",
        "reported_on",
        "evidence",
        "spent_mnt",
    ),
    writers=SHARED_WRITERS,
    append_only=True,
    references={"action_item_id": ACTION_ITEM.name},
    place=_place_update,
    after_create=_move_item,
)
