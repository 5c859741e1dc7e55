"""What awaits a coordinator's review in the rounds of their areas: submissions never looked at
or changed since, pieces of community text and evidence not yet passed or hidden, and raised
indicators without their English words or direction (the review console's first screen)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles import translation
from backend.cycles.models import Cycle
from backend.facilities.models import Facility
from backend.reviews import pieces
from backend.reviews import submissions as submission_reviews
from backend.submissions.models import Submission


@dataclass(frozen=True, slots=True)
class RoundToReview:
    cycle: Cycle
    facility: Facility
    submissions: int
    # never decided on, or changed since the latest decision
    awaiting_submissions: int
    awaiting_pieces: int
    awaiting_words: int

    @property
    def waiting(self) -> int:
        return self.awaiting_submissions + self.awaiting_pieces + self.awaiting_words


async def rounds(
    db: AsyncSession, *, principal: Principal, include_closed: bool, limit: int, offset: int
) -> tuple[list[RoundToReview], int]:
    """The rounds the caller may see (open ones, unless closed ones are asked for too), newest
    first, each with what awaits review in it; and how many such rounds there are."""
    query = (
        select(Cycle, Facility)
        .join(Facility, Facility.id == Cycle.facility_id)
        .where(access.round_visible(principal))
    )
    if not include_closed:
        query = query.where(Cycle.phase != "closed")
    total = await db.scalar(select(func.count()).select_from(query.subquery())) or 0
    found = (
        await db.execute(
            query.order_by(Cycle.opened_at.desc(), Cycle.id).limit(limit).offset(offset)
        )
    ).all()
    ids = [cycle.id for cycle, _ in found]
    live = {
        cycle_id: count
        for cycle_id, count in await db.execute(
            select(Submission.cycle_id, func.count())
            .where(Submission.cycle_id.in_(ids), Submission.deleted_at.is_(None))
            .group_by(Submission.cycle_id)
        )
    }
    awaiting = await submission_reviews.counts(db, ids)
    words = await translation.awaiting(db, ids)
    decided = await pieces.decisions(db, ids)
    out = []
    for cycle, facility in found:
        held = await pieces.present(db, cycle.id)
        out.append(
            RoundToReview(
                cycle=cycle,
                facility=facility,
                submissions=live.get(cycle.id, 0),
                awaiting_submissions=awaiting.get(cycle.id, 0),
                awaiting_pieces=sum(1 for piece in held if piece.key not in decided),
                awaiting_words=words.get(cycle.id, 0),
            )
        )
    return out, total
