"""The SQL of roll-ups: which rounds of an area count, and their scores and action plans per
unit, each from what the caller may see and count (the disclosure rule of
`backend/auth/access.py`, through `queries.scored_answers`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Integer, Select, Text, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem
from backend.action_plans.service import overdue_clause
from backend.areas.models import Area
from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles.models import Cycle
from backend.facilities.models import Facility
from backend.reports.queries import scored_answers
from backend.submissions.models import Submission
from backend.templates.models import Template, TemplateVersion


def rollup_rounds(
    principal: Principal, *, template: str, area: str, since: date, until: date
) -> Select[Any]:
    """Ids of the rounds of one template in an area (opened in [since, until)) that the caller
    may see."""
    return (
        select(Cycle.id)
        .join(Facility, Facility.id == Cycle.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .join(TemplateVersion, TemplateVersion.id == Cycle.template_version_id)
        .join(Template, Template.id == TemplateVersion.template_id)
        .where(
            Template.key == template,
            Area.lineage.contains([area]),
            Cycle.opened_at >= since,
            Cycle.opened_at < until,
            access.round_visible(principal),
        )
    )


def unit_of(position: int | None, facility_id: Any, lineage: Any) -> Any:
    """A row's unit: the facility itself, or its area at a position in the lineage."""
    return cast(facility_id, Text) if position is None else lineage[position]


async def rollup_scores(
    db: AsyncSession, principal: Principal, rounds: Select[Any], position: int | None
) -> list[Any]:
    """Per unit and indicator: facilities, community scores, participants and means, every
    facility weighing the same: each facility's mean over its sessions (community) or its
    self-assessments (provider) first, then the mean of those over the unit's facilities, so
    a school with two rounds does not outweigh three schools with one."""
    s = scored_answers(
        principal,
        Submission.cycle_id.in_(rounds),
        unit=unit_of(position, Submission.facility_id, Area.lineage),
    )
    community = s.c.respondent == "community"
    per_facility = (
        select(
            s.c.unit,
            s.c.indicator,
            s.c.facility_id,
            func.count().filter(community).label("scores"),
            func.sum(s.c.people).filter(community).label("participants"),
            func.avg(s.c.score).filter(community).label("community"),
            func.avg(s.c.score).filter(s.c.respondent == "provider").label("provider"),
        )
        .group_by(s.c.unit, s.c.indicator, s.c.facility_id)
        .subquery("per_facility")
    )
    f = per_facility.c
    query = (
        select(
            f.unit,
            f.indicator,
            func.count().label("facilities"),
            cast(func.sum(f.scores), Integer).label("scores"),
            func.sum(f.participants).label("participants"),
            func.avg(f.community).label("community"),
            func.avg(f.provider).label("provider"),
        )
        .group_by(f.unit, f.indicator)
        .order_by(f.unit, f.indicator)
    )
    return list((await db.execute(query)).all())


async def rollup_plans(
    db: AsyncSession, principal: Principal, rounds: Select[Any], position: int | None, today: date
) -> dict[str, Any]:
    """Per unit: action items, done, dropped and overdue ones, of the rounds given."""
    unit = unit_of(position, ActionItem.facility_id, Area.lineage).label("unit")
    query = (
        select(
            unit,
            func.count().label("items"),
            func.count().filter(ActionItem.status == "done").label("done"),
            func.count().filter(ActionItem.status == "dropped").label("dropped"),
            func.count().filter(overdue_clause(today)).label("overdue"),
        )
        .join(Facility, Facility.id == ActionItem.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .where(
            ActionItem.deleted_at.is_(None),
            ActionItem.cycle_id.in_(rounds),
            access.action_item_visible(principal),
        )
        .group_by(unit)
    )
    return {row.unit: row for row in await db.execute(query)}
