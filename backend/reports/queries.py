"""The scorecard's statistics, computed in PostgreSQL over the submissions' answers."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# One row per (indicator, respondent, group type) and per (indicator, respondent): numeric
# answers as they are, yes/no as 1/0 (so the mean is the share answering yes).
CYCLE_STATISTICS = text(
    """
    WITH scored AS (
        SELECT s.respondent,
               s."group" ->> 'type' AS group_type,
               counted.people,
               a.key AS indicator,
               CASE jsonb_typeof(a.value -> 'value')
                    WHEN 'number' THEN (a.value ->> 'value')::float8
                    WHEN 'boolean' THEN (a.value ->> 'value')::boolean::int
               END AS score
        FROM submission s
        CROSS JOIN LATERAL (SELECT COALESCE(sum(p.value::int), 0) AS people
                            FROM jsonb_each_text(s."group" -> 'participants') AS p) AS counted
        CROSS JOIN LATERAL jsonb_each(s.answers) AS a
        WHERE s.cycle_id = :cycle_id
          AND s.deleted_at IS NULL
          AND jsonb_typeof(a.value -> 'value') IN ('number', 'boolean')
    )
    SELECT indicator, respondent, group_type,
           GROUPING(group_type) = 1 AS overall,
           count(*) AS n,
           sum(people) AS participants,
           avg(score)::float8 AS mean,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY score)::float8 AS median,
           min(score)::float8 AS low,
           max(score)::float8 AS high
    FROM scored
    GROUP BY GROUPING SETS ((indicator, respondent, group_type), (indicator, respondent))
    ORDER BY indicator, respondent, group_type NULLS FIRST
    """
)

REASONS = text(
    """
    SELECT a.key AS indicator, s."group" ->> 'type' AS group_type,
           a.value ->> 'reason' AS reason, a.value ->> 'suggestion' AS suggestion
    FROM submission s
    CROSS JOIN LATERAL jsonb_each(s.answers) AS a
    WHERE s.cycle_id = :cycle_id AND s.deleted_at IS NULL AND s.respondent = 'community'
      AND (coalesce(a.value ->> 'reason', '') <> '' OR coalesce(a.value ->> 'suggestion', '') <> '')
    ORDER BY a.key, s.collected_at
    """
)


async def cycle_statistics(db: AsyncSession, cycle_id: uuid.UUID) -> list[Any]:
    return list((await db.execute(CYCLE_STATISTICS, {"cycle_id": cycle_id})).all())


async def community_reasons(db: AsyncSession, cycle_id: uuid.UUID) -> list[Any]:
    return list((await db.execute(REASONS, {"cycle_id": cycle_id})).all())


# WHO/HAI: a tracer counts as available when in stock and not expired; the price ratio is the
# lowest generic unit price over the reference price, its median taken across the checks.
MEDICINES = text(
    """
    SELECT m.key AS medicine,
           count(*) AS checks,
           avg(CASE WHEN (m.value ->> 'in_stock')::boolean
                     AND NOT (m.value ->> 'expired')::boolean THEN 1 ELSE 0 END)::float8
               AS available,
           avg((m.value ->> 'stockout_days_30')::int)::float8 AS stockout_30,
           avg((m.value ->> 'stockout_days_90')::int)::float8 AS stockout_90,
           percentile_cont(0.5) WITHIN GROUP (
               ORDER BY (m.value ->> 'generic_price')::numeric / t.reference_price_mnt
           )::float8 AS price_ratio,
           GROUPING(m.key) = 1 AS basket
    FROM submission s
    CROSS JOIN LATERAL jsonb_each(s.answers) AS a
    CROSS JOIN LATERAL jsonb_each(a.value -> 'value') AS m
    JOIN tracer_medicine t ON t.key = m.key
    WHERE s.cycle_id = :cycle_id AND s.deleted_at IS NULL AND s.respondent = 'monitor'
      AND a.key = ANY(:indicators) AND jsonb_typeof(a.value -> 'value') = 'object'
    GROUP BY GROUPING SETS ((m.key), ())
    ORDER BY basket, m.key
    """
)


async def medicine_statistics(
    db: AsyncSession, cycle_id: uuid.UUID, indicators: list[str]
) -> list[Any]:
    rows = await db.execute(MEDICINES, {"cycle_id": cycle_id, "indicators": indicators})
    return list(rows.all())


# The stored attachments the round's answers mention, per indicator, oldest answer first.
CYCLE_EVIDENCE = text(
    """
    SELECT a.key AS indicator, e.sha256
    FROM submission s
    CROSS JOIN LATERAL jsonb_each(s.answers) AS a
    CROSS JOIN LATERAL jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(a.value -> 'evidence') = 'array'
             THEN a.value -> 'evidence' ELSE '[]'::jsonb END
    ) WITH ORDINALITY AS e(sha256, position)
    JOIN attachment ON attachment.sha256 = e.sha256
    WHERE s.cycle_id = :cycle_id AND s.deleted_at IS NULL
    ORDER BY s.collected_at, s.id, e.position
    """
)


async def cycle_evidence(db: AsyncSession, cycle_id: uuid.UUID) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for row in await db.execute(CYCLE_EVIDENCE, {"cycle_id": cycle_id}):
        shown = found.setdefault(row.indicator, [])
        if row.sha256 not in shown:
            shown.append(row.sha256)
    return found
