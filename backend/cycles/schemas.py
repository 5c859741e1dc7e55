"""Wire types of cycles and campaigns."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from backend.cycles.phases import PHASES
from backend.facilities.schemas import FacilityType
from backend.wire import Wire

Phase = Literal[PHASES]  # type: ignore[valid-type]  # the phases are listed once, in phases.py
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
GroupType = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class PlannedGroup(Wire):
    """A focus group planned for community scoring (e.g. women, men, youth, parents)."""

    type: GroupType
    planned_on: date | None = None


class CycleIn(Wire):
    facility_id: uuid.UUID
    template_version_id: uuid.UUID
    # the round's label in Mongolian, the primary one ("2026 оны хаврын үе")
    label: Label
    # the same in English ("2026 spring round"); English readers get `label` without it
    label_en: Label | None = None
    planned_groups: Annotated[list[PlannedGroup], msgspec.Meta(max_length=30)] = msgspec.field(
        default_factory=list
    )


class CycleOut(Wire):
    id: uuid.UUID
    facility_id: uuid.UUID
    template_version_id: uuid.UUID
    # in Mongolian, the primary label
    label: str
    phase: str
    previous_cycle_id: uuid.UUID | None
    campaign_id: uuid.UUID | None
    planned_groups: list[PlannedGroup]
    opened_at: datetime
    closed_at: datetime | None
    published_at: datetime | None = None
    reasons_reviewed_at: datetime | None = None
    # in English; null where none was given (readers in English are shown `label`)
    label_en: str | None = None


class CyclePage(Wire):
    items: list[CycleOut]
    total: int
    limit: int
    offset: int


class Advance(Wire):
    """Move the cycle forward to this phase."""

    to: Phase


class Reopen(Wire):
    """Move the cycle back; a coordinator's decision, kept with its reason."""

    to: Phase
    reason: Annotated[str, msgspec.Meta(min_length=3, max_length=1000)]


class PhaseChangeOut(Wire):
    from_phase: str | None
    to_phase: str
    reopened: bool
    reason: str | None
    changed_by: uuid.UUID
    changed_at: datetime


class Withdraw(Wire):
    """Take a round's results back from viewers; a coordinator's decision, kept with why."""

    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class PublicationOut(Wire):
    """A round published, or its publication withdrawn (with why), by whom and when."""

    action: Literal["published", "withdrawn"]
    reason: str
    changed_by: uuid.UUID
    changed_at: datetime


class CampaignIn(Wire):
    """Open a cycle at every facility of one type in an area."""

    template_version_id: uuid.UUID
    area_code: str
    facility_type: FacilityType
    # the rounds' label in Mongolian, the primary one, and in English
    label: Label
    label_en: Label | None = None
    planned_groups: Annotated[list[PlannedGroup], msgspec.Meta(max_length=30)] = msgspec.field(
        default_factory=list
    )


class CampaignOut(Wire):
    id: uuid.UUID
    opened: list[uuid.UUID]
    skipped_open_already: list[uuid.UUID]


class CycleRecord(Wire):
    """A round as a tablet pulls it (entity `cycle`)."""

    facility_id: uuid.UUID
    template_version_id: uuid.UUID
    # in Mongolian, the primary label
    label: str
    phase: str
    previous_cycle_id: uuid.UUID | None
    planned_groups: list[PlannedGroup]
    opened_at: datetime
    closed_at: datetime | None
    published_at: datetime | None
    # in English; null where none was given (show `label`)
    label_en: str | None = None

    @classmethod
    def of(cls, row: Any, *, previous_cycle_id: uuid.UUID | None) -> CycleRecord:
        """The round as one reader pulls it: `previous_cycle_id` as that reader may see it."""
        return cls(
            facility_id=row.facility_id,
            template_version_id=row.template_version_id,
            label=row.label,
            phase=row.phase,
            previous_cycle_id=previous_cycle_id,
            planned_groups=msgspec.convert(row.planned_groups, list[PlannedGroup]),
            opened_at=row.opened_at,
            closed_at=row.closed_at,
            published_at=row.published_at,
            label_en=row.label_en,
        )


class RaisedIndicatorOut(Wire):
    """A community-raised indicator not merged into another, with everything merged into it."""

    id: uuid.UUID
    key: str
    label_mn: str
    label_en: str | None
    kind: str
    origin: str
    # proposed, selected or dropped
    status: str
    # every group type that raised it, its own and those of the indicators merged into it
    raised_by: list[str]
    # keys of the indicators merged into it
    absorbed: list[str]
    tag: str | None
    # which way is better: higher, lower, or none (a count); null while nobody has set it
    better: str | None = None


TagKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
# a name, not blanks
TagLabel = Annotated[str, msgspec.Meta(min_length=1, max_length=200, pattern=r"\S")]


class RaisedTagOut(Wire):
    """A tag of the programme's list: the key a raised indicator carries, with its name in
    both languages. A retired tag is no longer offered, and is still accepted."""

    key: str
    label_mn: str
    label_en: str
    retired: bool


class RaisedTagIn(Wire):
    """A new tag for the list."""

    key: TagKey
    label_mn: TagLabel
    label_en: TagLabel


class RaisedTagUpdate(Wire):
    """A tag renamed, retired or brought back; its key never changes."""

    label_mn: TagLabel | msgspec.UnsetType = msgspec.UNSET
    label_en: TagLabel | msgspec.UnsetType = msgspec.UNSET
    retired: bool | msgspec.UnsetType = msgspec.UNSET


class RaisedTagRecord(Wire):
    """A tag of the programme's list as a tablet pulls it (entity `raised_tag`, its `id` the
    key): offer the tags that are not retired."""

    label_mn: str
    label_en: str
    retired: bool

    @classmethod
    def of(cls, row: Any) -> RaisedTagRecord:
        return cls(label_mn=row.label_mn, label_en=row.label_en, retired=row.retired_at is not None)


class IndicatorWordsIn(Wire):
    """A raised indicator's English words and which way is better, set by a coordinator (what
    is not sent stays as it is)."""

    # the English label; empty or null takes it away
    label_en: Annotated[str, msgspec.Meta(max_length=500)] | msgspec.UnsetType | None = (
        msgspec.UNSET
    )
    # higher, lower, or none (a count); null while nobody knows
    better: Literal["higher", "lower", "none"] | msgspec.UnsetType | None = msgspec.UNSET
