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
from backend.auth import access, writers
from backend.cycles import phases
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
from backend.sync.rules import NotAllowed
from backend.sync.workset import uuid_or_none
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


# what an approved plan commits to
COMMITTED = ("cost_mnt", "funding_source", "level", "responsible")
# what the interface meeting agreed on an item: once agreed, changed only through a recorded
# revision with its reason (POST /action-plans/v1/items/{id}/revisions), never from a tablet
AGREED = ("issue", "action", "indicator_keys", "resources", "due_on", *COMMITTED)
# the plan is agreed at the interface meeting: once the round has moved past it, it stands
MEETING_PHASE = phases.position("interface_meeting")


class ApprovedItem(Rejected):
    """An agreed item's words, dates or money edited from a tablet, its status set directly, or
    the item deleted: an agreed plan changes by revisions and dated progress reports."""

    code = "action_item.approved"


def is_agreed(ctx: Context, working: Working) -> bool:
    """The item was agreed at the interface meeting: its round has moved past the meeting, or
    its plan was approved."""
    return (
        working.values.get("approval") == "approved"
        or phases.position(ctx.cycle(working.cycle_id).phase) > MEETING_PHASE
    )


def _check_item(ctx: Context, data: ActionItemCreate, values: dict[str, Any]) -> None:
    values["approval"] = "pending"  # the facility head or a coordinator decides on the server
    if data.meeting_id is not None:
        meeting = ctx.reference(MEETING.name, data.meeting_id, "data.meeting_id")
        if meeting.cycle_id != data.cycle_id:
            raise ReferenceMismatch("the meeting is of another cycle", "data.meeting_id")


def _check_item_update(ctx: Context, working: Working, values: dict[str, Any]) -> None:
    if not is_agreed(ctx, working):
        changed = [name for name in values if values[name] != working.values.get(name)]
        refused = writers.first_refused(ctx.principal.role, "action_item", changed)
        if refused is not None:
            raise NotAllowed(f"a {ctx.principal.role} does not change {refused}", f"data.{refused}")
        return
    if "status" in values and values["status"] != working.values.get("status"):
        raise ApprovedItem(
            "the plan is agreed: its items move by progress reports (action_update), dated "
            "and kept, not by editing their status",
            "data.status",
        )
    for name in AGREED:
        if name in values and values[name] != working.values.get(name):
            raise ApprovedItem(
                "the plan is agreed: what an item commits to changes only through a revision "
                "with its reason (POST /action-plans/v1/items/{id}/revisions)",
                f"data.{name}",
            )


def _check_item_delete(ctx: Context, working: Working) -> None:
    if is_agreed(ctx, working):
        raise ApprovedItem(
            "the plan is agreed: an item is dropped by a coordinator's progress report saying "
            "so, not deleted",
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


class ImplausibleReport(Rejected):
    """A progress report dated after today (the programme's date) or before its item was
    stored, a "done" with neither a note nor evidence, or a "dropped" without a reason."""

    code = "action_update.implausible"


class DropNotAllowed(Rejected):
    """An agreed item is dropped by a coordinator (or an admin), who answers for the plan
    beside the facility: nobody on one side drops what both sides agreed."""

    code = "action_update.drop_not_allowed"


DROPPERS = writers.WRITERS["agreed_action_item"]["status"]


def _check_report(ctx: Context, data: ActionUpdateCreate, values: dict[str, Any]) -> None:
    item = ctx.reference(ACTION_ITEM.name, data.action_item_id, "data.action_item_id")
    if data.reported_on > ctx.today:
        raise ImplausibleReport(
            f"a progress report is dated today ({ctx.today}) or earlier", "data.reported_on"
        )
    since = _item_since(ctx, item)
    if since is not None and data.reported_on < since:
        raise ImplausibleReport(
            f"the action item exists since {since}: a progress report on it is dated that day "
            "or later",
            "data.reported_on",
        )
    if data.status == "done" and not data.note.strip() and not data.evidence:
        raise ImplausibleReport(
            "a report saying done carries a note or evidence of what was done", "data.note"
        )
    if data.status == "dropped":
        if not data.note.strip():
            raise ImplausibleReport("a report dropping an item says why", "data.note")
        if is_agreed(ctx, item) and ctx.principal.role not in DROPPERS:
            raise DropNotAllowed(
                "an agreed item is dropped by a coordinator of the area", "data.status"
            )
    return None


def _item_since(ctx: Context, item: Working) -> date | None:
    """The first day an action item can have existed: the day of the meeting that agreed it;
    for an item of no meeting, the day the server stored it (an item arriving in the same push
    as its reports has no such day yet). A tablet offline for days records the plan at the
    meeting, long before the server hears of it."""
    meeting_id = uuid_or_none(item.values.get("meeting_id"))
    if meeting_id is not None:
        try:
            held_on = ctx.reference(MEETING.name, meeting_id, "data.action_item_id").values.get(
                "held_on"
            )
        except Rejected:
            held_on = None
        if held_on:
            return held_on if isinstance(held_on, date) else date.fromisoformat(str(held_on))
    return ctx.local_date(item.created_at) if item.created_at is not None else None


def _place_update(ctx: Context, data: ActionUpdateCreate) -> Placement:
    """A progress report belongs where its action item is."""
    item = ctx.reference(ACTION_ITEM.name, data.action_item_id, "data.action_item_id")
    return Placement(facility_id=item.facility_id, cycle_id=item.cycle_id)


def _move_item(ctx: Context, update: Working, data: Any) -> None:
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
    check_create=_check_report,
    after_create=_move_item,
)
