"""A coordinator's look at a whole submission: approved, has issues or rejected, with why.

Every decision is kept as made (`SubmissionReview`); the latest is the submission's state. A
decision names the version it read, so a submission edited since is refused rather than
approved unseen; a submission edited after a decision keeps that decision in its history and
reads "changed since": a coordinator expects a changed scorecard to need a new look, and
reports counting approved submissions only (`approved_now`) leave it out until it has one.

The team that collected a submission receives its review with the submission at the next pull
(`as_read`); providers and viewers never read a review or its note.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Integer, Uuid, func, literal, select
from sqlalchemy.dialects.postgresql import distinct_on, insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access, audit
from backend.auth.policy import Principal
from backend.errors import Conflict, InvalidInput, NotFound
from backend.facilities.models import Facility
from backend.reviews import pieces
from backend.reviews.models import SubmissionReview
from backend.reviews.schemas import (
    ReviewRecord,
    ReviewState,
    SubmissionDecisionIn,
    SubmissionDecisionOut,
    SubmissionReviewOut,
)
from backend.submissions.models import Submission
from backend.sync.models import Change

# audit kinds, one per state
DECIDED = {
    "approved": "submission.approved",
    "has_issues": "submission.has_issues",
    "rejected": "submission.rejected",
}


class SubmissionChanged(Conflict):
    """The submission is not at the version the decision read: it was edited since."""

    code, title = "review.submission_changed", "The submission changed since it was read"


class SubmissionDeleted(Conflict):
    code, title = "review.submission_deleted", "The submission was withdrawn"


class NoteRequired(InvalidInput):
    code = "review.note_required"


@dataclass(frozen=True, slots=True)
class Standing:
    """A submission's review now: its latest decision (if any) and whether it was edited since."""

    latest: SubmissionReview | None
    version: int

    @property
    def state(self) -> ReviewState:
        return "unreviewed" if self.latest is None else self.latest.state  # type: ignore[return-value]

    @property
    def changed(self) -> bool:
        return self.latest is not None and self.latest.submission_version != self.version


async def latest(
    db: AsyncSession, submission_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, SubmissionReview]:
    """The latest decision on each of these submissions that has one."""
    ids = list(submission_ids)
    if not ids:
        return {}
    rows = await db.scalars(
        select(SubmissionReview)
        .where(SubmissionReview.submission_id.in_(ids))
        .ext(distinct_on(SubmissionReview.submission_id))
        .order_by(SubmissionReview.submission_id, SubmissionReview.id.desc())
    )
    return {row.submission_id: row for row in rows}


async def standings(
    db: AsyncSession, submissions: Iterable[Submission]
) -> dict[uuid.UUID, Standing]:
    """Each submission's review now, by id."""
    rows = list(submissions)
    found = await latest(db, [row.id for row in rows])
    return {row.id: Standing(found.get(row.id), row.version) for row in rows}


def approved_now() -> ColumnElement[bool]:
    """A SQL condition on `Submission`: its latest decision approved it as it reads now (not
    edited since). What reports count when asked for approved submissions only."""
    state = (
        select(SubmissionReview.state)
        .where(
            SubmissionReview.submission_id == Submission.id,
            SubmissionReview.submission_version == Submission.version,
        )
        .order_by(SubmissionReview.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    approved: ColumnElement[bool] = state == "approved"
    return approved


async def _submission(
    db: AsyncSession, principal: Principal, submission_id: uuid.UUID, *, lock: bool = False
) -> Submission:
    query = select(Submission).where(
        Submission.id == submission_id, access.submission_visible(principal)
    )
    row = await db.scalar(query.with_for_update() if lock else query)
    if row is None:
        raise NotFound("No such submission.")
    return row


async def decide(
    db: AsyncSession, *, principal: Principal, submission_id: uuid.UUID, data: SubmissionDecisionIn
) -> SubmissionReviewOut:
    """Approve a submission, or say it has issues or is rejected and why, as read at
    `data.version`; kept beside every earlier decision, audited, and handed to the tablets of
    the team that collected it at their next pull."""
    # locked as a push locks it: no edit slips in between the check and the decision
    row = await _submission(db, principal, submission_id, lock=True)
    if row.deleted_at is not None:
        raise SubmissionDeleted("The submission was withdrawn; there is nothing to decide on.")
    if data.version != row.version:
        raise SubmissionChanged(
            f"The submission is at version {row.version} now, not {data.version}: read it "
            "again and decide on it as it is.",
            field="version",
        )
    note = data.note.strip()
    if data.state != "approved" and not pieces.visible(note):
        raise NoteRequired("A submission with issues, or rejected, says why.", field="note")
    db.add(
        SubmissionReview(
            submission_id=row.id,
            cycle_id=row.cycle_id,
            state=data.state,
            note=note,
            submission_version=row.version,
            decided_by=principal.user_id,
        )
    )
    await db.flush()
    await audit.record(
        db,
        DECIDED[data.state],
        actor_id=principal.user_id,
        submission_id=str(row.id),
        cycle_id=str(row.cycle_id),
        version=row.version,
        note=note,
    )
    await _hand_out_again(db, row)
    return await review_of(db, principal=principal, submission_id=submission_id)


async def review_of(
    db: AsyncSession, *, principal: Principal, submission_id: uuid.UUID
) -> SubmissionReviewOut:
    """A submission's state and every decision on it, oldest first."""
    row = await _submission(db, principal, submission_id)
    decisions = list(
        await db.scalars(
            select(SubmissionReview)
            .where(SubmissionReview.submission_id == row.id)
            .order_by(SubmissionReview.id)
        )
    )
    standing = Standing(decisions[-1] if decisions else None, row.version)
    return SubmissionReviewOut(
        submission_id=row.id,
        version=row.version,
        state=standing.state,
        changed=standing.changed,
        decisions=[
            SubmissionDecisionOut(
                state=d.state,  # type: ignore[arg-type]
                note=d.note,
                version=d.submission_version,
                decided_by=d.decided_by,
                decided_at=d.decided_at,
            )
            for d in decisions
        ],
    )


async def _hand_out_again(db: AsyncSession, row: Submission) -> None:
    """The submission reaches the team's tablets again, with its review (no new version: the
    decision is about the record, not an edit of it). Only the team receives this row."""
    await db.execute(
        insert(Change).from_select(
            [
                "entity",
                "record_id",
                "op",
                "version",
                "facility_id",
                "area_code",
                "cycle_id",
                "audience",
            ],
            select(
                literal("submission"),
                literal(str(row.id)),
                literal("upsert"),
                literal(row.version, Integer()),
                literal(row.facility_id, Uuid()),
                Facility.area_code,
                literal(row.cycle_id, Uuid()),
                literal("team"),
            ).where(Facility.id == row.facility_id),
        )
    )


async def as_read(
    db: AsyncSession, principal: Principal, records: dict[str, dict[str, Any]]
) -> set[str]:
    """Pulled submissions (by id) with their review: for the programme's team, the latest
    decision and whether the submission changed since; for providers, never (`review: null`)."""
    if not records:
        return set()
    if access.is_outsider(principal):
        for record in records.values():
            record["review"] = None
        return set()
    ids = [uuid.UUID(key) for key in records]
    versions = {
        submission_id: version
        for submission_id, version in await db.execute(
            select(Submission.id, Submission.version).where(Submission.id.in_(ids))
        )
    }
    found = await latest(db, ids)
    for key, record in records.items():
        decision = found.get(uuid.UUID(key))
        record["review"] = (
            None
            if decision is None
            else ReviewRecord(
                state=decision.state,  # type: ignore[arg-type]
                note=decision.note,
                decided_at=decision.decided_at,
                version=decision.submission_version,
                changed=decision.submission_version != versions.get(decision.submission_id),
            )
        )
    return set()


async def counts(db: AsyncSession, cycle_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many live submissions of each round await a look: never decided on, or changed
    since their latest decision."""
    if not cycle_ids:
        return {}
    decided = (
        select(SubmissionReview.submission_version)
        .where(SubmissionReview.submission_id == Submission.id)
        .order_by(SubmissionReview.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = await db.execute(
        select(Submission.cycle_id, func.count())
        .where(
            Submission.cycle_id.in_(cycle_ids),
            Submission.deleted_at.is_(None),
            func.coalesce(decided, 0) != Submission.version,
        )
        .group_by(Submission.cycle_id)
    )
    return {cycle_id: count for cycle_id, count in rows}


async def read(db: AsyncSession, *, principal: Principal, submission_id: uuid.UUID) -> Submission:
    """A submission the caller may see (404 otherwise), to read its answers beside its review."""
    return await _submission(db, principal, submission_id)


async def of_round(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID
) -> list[tuple[Submission, Standing]]:
    """The round's live submissions the caller may see, each with its review now, in the order
    they were collected."""
    rows = list(
        await db.scalars(
            select(Submission)
            .where(
                Submission.cycle_id == cycle_id,
                Submission.deleted_at.is_(None),
                access.submission_visible(principal),
            )
            .order_by(Submission.collected_at, Submission.id)
        )
    )
    found = await standings(db, rows)
    return [(row, found[row.id]) for row in rows]
