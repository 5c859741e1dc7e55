"""Review by the area's coordinators: community text and evidence piece by piece, and whole
submissions (approved, has issues, rejected)."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import get, post
from litestar.params import FromPath, JSONBody, QueryParameter

from backend.auth.models import Role
from backend.auth.policy import CurrentPrincipal, allow
from backend.database.session import DbSession
from backend.reviews import service as reviews
from backend.reviews import submissions
from backend.reviews.schemas import (
    DecisionsIn,
    PiecePage,
    State,
    SubmissionDecisionIn,
    SubmissionReviewOut,
)

COORDINATORS = allow(Role.ADMIN, Role.COORDINATOR)
ROUND = "/reviews/v1/cycles/{cycle_id:uuid}"
SUBMISSION = "/reviews/v1/submissions/{submission_id:uuid}"


@get(f"{ROUND}/pieces", opt=COORDINATORS, tags=["reviews"])
async def list_pieces(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    # "state" is a name Litestar keeps for itself
    review_state: Annotated[State | None, QueryParameter(name="state")] = None,
) -> PiecePage:
    """Every reason, suggestion, photo and raised issue's words the round holds now, with its
    review: awaiting, passed (providers and viewers read it) or hidden (with why)."""
    items = await reviews.listing(db, principal=principal, cycle_id=cycle_id, state=review_state)
    return PiecePage(items=items)


@post(f"{ROUND}/decisions", opt=COORDINATORS, tags=["reviews"], status_code=200)
async def decide(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: JSONBody[DecisionsIn],
) -> PiecePage:
    """Pass or hide pieces as they were read (their content hash): a piece changed since is
    refused (`review.stale`); hiding a passed piece withdraws it, and says why."""
    items = await reviews.decide(
        db, principal=principal, cycle_id=cycle_id, decisions=data.decisions
    )
    return PiecePage(items=items)


@get(f"{SUBMISSION}/decisions", opt=COORDINATORS, tags=["reviews"])
async def submission_review(
    db: DbSession, principal: CurrentPrincipal, submission_id: FromPath[uuid.UUID]
) -> SubmissionReviewOut:
    """A submission's review state (unreviewed, approved, has issues, rejected; `changed` when
    it was edited after the latest decision) and every decision on it, oldest first."""
    return await submissions.review_of(db, principal=principal, submission_id=submission_id)


@post(f"{SUBMISSION}/decisions", opt=COORDINATORS, tags=["reviews"], status_code=200)
async def decide_submission(
    db: DbSession,
    principal: CurrentPrincipal,
    submission_id: FromPath[uuid.UUID],
    data: JSONBody[SubmissionDecisionIn],
) -> SubmissionReviewOut:
    """Approve a submission, or mark it as having issues or rejected with a note saying why, as
    read at `version` (changed since: `409 review.submission_changed`). Every decision is kept;
    the team's tablets receive the latest with the submission at their next pull."""
    return await submissions.decide(db, principal=principal, submission_id=submission_id, data=data)


ROUTES = [list_pieces, decide, submission_review, decide_submission]
