"""Roll-ups: one template's scores across the facilities of an area, by facility, soum or aimag."""

from __future__ import annotations

from dataclasses import fields
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.policy import Principal
from backend.errors import InvalidInput
from backend.reports import rollup_queries
from backend.reports.schemas import RollupOut, RollupRow
from backend.settings import Settings

# Which element of an area's lineage (root first) names the unit rows are grouped by.
LEVELS = {"facility": None, "soum": 3, "aimag": 2, "nation": 1}
# the programme's time zone unless the caller says (the route passes the settings')
DEFAULT_TIMEZONE = str(next(f.default for f in fields(Settings) if f.name == "timezone"))


async def rollup(
    db: AsyncSession,
    *,
    principal: Principal,
    area: str,
    template: str,
    level: str,
    since: date,
    until: date,
    today: date,
    timezone: str = DEFAULT_TIMEZONE,
) -> RollupOut:
    """Every figure from the rounds the caller may see and the answers they may count, so a
    roll-up at one level minus another, or one period minus another, reveals nothing hidden.
    A period holds the rounds held in it (`rollup_queries.rollup_rounds`), by the dates of
    the programme's time zone."""
    if level not in LEVELS:
        raise InvalidInput(f"level is one of {', '.join(LEVELS)}", field="by")
    position = LEVELS[level]
    query = rollup_queries.rollup_rounds(
        principal,
        template=template,
        area=area.upper(),
        since=since,
        until=until,
        timezone=timezone,
    )
    # the rounds found once, for both queries below
    rounds = await rollup_queries.find_rounds(db, query)
    score_rows = await rollup_queries.rollup_scores(db, principal, rounds, position)
    plan_rows = await rollup_queries.rollup_plans(db, principal, rounds, position, today)
    outsider = access.is_outsider(principal)
    rows = []
    for row in score_rows:
        plan = plan_rows.get(row.unit)
        open_items = (plan.items - plan.dropped) if plan else 0
        rows.append(
            RollupRow(
                unit=row.unit,
                indicator=row.indicator,
                facilities=row.facilities,
                community_scores=row.scores,
                community=None if row.community is None else round(row.community, 2),
                provider=None if row.provider is None else round(row.provider, 2),
                gap=None
                if row.community is None or row.provider is None
                else round(row.community - row.provider, 2),
                # for an outsider: no group here was large enough to count
                suppressed=outsider and row.scores == 0,
                action_items=plan.items if plan else 0,
                # both rates over the same items: those not dropped
                completion_rate=round(plan.done / open_items, 3) if plan and open_items else None,
                overdue_rate=round(plan.overdue / open_items, 3) if plan and open_items else None,
            )
        )
    return RollupOut(area=area.upper(), template=template, by=level, rows=rows)
