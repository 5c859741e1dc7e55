"""Submissions as tablets sync them: wire shapes, who may submit what and when, the content hash.

The same rules hold however a submission arrives: `check_new` is what a push runs on a new
submission, and what the demo data runs on its own.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime
from typing import Any, Literal

import msgspec

from backend.auth import access
from backend.auth.models import Role
from backend.cycles import sync as raised
from backend.cycles.phases import SCORING_PHASES
from backend.reviews import submissions as reviews
from backend.scorecards import service as templates
from backend.submissions.models import Submission
from backend.sync.entity import Context, Placement, Rejected, SyncedEntity, Working
from backend.sync.merge import Policy
from backend.sync.records import (
    SHARED_WRITERS,
    UNSET,
    Count,
    CountKey,
    IndicatorKey,
    Unset,
)
from backend.wire import Wire

# the tablet contract publishes these shapes under schemas/sync/, with the rest of the protocol
CONTRACT_AREA = "sync"

Respondent = Literal["community", "provider", "monitor"]

SUBMITTERS: dict[str, frozenset[Role]] = {
    "community": frozenset({Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.MONITOR}),
    "monitor": frozenset({Role.ADMIN, Role.COORDINATOR, Role.MONITOR}),
    "provider": frozenset({Role.ADMIN, Role.COORDINATOR, Role.PROVIDER}),
}


class Group(Wire):
    """A focus group: its type and how many took part by category (female, male, youth,
    elderly, disability, herder, ...); never who."""

    type: CountKey
    participants: dict[CountKey, Count] = msgspec.field(default_factory=dict)
    # the facilitator read out the consent statement and the group agreed
    consent_noted: bool = False


class SubmissionCreate(Wire):
    cycle_id: uuid.UUID
    respondent: Respondent
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


class RespondentNotAllowed(Rejected):
    code = "submission.respondent_not_allowed"


class CycleMismatch(Rejected):
    code = "submission.cycle_mismatch"


class InvalidAnswers(Rejected):
    code = "submission.invalid_answers"


class NotAuthor(Rejected):
    code = "submission.not_author"


class CycleNotScoring(Rejected):
    code = "submission.cycle_not_scoring"


class SelfAssessmentFinal(Rejected):
    """The provider scores blind: from the moment its self-assessment is in, it reads the
    community's scores, so it neither changes nor withdraws the self-assessment afterwards."""

    code = "submission.self_assessment_final"


def content_hash(values: dict[str, Any]) -> str:
    """SHA-256 of a submission as first sent: a reinstalled tablet's resend is recognised.
    How it arrived (`source`) is not what it says: a resend of a submission stored before
    sources were kept is still recognised."""
    said = {name: value for name, value in values.items() if name != "source"}
    return hashlib.sha256(msgspec.json.encode(said, order="sorted")).hexdigest()


def check_answers(
    ctx: Context, cycle_id: uuid.UUID, respondent: str, answers: dict[str, Any]
) -> None:
    """Answers to the template's indicators and the round's selected raised ones."""
    compiled = raised.scored(
        ctx, cycle_id, templates.compiled(ctx.cycle(cycle_id).template_version)
    )
    errors = compiled.validate(answers, respondent=respondent)
    if errors:
        raise InvalidAnswers(
            f"{len(errors)} answer(s) do not fit the template: {errors[0].message}",
            f"data.{errors[0].field}",
            [{"field": f"data.{e.field}", "code": e.code, "message": e.message} for e in errors],
        )


def check_new(ctx: Context, data: SubmissionCreate, values: dict[str, Any]) -> str:
    """Whether the pusher may hand in this submission to this round; its content hash."""
    role, cycle = ctx.principal.role, ctx.cycle(data.cycle_id)
    if role not in SUBMITTERS[data.respondent]:
        raise RespondentNotAllowed(
            f"a {role} cannot submit {data.respondent} scores", "data.respondent"
        )
    for name, expected in (
        ("facility_id", cycle.facility_id),
        ("template_version_id", cycle.template_version_id),
    ):
        given = getattr(data, name)
        if given is not None and given != expected:
            raise CycleMismatch(f"{name} is not the cycle's", f"data.{name}")
    check_answers(ctx, data.cycle_id, data.respondent, values["answers"])
    return content_hash(values)


def _place(ctx: Context, data: SubmissionCreate) -> Placement:
    cycle = ctx.cycle(data.cycle_id)
    return Placement(
        facility_id=cycle.facility_id,
        cycle_id=data.cycle_id,
        # the server says how it arrived, whatever the data sent says
        values={"template_version_id": str(cycle.template_version_id), "source": ctx.source},
    )


def _check_change(ctx: Context, working: Working) -> None:
    if working.created_by != ctx.principal.user_id:
        raise NotAuthor("only its author may change a submission")
    if working.values["respondent"] == "provider" and ctx.principal.role is Role.PROVIDER:
        raise SelfAssessmentFinal(
            "a self-assessment is final once it is in: the comparison has been open since", "id"
        )
    cycle = ctx.cycles.get(working.cycle_id)
    if cycle is None or cycle.phase not in SCORING_PHASES:
        raise CycleNotScoring("scores can change only while the cycle is in a scoring phase")


def _check_update(ctx: Context, working: Working, values: dict[str, Any]) -> None:
    if "answers" in values:
        check_answers(ctx, working.cycle_id, working.values["respondent"], values["answers"])


SUBMISSION = SyncedEntity(
    visible=access.submission_visible,
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
        # "tablet", or "paper": typed at the console from a paper sheet by `created_by`
        "source",
    ),
    writers=SHARED_WRITERS,
    policies={"answers": Policy.PER_KEY},
    place=_place,
    check_create=check_new,
    check_change=_check_change,
    check_update=_check_update,
    # the team's tablets receive a coordinator's review with the submission
    as_read=reviews.as_read,
)
