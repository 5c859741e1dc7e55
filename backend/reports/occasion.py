"""Where and when a round is, as its scorecard says at the top: the facility's places (aimag or
capital, soum or district), the round's dates, and how far community scoring has come.

Dates and counts come from what the caller may count: the day a round was held is its first
community session the caller may count (as roll-ups date it), and the groups scored are those
that enter the caller's figures (an outsider is told how many small groups there were apart,
`suppressed_cells`)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import InterfaceMeeting
from backend.areas.models import Area
from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles.models import Cycle
from backend.facilities.models import Facility
from backend.reports.schemas import OccasionOut, PlaceOut
from backend.submissions.models import Submission


async def occasion(
    db: AsyncSession, principal: Principal, cycle: Cycle, facility: Facility, *, timezone: str
) -> OccasionOut:
    area = await db.get_one(Area, facility.area_code)
    places = {
        row.code: row
        for row in await db.scalars(select(Area).where(Area.code.in_(list(area.lineage))))
    }
    first, scored = (
        await db.execute(
            select(func.min(Submission.collected_at), func.count()).where(
                Submission.cycle_id == cycle.id,
                Submission.respondent == "community",
                Submission.deleted_at.is_(None),
                access.publishable(principal),
            )
        )
    ).one()
    meeting_on = await db.scalar(
        select(func.min(InterfaceMeeting.held_on)).where(
            InterfaceMeeting.cycle_id == cycle.id,
            InterfaceMeeting.deleted_at.is_(None),
            access.meeting_visible(principal),
        )
    )
    return OccasionOut(
        places=[
            PlaceOut(
                code=code,
                level=places[code].level,
                name_mn=places[code].name_mn,
                name_en=places[code].name_en,
            )
            # the country goes without saying
            for code in area.lineage
            if code in places and places[code].level != "country"
        ],
        opened_on=_local(cycle.opened_at, timezone),
        held_on=_local(first, timezone),
        meeting_on=meeting_on,
        published_on=_local(cycle.published_at, timezone),
        closed_on=_local(cycle.closed_at, timezone),
        groups_planned=len(cycle.planned_groups or []),
        groups_scored=scored,
    )


def _local(moment: datetime | None, timezone: str) -> date | None:
    """The programme's date of a moment (its time zone, SCORECARD_TIMEZONE)."""
    return None if moment is None else moment.astimezone(ZoneInfo(timezone)).date()
