"""The records tablets create, as the protocol sees them: wire shapes, merge policies, writers.

`data` on the wire is always the canonical JSON form (msgspec builtins: ISO dates, string
UUIDs), so that comparing base, server and device values compares like with like.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from backend.attachments.schemas import Evidence
from backend.auth.models import Role
from backend.db import Base
from backend.meetings.models import ActionItem, ActionUpdate, InterfaceMeeting
from backend.submissions.models import Submission
from backend.sync.merge import Policy
from backend.wire import Wire

ShortText = Annotated[str, msgspec.Meta(max_length=500)]
LongText = Annotated[str, msgspec.Meta(max_length=20_000)]
Count = Annotated[int, msgspec.Meta(ge=0, le=100_000)]
CountKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
IndicatorKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Keys = Annotated[list[IndicatorKey], msgspec.Meta(max_length=100)]
MeetingStatus = Literal["planned", "held", "closed"]
ActionStatus = Literal["not_started", "in_progress", "blocked", "done", "dropped"]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class Group(Wire):
    """A focus group: its type and how many took part by category (female, male, youth,
    elderly, disability, herder, ...); never who."""

    type: CountKey
    participants: dict[CountKey, Count] = msgspec.field(default_factory=dict)
    # the facilitator read out the consent statement and the group agreed
    consent_noted: bool = False


class SubmissionCreate(Wire):
    cycle_id: uuid.UUID
    respondent: Literal["community", "provider", "monitor"]
    answers: dict[IndicatorKey, Any]
    collected_at: datetime
    group: Group | None = None
    facility_id: uuid.UUID | None = None
    template_version_id: uuid.UUID | None = None


class SubmissionUpdate(Wire):
    """Changed fields; `answers` holds only the indicators that changed."""

    answers: dict[IndicatorKey, Any] | Unset = UNSET
    collected_at: datetime | Unset = UNSET
    group: Group | Unset | None = UNSET


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
    issue: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    action: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    meeting_id: uuid.UUID | None = None
    indicator_keys: Keys = msgspec.field(default_factory=list)
    responsible: ShortText = ""
    resources: ShortText = ""
    due_on: date | None = None
    status: ActionStatus = "not_started"


class ActionItemUpdate(Wire):
    issue: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)] | Unset = UNSET
    action: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)] | Unset = UNSET
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


class NoUpdate(Wire):
    """Append-only records take no updates."""


SHARED_WRITERS = frozenset(
    {Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.MONITOR, Role.PROVIDER}
)


@dataclass(frozen=True, slots=True)
class RecordKind:
    name: str
    model: type[Base]
    create: type[Wire]
    update: type[Wire]
    # the fields a device sends and receives (besides id and version)
    fields: tuple[str, ...]
    policies: dict[str, Policy]
    lifecycle_rank: dict[str, dict[str, int]]
    writers: frozenset[Role]
    append_only: bool = False


KINDS: dict[str, RecordKind] = {
    kind.name: kind
    for kind in (
        RecordKind(
            name="submission",
            model=Submission,
            create=SubmissionCreate,
            update=SubmissionUpdate,
            fields=(
                "cycle_id",
                "facility_id",
                "template_version_id",
                "respondent",
                "group",
                "answers",
                "collected_at",
            ),
            policies={"answers": Policy.PER_KEY},
            lifecycle_rank={},
            writers=SHARED_WRITERS,
        ),
        RecordKind(
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
            policies={
                "attendance": Policy.COUNTS,
                "priorities": Policy.SET,
                "status": Policy.LIFECYCLE,
            },
            lifecycle_rank={"status": {"planned": 0, "held": 1, "closed": 2}},
            writers=SHARED_WRITERS,
        ),
        RecordKind(
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
            policies={"indicator_keys": Policy.SET, "status": Policy.LIFECYCLE},
            lifecycle_rank={
                "status": {
                    "not_started": 0,
                    "in_progress": 1,
                    "blocked": 1,
                    "done": 2,
                    "dropped": 2,
                }
            },
            writers=SHARED_WRITERS,
        ),
        RecordKind(
            name="action_update",
            model=ActionUpdate,
            create=ActionUpdateCreate,
            update=NoUpdate,
            fields=("action_item_id", "facility_id", "status", "note", "reported_on", "evidence"),
            policies={},
            lifecycle_rank={},
            writers=SHARED_WRITERS,
            append_only=True,
        ),
    )
}


def canonical(value: Any) -> Any:
    """The JSON form of a value as the wire carries it (dates ISO, UUIDs as strings)."""
    return msgspec.to_builtins(value)


def record_data(kind: RecordKind, row: Any) -> dict[str, Any]:
    """A stored record (ORM object or row mapping) as its wire `data`."""
    get = row.__getitem__ if isinstance(row, dict) else row.__getattribute__
    return {name: canonical(get(name)) for name in kind.fields}


def typed_values(kind: RecordKind, values: dict[str, Any], *, create: bool) -> dict[str, Any]:
    """Canonical values back to Python values the columns take (dates, UUIDs)."""
    struct = msgspec.convert(values, kind.create if create else kind.update, strict=False)
    out = {}
    for name in values:
        value = getattr(struct, name, values[name])
        out[name] = msgspec.to_builtins(value) if isinstance(value, Wire) else value
    return out
