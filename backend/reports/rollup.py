"""Roll-ups: one template's scores across the facilities of an area, by facility, soum or aimag."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.errors import InvalidInput
from backend.reports.aggregate import MIN_PARTICIPANTS
from backend.reports.schemas import RollupOut, RollupRow

# Which element of an area's lineage (root first) names the unit rows are grouped by.
LEVELS = {"facility": None, "soum": 3, "aimag": 2, "nation": 1}

_SCORES = """
WITH chosen AS (
    SELECT c.id AS cycle_id, f.id AS facility_id, a.lineage
    FROM cycle c
    JOIN facility f ON f.id = c.facility_id
    JOIN area a ON a.code = f.area_code
    JOIN template_version v ON v.id = c.template_version_id
    JOIN template t ON t.id = v.template_id
    WHERE t.key = :template
      AND a.lineage @> ARRAY[:area]::text[]
      AND c.opened_at >= :since AND c.opened_at < :until
      AND (:everything OR f.id = ANY(:facilities) OR f.area_code IN (
            SELECT code FROM area WHERE lineage && CAST(:areas AS text[])))
      AND (NOT :published_only OR c.published_at IS NOT NULL)
),
scored AS (
    SELECT {unit} AS unit, s.respondent, x.key AS indicator,
           CASE jsonb_typeof(x.value -> 'value')
                WHEN 'number' THEN (x.value ->> 'value')::float8
                WHEN 'boolean' THEN (x.value ->> 'value')::boolean::int
           END AS score,
           counted.people,
           ch.facility_id
    FROM chosen ch
    JOIN submission s ON s.cycle_id = ch.cycle_id AND s.deleted_at IS NULL
    -- participants once per submission, not once per answer
    CROSS JOIN LATERAL (SELECT COALESCE(sum(p.value::int), 0) AS people
                        FROM jsonb_each_text(s."group" -> 'participants') AS p) AS counted
    CROSS JOIN LATERAL jsonb_each(s.answers) AS x
    WHERE jsonb_typeof(x.value -> 'value') IN ('number', 'boolean')
)
SELECT unit, indicator,
       count(DISTINCT facility_id) AS facilities,
       count(*) FILTER (WHERE respondent = 'community') AS scores,
       sum(people) FILTER (WHERE respondent = 'community') AS participants,
       avg(score) FILTER (WHERE respondent = 'community')::float8 AS community,
       avg(score) FILTER (WHERE respondent = 'provider')::float8 AS provider
FROM scored
GROUP BY unit, indicator
ORDER BY unit, indicator
"""

_PLANS = """
SELECT {unit} AS unit,
       count(*) AS items,
       count(*) FILTER (WHERE i.status = 'done') AS done,
       count(*) FILTER (WHERE i.status = 'dropped') AS dropped,
       count(*) FILTER (WHERE i.due_on < :today AND i.status NOT IN ('done', 'dropped'))
           AS overdue
FROM action_item i
JOIN cycle c ON c.id = i.cycle_id
JOIN facility f ON f.id = c.facility_id
JOIN area a ON a.code = f.area_code
JOIN template_version v ON v.id = c.template_version_id
JOIN template t ON t.id = v.template_id
WHERE i.deleted_at IS NULL AND t.key = :template
  AND a.lineage @> ARRAY[:area]::text[]
  AND c.opened_at >= :since AND c.opened_at < :until
  AND (:everything OR f.id = ANY(:facilities) OR f.area_code IN (
        SELECT code FROM area WHERE lineage && CAST(:areas AS text[])))
  AND (NOT :published_only OR c.published_at IS NOT NULL)
GROUP BY 1
"""


def _unit(level: str, facility_id: str, lineage: str) -> str:
    """The SQL naming a row's unit: the facility, or its area at the level asked for."""
    position = LEVELS[level]
    return f"{facility_id}::text" if position is None else f"{lineage}[{position}]"


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
) -> RollupOut:
    if level not in LEVELS:
        raise InvalidInput(f"level is one of {', '.join(LEVELS)}", field="by")
    params: dict[str, Any] = {
        "template": template,
        "area": area.upper(),
        "since": since,
        "until": until,
        "today": today,
        "everything": principal.sees_everything,
        "facilities": list(principal.facility_ids),
        "areas": list(principal.area_codes),
        "published_only": principal.role is Role.VIEWER,
    }
    scores_sql = _SCORES.replace("{unit}", _unit(level, "ch.facility_id", "ch.lineage"))
    plans_sql = _PLANS.replace("{unit}", _unit(level, "f.id", "a.lineage"))
    score_rows = (await db.execute(text(scores_sql), params)).all()
    plan_rows = {row.unit: row for row in (await db.execute(text(plans_sql), params)).all()}
    outsider = principal.role in (Role.PROVIDER, Role.VIEWER)
    rows = []
    for row in score_rows:
        hidden = outsider and (row.participants or 0) < MIN_PARTICIPANTS and row.scores > 0
        plan = plan_rows.get(row.unit)
        open_items = (plan.items - plan.dropped) if plan else 0
        rows.append(
            RollupRow(
                unit=row.unit,
                indicator=row.indicator,
                facilities=row.facilities,
                community_scores=row.scores,
                community=None if hidden or row.community is None else round(row.community, 2),
                provider=None if row.provider is None else round(row.provider, 2),
                gap=None
                if hidden or row.community is None or row.provider is None
                else round(row.community - row.provider, 2),
                suppressed=hidden,
                action_items=plan.items if plan else 0,
                completion_rate=round(plan.done / open_items, 3) if plan and open_items else None,
                overdue_rate=round(plan.overdue / plan.items, 3) if plan and plan.items else None,
            )
        )
    return RollupOut(area=area.upper(), template=template, by=level, rows=rows)
