"""The results' statistics, computed in PostgreSQL over the answers the caller may count.

Every query here counts only the submissions whose answers may enter the caller's figures
under the disclosure rule (`access.publishable`, `backend/auth/access.py`): an outsider's
statistics come from publishable cells only, so nothing hidden can be subtracted out of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    Integer,
    Text,
    and_,
    case,
    cast,
    column,
    func,
    literal,
    select,
    true,
    tuple_,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.attachments import refs
from backend.attachments.models import Attachment, AttachmentRef
from backend.auth import access
from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.facilities.models import Facility
from backend.reports.models import CycleStatistic
from backend.reviews import submissions as submission_reviews
from backend.submissions.models import Submission


def answers_of() -> Any:
    """Each answer of a submission as a row (key, value): jsonb_each(answers)."""
    return (
        func.jsonb_each(Submission.answers)
        .table_valued(column("key", Text), column("value", JSONB))
        .lateral("answer")
    )


def scored_answers(principal: Principal, *where: ColumnElement[bool], unit: Any = None) -> Any:
    """One row per numeric answer counted for the caller: numbers as they are, yes/no as 1/0
    (so a mean is the share answering yes), with the group's size and the row's unit."""
    answer = answers_of()
    value = answer.c.value["value"]
    kind = func.jsonb_typeof(value)
    score = case(
        (kind == "number", cast(value.astext, Float)),
        (kind == "boolean", cast(cast(cast(value.astext, Boolean), Integer), Float)),
    )
    columns = [
        Submission.respondent,
        Submission.group["type"].astext.label("group_type"),
        Submission.participants.label("people"),
        Submission.facility_id,
        answer.c.key.label("indicator"),
        score.label("score"),
    ]
    if unit is not None:
        columns.append(unit.label("unit"))
    query = (
        select(*columns)
        .select_from(Submission)
        .join(answer, true())
        .where(
            Submission.deleted_at.is_(None),
            access.publishable(principal),
            kind.in_(["number", "boolean"]),
            *where,
        )
    )
    if unit is not None:
        query = query.join(Facility, Facility.id == Submission.facility_id).join(
            Area, Area.code == Facility.area_code
        )
    return query.subquery("scored")


def approved(approved_only: bool) -> tuple[ColumnElement[bool], ...]:
    """What limits figures to the submissions a coordinator approved as they read now, when
    asked (`approved_only=true`): a condition added to the disclosure rule, never replacing
    it, so the figures are of a subset of what the caller may count anyway."""
    return (submission_reviews.approved_now(),) if approved_only else ()


@dataclass(frozen=True, slots=True)
class Countable:
    """The per-cycle statistics (`CycleStatistic`) as the caller may count them: which rows,
    and the community's n, participants and total over the groups they may count."""

    where: ColumnElement[bool]
    community_n: Any  # SQL expressions
    community_participants: Any
    community_total: Any


def countable_statistics(principal: Principal) -> Countable:
    """`access.publishable` read on the statistics: an insider counts every group; an outsider
    only the rounds they may see and the groups of at least MIN_GROUP_SIZE people, which the
    trigger keeps apart from the small ones (so a row with only small groups is no row)."""
    stat = CycleStatistic
    if not access.is_outsider(principal):
        return Countable(
            where=true(),
            community_n=stat.community_n + stat.small_n,
            community_participants=stat.community_participants + stat.small_participants,
            community_total=stat.community_total + stat.small_total,
        )
    # a provider scoring blind counts no community group yet (access.comparison_open)
    shown = access.comparison_open(principal, stat.cycle_id)
    blind = principal.role is Role.PROVIDER

    def community(column: Any) -> Any:
        return case((shown, column), else_=0) if blind else column

    return Countable(
        where=and_(
            community(stat.community_n) + stat.provider_n + stat.monitor_n > 0,
            access.cycle_visible(principal, stat.cycle_id),
        ),
        community_n=community(stat.community_n),
        community_participants=community(stat.community_participants),
        community_total=community(stat.community_total),
    )


async def cycle_statistics(
    db: AsyncSession, principal: Principal, cycle_id: uuid.UUID, *where: ColumnElement[bool]
) -> list[Any]:
    """Per (indicator, respondent, group type) and per (indicator, respondent): n, the
    participants, mean, median, min and max of what the caller may count (and `where` asks)."""
    s = scored_answers(principal, Submission.cycle_id == cycle_id, *where)
    query = (
        select(
            s.c.indicator,
            s.c.respondent,
            s.c.group_type,
            (func.grouping(s.c.group_type) == 1).label("overall"),
            func.count().label("n"),
            func.sum(s.c.people).label("participants"),
            func.avg(s.c.score).label("mean"),
            func.percentile_cont(0.5).within_group(s.c.score).label("median"),
            func.min(s.c.score).label("low"),
            func.max(s.c.score).label("high"),
        )
        .group_by(
            func.grouping_sets(
                tuple_(s.c.indicator, s.c.respondent, s.c.group_type),
                tuple_(s.c.indicator, s.c.respondent),
            )
        )
        .order_by(s.c.indicator, s.c.respondent, s.c.group_type.nulls_first())
    )
    return list((await db.execute(query)).all())


async def choice_counts(
    db: AsyncSession,
    principal: Principal,
    cycle_id: uuid.UUID,
    indicators: Sequence[str],
    *where: ColumnElement[bool],
) -> list[Any]:
    """How often each option was chosen (single and multiple choice), per indicator, over what
    the caller may count."""
    answer = answers_of()
    value = answer.c.value["value"]
    chosen = (
        func.jsonb_array_elements_text(
            case((func.jsonb_typeof(value) == "array", value), else_=func.jsonb_build_array(value))
        )
        .table_valued(column("value", Text))
        .lateral("chosen")
    )
    query = (
        select(
            answer.c.key.label("indicator"), chosen.c.value.label("option"), func.count().label("n")
        )
        .select_from(Submission)
        .join(answer, true())
        .join(chosen, true())
        .where(
            Submission.cycle_id == cycle_id,
            Submission.deleted_at.is_(None),
            access.publishable(principal),
            answer.c.key.in_(list(indicators)),
            func.jsonb_typeof(value).in_(["string", "array"]),
            *where,
        )
        .group_by(answer.c.key, chosen.c.value)
        .order_by(answer.c.key, chosen.c.value)
    )
    return list((await db.execute(query)).all())


async def input_statistics(
    db: AsyncSession,
    principal: Principal,
    cycle_id: uuid.UUID,
    indicators: Sequence[str],
    *where: ColumnElement[bool],
) -> list[Any]:
    """Input tracking (entitlement against what is really there), per indicator and respondent
    over what the caller may count: how many answered, the median entitlement and the median
    found."""
    answer = answers_of()
    value = answer.c.value["value"]
    entitled = cast(value["entitled"].astext, Float)
    actual = cast(value["actual"].astext, Float)
    query = (
        select(
            answer.c.key.label("indicator"),
            Submission.respondent,
            func.count().label("n"),
            cast(func.percentile_cont(0.5).within_group(entitled), Float).label("entitled"),
            cast(func.percentile_cont(0.5).within_group(actual), Float).label("actual"),
        )
        .select_from(Submission)
        .join(answer, true())
        .where(
            Submission.cycle_id == cycle_id,
            Submission.deleted_at.is_(None),
            access.publishable(principal),
            answer.c.key.in_(list(indicators)),
            func.jsonb_typeof(value) == "object",
            *where,
        )
        .group_by(answer.c.key, Submission.respondent)
        .order_by(answer.c.key, Submission.respondent)
    )
    return list((await db.execute(query)).all())


async def withheld_groups(db: AsyncSession, principal: Principal, cycle_id: uuid.UUID) -> int:
    """How many community groups of the round are too small for the caller's figures: an
    outsider is told they existed, never their size or their answers."""
    if not access.is_outsider(principal):
        return 0
    return (
        await db.scalar(
            select(func.count()).where(
                Submission.cycle_id == cycle_id,
                Submission.deleted_at.is_(None),
                Submission.respondent == "community",
                Submission.participants < access.MIN_GROUP_SIZE,
            )
        )
        or 0
    )


async def community_reasons(
    db: AsyncSession, principal: Principal, cycle_id: uuid.UUID
) -> list[Any]:
    """The community's reasons and suggestions from cells the caller may count; which pieces
    of them the caller reads is the review's (`backend/reviews/pieces.py`)."""
    answer = answers_of()
    reason, suggestion = answer.c.value["reason"].astext, answer.c.value["suggestion"].astext
    query = (
        select(
            Submission.id.label("submission_id"),
            answer.c.key.label("indicator"),
            Submission.group["type"].astext.label("group_type"),
            reason.label("reason"),
            suggestion.label("suggestion"),
        )
        .select_from(Submission)
        .join(answer, true())
        .where(
            Submission.cycle_id == cycle_id,
            Submission.deleted_at.is_(None),
            Submission.respondent == "community",
            access.publishable(principal),
            access.evidence_visible(principal),
            (func.coalesce(reason, "") != "") | (func.coalesce(suggestion, "") != ""),
        )
        .order_by(answer.c.key, Submission.collected_at)
    )
    return list((await db.execute(query)).all())


async def cycle_evidence(
    db: AsyncSession, principal: Principal, cycle_id: uuid.UUID
) -> dict[str, list[str]]:
    """The stored attachments the caller may see, per indicator, oldest answer first."""
    answer = answers_of()
    evidence = answer.c.value["evidence"]
    listed = (
        func.jsonb_array_elements_text(
            case((func.jsonb_typeof(evidence) == "array", evidence), else_=func.jsonb_build_array())
        )
        .table_valued(column("sha256", Text), with_ordinality="position")
        .render_derived()
        .lateral("evidence")
    )
    query = (
        select(answer.c.key.label("indicator"), listed.c.sha256)
        .select_from(Submission)
        .join(answer, true())
        .join(listed, true())
        .join(Attachment, Attachment.sha256 == listed.c.sha256)
        # a mention opens a file only when its author's tablet sent the bytes itself
        .join(
            AttachmentRef,
            and_(
                AttachmentRef.sha256 == listed.c.sha256,
                AttachmentRef.entity == "submission",
                AttachmentRef.record_id == Submission.id,
                refs.author_holds(),
            ),
        )
        .where(
            Submission.cycle_id == cycle_id,
            Submission.deleted_at.is_(None),
            access.publishable(principal),
            access.evidence_visible(principal),
            access.piece_passed(
                principal, Submission.id, literal("photo:") + listed.c.sha256, listed.c.sha256
            ),
        )
        .order_by(Submission.collected_at, Submission.id, listed.c.position)
    )
    found: dict[str, list[str]] = {}
    for row in await db.execute(query):
        shown = found.setdefault(row.indicator, [])
        if row.sha256 not in shown:
            shown.append(row.sha256)
    return found
