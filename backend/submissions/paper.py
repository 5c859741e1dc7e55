"""Paper scorecards: a focus group's sheet typed in at the console where tablets are short.

A typed sheet is handed in as a tablet hands in a submission, through the push's own checks
and writes (`backend/sync/push.enter`), only without a device: it is stored with the source
"paper" and the person who typed it as its author, once however often the form is sent (its
id is made when the form is drawn). The photo of the sheet is kept as any upload is (named by
its content's hash, cleaned of EXIF) and named as the evidence of every answer on the sheet.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import anyio.to_thread
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.attachments import media, uploads
from backend.attachments.storage import Store
from backend.auth import access
from backend.auth.models import User
from backend.auth.policy import Principal
from backend.cycles import service as cycles
from backend.cycles import sync as raised
from backend.cycles.models import Cycle, CycleIndicator
from backend.cycles.phases import SCORING_PHASES
from backend.errors import DomainError, FieldError, InvalidInput
from backend.facilities.models import Facility
from backend.scorecards import service as templates
from backend.scorecards.document import Indicator, LocalText, TemplateDocument
from backend.scorecards.group_types import GROUP_TYPES
from backend.scorecards.models import TemplateVersion
from backend.settings import Settings
from backend.submissions.models import Submission
from backend.submissions.sync import SUBMITTERS
from backend.sync import push
from backend.sync.records import record_data
from backend.sync.schemas import ItemError, MutationIn, MutationResult

RESPONDENT = "community"  # a paper sheet is one focus group's
# who may type a sheet in: whoever may hand in a community group's scores, viewers never
TYPISTS = SUBMITTERS[RESPONDENT]
# the time of day a sheet's session is stored at: the day it was held, whatever the time zone
SESSION_TIME = time(12, 0)


class SheetRefused(InvalidInput):
    """The sheet was refused as a tablet's push of it would be: `errors` carry the push's own
    codes (`sync.round_closed`, `submission.invalid_answers` with one error per answer...)."""


@dataclass(frozen=True, slots=True)
class OpenRound:
    """A round whose focus groups' sheets may be typed in now."""

    cycle_id: uuid.UUID
    label: LocalText
    facility: LocalText
    area: LocalText
    template: LocalText
    phase: str


@dataclass(frozen=True, slots=True)
class SheetRound:
    """What a sheet of one round asks: the round's community indicators in order (the
    template's, then the raised ones selected for scoring) and the groups to choose from."""

    cycle_id: uuid.UUID
    label: LocalText
    facility: LocalText
    phase: str
    scoring: bool
    sections: dict[str, LocalText]
    indicators: list[Indicator]
    # the round's planned groups first, then every other known type
    group_types: list[str]


@dataclass(frozen=True, slots=True)
class Sheet:
    """One focus group's paper sheet as typed in."""

    id: uuid.UUID
    cycle_id: uuid.UUID
    group_type: str
    participants: dict[str, Any]
    held_on: date
    # indicator key -> {"value": ..., "reason": ..., "suggestion": ...}
    answers: dict[str, dict[str, Any]]
    photo: bytes | None
    consent_noted: bool = False


@dataclass(frozen=True, slots=True)
class TypedSheet:
    """A sheet typed in for a round: which group, how many took part, who typed it, when."""

    id: uuid.UUID
    group_type: str
    participants: int
    typed_by: str
    typed_at: datetime
    collected_at: datetime


def _label(cycle: Cycle) -> LocalText:
    return LocalText(mn=cycle.label, en=cycle.label_for("en"))


async def open_rounds(db: AsyncSession, *, principal: Principal) -> list[OpenRound]:
    """The rounds in the caller's scope taking scores now, by area and facility."""
    if principal.role not in TYPISTS:
        return []
    rows = await db.execute(
        select(Cycle, Facility, Area, TemplateVersion.document["name"])
        .join(Facility, Facility.id == Cycle.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .join(TemplateVersion, TemplateVersion.id == Cycle.template_version_id)
        .where(access.round_visible(principal), Cycle.phase.in_(SCORING_PHASES))
        .order_by(Area.name_mn, Facility.name_mn, Cycle.opened_at)
        .limit(500)
    )
    return [
        OpenRound(
            cycle_id=cycle.id,
            label=_label(cycle),
            facility=LocalText(mn=facility.name_mn, en=facility.name_en or facility.name_mn),
            area=LocalText(mn=area.name_mn, en=area.name_en),
            template=LocalText(mn=name["mn"], en=name["en"]),
            phase=cycle.phase,
        )
        for cycle, facility, area, name in rows
    ]


async def sheet_round(db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID) -> SheetRound:
    """The round's sheet as a group answers it; 404 for a round outside the caller's scope."""
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
    version = await db.get_one(TemplateVersion, cycle.template_version_id)
    facility = await db.get_one(Facility, cycle.facility_id)
    document: TemplateDocument = templates.document_of(version)
    compiled = templates.compiled(version)
    selected = await db.scalars(
        select(CycleIndicator)
        .where(
            CycleIndicator.cycle_id == cycle_id,
            CycleIndicator.status == "selected",
            CycleIndicator.deleted_at.is_(None),
        )
        .order_by(CycleIndicator.created_at, CycleIndicator.id)
    )
    # each answered as the push checks it: on the template's scale, by the side that raised it
    raised_ones = [
        raised.as_indicator(record_data(raised.CYCLE_INDICATOR, row), compiled.scale)
        for row in selected
    ]
    indicators = [
        indicator
        for indicator in (*compiled.indicators.values(), *raised_ones)
        if RESPONDENT in indicator.respondents
    ]
    planned = [group.get("type", "") for group in cycle.planned_groups or []]
    return SheetRound(
        cycle_id=cycle.id,
        label=_label(cycle),
        facility=LocalText(mn=facility.name_mn, en=facility.name_en or facility.name_mn),
        phase=cycle.phase,
        scoring=cycle.phase in SCORING_PHASES,
        sections={
            **{section.key: section.title for section in document.sections},
            "raised": LocalText(mn="Иргэдийн дэвшүүлсэн асуудал", en="Issues the groups raised"),
        },
        indicators=indicators,
        group_types=list(dict.fromkeys([*filter(None, planned), *GROUP_TYPES])),
    )


async def typed_sheets(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID
) -> list[TypedSheet]:
    """The round's sheets typed in from paper so far, newest first, as the caller may see
    them (a sheet typed twice shows here before it is stored twice)."""
    rows = await db.execute(
        select(
            Submission.id,
            Submission.group,
            Submission.participants,
            User.display_name,
            Submission.created_at,
            Submission.collected_at,
        )
        .join(User, User.id == Submission.created_by)
        .where(
            Submission.cycle_id == cycle_id,
            Submission.source == "paper",
            Submission.deleted_at.is_(None),
            access.submission_visible(principal),
        )
        .order_by(Submission.created_at.desc(), Submission.id)
        .limit(200)
    )
    return [
        TypedSheet(
            id=record_id,
            group_type=(group or {}).get("type", ""),
            participants=participants,
            typed_by=typed_by,
            typed_at=typed_at,
            collected_at=collected_at,
        )
        for record_id, group, participants, typed_by, typed_at, collected_at in rows
    ]


def _refusal(error: ItemError | None, photo: DomainError | None) -> SheetRefused:
    """The push's refusal (one problem per answer where it found several) and the photo's,
    as one."""
    listed = (error.errors or []) if error is not None else []
    found = [
        FieldError(field=e.get("field"), message=str(e.get("message", "")), code=e.get("code"))
        for e in listed
    ]
    if error is not None and not found:
        found = [FieldError(field=error.field, message=error.detail, code=error.code)]
    if photo is not None:
        found.append(FieldError(field="photo", message=str(photo), code=photo.code))
    first = found[0] if found else FieldError(field=None, message="refused")
    return SheetRefused(first.message, field=first.field, errors=found)


async def hand_in(
    db: AsyncSession, store: Store, *, principal: Principal, settings: Settings, sheet: Sheet
) -> MutationResult:
    """Store a typed sheet as a push stores a tablet's: `applied` the first time, `duplicate`
    when the same sheet (its id and content) arrives again; a refusal raises and stores
    nothing."""
    # the photo is judged (and cleaned) before anything is written, and its problem told
    # together with those of the answers
    photo_problem: DomainError | None = None
    cleaned: media.Cleaned | None = None
    limit = settings.limits.max_attachment_bytes
    if not sheet.photo:
        photo_problem = InvalidInput("Attach a photo of the paper sheet.", field="photo")
    elif len(sheet.photo) > limit:
        photo_problem = uploads.TooLarge(f"{len(sheet.photo)} bytes; at most {limit}")
    else:
        try:
            cleaned = await anyio.to_thread.run_sync(media.clean, sheet.photo)
        except (media.UnsupportedType, media.Unreadable) as problem:
            photo_problem = problem
    sha256 = hashlib.sha256(sheet.photo or b"").hexdigest()
    collected_at = datetime.combine(sheet.held_on, SESSION_TIME, ZoneInfo(settings.timezone))
    mutation = MutationIn(
        mutation_id=1,  # no device counts these: the record's id makes them exactly once
        entity="submission",
        op="create",
        id=str(sheet.id),
        data={
            "cycle_id": str(sheet.cycle_id),
            "respondent": RESPONDENT,
            "collected_at": collected_at.isoformat(),
            "group": {
                "type": sheet.group_type,
                "participants": sheet.participants,
                "consent_noted": sheet.consent_noted,
            },
            "answers": {
                key: {**answer, "evidence": [sha256]} for key, answer in sheet.answers.items()
            },
        },
    )
    result = await push.enter(
        db,
        principal=principal,
        settings=settings,
        mutation=mutation,
        source="paper",
        write=cleaned is not None,
    )
    if result.status == "rejected":
        assert result.error is not None
        raise _refusal(result.error, photo_problem)
    if photo_problem is not None or cleaned is None:
        raise _refusal(None, photo_problem)
    if result.status == "applied":
        await uploads.store_cleaned(
            db,
            store,
            sha256,
            len(sheet.photo or b""),
            cleaned,
            uploaded_by=principal.user_id,
            device_id=None,
        )
    return result
