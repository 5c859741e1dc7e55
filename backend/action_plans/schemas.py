"""Wire types of the action plan."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from backend.action_plans.models import FundingSource, Level
from backend.action_plans.sync import Issue, Money
from backend.sync.records import Keys, ShortText
from backend.wire import Wire

Reason = Annotated[str, msgspec.Meta(max_length=2000)]


class ActionUpdateOut(Wire):
    id: uuid.UUID
    status: str
    note: str
    reported_on: date
    spent_mnt: int


class ActionItemOut(Wire):
    id: uuid.UUID
    cycle_id: uuid.UUID
    facility_id: uuid.UUID
    meeting_id: uuid.UUID | None
    indicator_keys: list[str]
    issue: str
    action: str
    responsible: str
    resources: str
    due_on: date | None
    status: str
    version: int
    overdue: bool
    updates: list[ActionUpdateOut]
    cost_mnt: int | None
    funding_source: str | None
    level: str | None
    review_on: date | None
    # pending, approved or returned: the facility head's or a coordinator's decision on the plan
    approval: str
    # the sum of the money its progress reports recorded as spent
    spent_mnt: int
    # a review date reached while the item is neither done nor dropped
    due_for_review: bool
    # agreed at the interface meeting (the round moved past it, or the plan was approved):
    # what it commits to changes only by revision
    agreed: bool = False
    # the reports' spending is beyond the item's cost: flagged for the coordinator
    over_cost: bool = False


class ActionItemPage(Wire):
    items: list[ActionItemOut]
    total: int
    limit: int
    offset: int


class ItemVersion(Wire):
    id: uuid.UUID
    version: int


class DecisionIn(Wire):
    decision: Literal["approved", "returned"]
    # the items the decider read, at the versions read (the item list gives both): every item
    # not yet approved, as it is now, or the plan changed meanwhile and nothing is decided
    items: Annotated[list[ItemVersion], msgspec.Meta(min_length=1, max_length=500)]
    # why a plan is returned (required then); optional with an approval
    reason: Reason = ""


class DecisionOut(Wire):
    id: uuid.UUID
    cycle_id: uuid.UUID
    decision: str
    reason: str
    # the items the decision covered
    items: list[uuid.UUID]
    decided_by: uuid.UUID
    decided_at: datetime


class RevisionIn(Wire):
    """What an agreed item commits to, changed for a stated reason that the meeting's side can
    read (GET /action-plans/v1/cycles/{id}/revisions); fields left out keep their value."""

    reason: Reason
    cost_mnt: Money | None = None
    funding_source: FundingSource | None = None
    level: Level | None = None
    responsible: ShortText | None = None
    issue: Issue | None = None
    action: Issue | None = None
    resources: ShortText | None = None
    due_on: date | None = None
    indicator_keys: Keys | None = None


class RevisionOut(Wire):
    id: uuid.UUID
    action_item_id: uuid.UUID
    before: dict[str, Any]
    after: dict[str, Any]
    reason: str
    revised_by: uuid.UUID
    revised_at: datetime
    # the item's version after the revision
    version: int
