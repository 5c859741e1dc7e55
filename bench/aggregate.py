"""Scorecard and roll-up latency on a national-size round: 100,000 submissions, 3 million answers.

    uv run python bench/aggregate.py [FACILITIES] [SUBMISSIONS_PER_FACILITY] [REPEATS]

2,500 schools across the 21 aimags, one round each, 40 scorecards of 30 indicators per school
(one provider self-assessment, 39 focus groups of 4 to 18 people). Measured over HTTP: the
national roll-up by aimag (REPEATS requests) and a facility's scorecard (p50/p95 of up to 100
requests). Beside each, in the same run, the raw SQL baseline: the same figures as one query
over the answers' JSON (what the roll-up read before the per-cycle statistics), and the
roll-up as one raw query over the statistics table. Each round also has an approved action
plan of three budgeted items with a progress report each (7,500 items), and the national
responsiveness index by aimag is timed beside its commitments as one raw query.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.reference import REFERENCE_AREAS
from backend.auth.models import Role
from backend.database.session import in_transaction
from backend.users import service as users
from backend.users.schemas import UserCreate
from bench import harness
from tests.support.databases import _plain_dsn

AIMAGS = [area.code for area in REFERENCE_AREAS if area.level == "aimag"]

# The national roll-up by aimag from the answers' JSON, the numeric answers as
# backend/reports/queries.scored_answers reads them (numbers, yes/no as 1/0): each facility's
# mean first, then the mean of the facilities' means (the product's weighting).
RAW_ROLLUP = """
SELECT unit, indicator, count(*) AS facilities, sum(scores) AS scores,
       avg(community) AS community, avg(provider) AS provider
FROM (
  SELECT ar.lineage[2] AS unit, a.key AS indicator, s.facility_id,
         count(*) FILTER (WHERE s.respondent = 'community') AS scores,
         avg(CASE jsonb_typeof(a.value -> 'value')
               WHEN 'number' THEN (a.value ->> 'value')::float8
               ELSE (a.value ->> 'value')::boolean::int::float8 END)
           FILTER (WHERE s.respondent = 'community') AS community,
         avg(CASE jsonb_typeof(a.value -> 'value')
               WHEN 'number' THEN (a.value ->> 'value')::float8
               ELSE (a.value ->> 'value')::boolean::int::float8 END)
           FILTER (WHERE s.respondent = 'provider') AS provider
  FROM submission s CROSS JOIN LATERAL jsonb_each(s.answers) AS a
  JOIN facility f ON f.id = s.facility_id JOIN area ar ON ar.code = f.area_code
  WHERE s.deleted_at IS NULL AND jsonb_typeof(a.value -> 'value') IN ('number', 'boolean')
  GROUP BY 1, 2, 3
) AS per_facility
GROUP BY unit, indicator ORDER BY unit, indicator
"""

# The same roll-up as one raw query over the per-cycle statistics (one round per school, so a
# row is a facility's figure).
RAW_STATISTICS_ROLLUP = """
SELECT ar.lineage[2] AS unit, s.indicator, count(*) AS facilities,
       sum(s.community_n + s.small_n) AS scores,
       avg((s.community_total + s.small_total)::float8 / nullif(s.community_n + s.small_n, 0))
         AS community,
       avg(s.provider_total::float8 / nullif(s.provider_n, 0)) AS provider
FROM cycle_statistic s
JOIN facility f ON f.id = s.facility_id JOIN area ar ON ar.code = f.area_code
GROUP BY 1, 2 ORDER BY 1, 2
"""

# A scorecard's statistics from the answers' JSON: per indicator, respondent and group type,
# and per indicator and respondent, n, participants, mean, median, min and max.
RAW_SCORECARD = """
SELECT indicator, respondent, group_type, grouping(group_type) = 1 AS overall, count(*) AS n,
       sum(people) AS participants, avg(score) AS mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY score) AS median,
       min(score) AS low, max(score) AS high
FROM (
  SELECT s.respondent, s."group" ->> 'type' AS group_type, s.participants AS people,
         a.key AS indicator,
         CASE jsonb_typeof(a.value -> 'value')
           WHEN 'number' THEN (a.value ->> 'value')::float8
           ELSE (a.value ->> 'value')::boolean::int::float8 END AS score
  FROM submission s CROSS JOIN LATERAL jsonb_each(s.answers) AS a
  WHERE s.cycle_id = $1 AND s.deleted_at IS NULL
    AND jsonb_typeof(a.value -> 'value') IN ('number', 'boolean')
) AS x
GROUP BY GROUPING SETS ((indicator, respondent, group_type), (indicator, respondent))
ORDER BY indicator, respondent, group_type NULLS FIRST
"""


# the groups each school plans, women among them (a priority group of the index)
PLANNED = json.dumps([{"type": g} for g in ("parents", "students", "teachers", "women", "men")])


async def load(
    url: str, programme: dict[str, Any], facilities: int, per_facility: int
) -> list[uuid.UUID]:
    rng = random.Random(1)
    connection = await asyncpg.connect(_plain_dsn(url))
    now = datetime.now(UTC)
    facility_rows, cycle_rows, cycle_ids = [], [], []
    for n in range(facilities):
        facility_id, cycle_id = uuid.uuid4(), uuid.uuid4()
        facility_rows.append(
            (
                facility_id,
                "school",
                f"Сургууль {n}",
                f"School {n}",
                AIMAGS[n % len(AIMAGS)],
                False,
                now,
                now,
            )
        )
        cycle_rows.append(
            (
                cycle_id,
                facility_id,
                programme["version_id"],
                "2026 autumn",
                "interface_meeting",
                programme["user_id"],
                now - timedelta(days=30),
                now,
                now,
                PLANNED,
            )
        )
        cycle_ids.append(cycle_id)
    try:
        await connection.copy_records_to_table(
            "facility",
            records=facility_rows,
            columns=[
                "id",
                "type",
                "name_mn",
                "name_en",
                "area_code",
                "insurance_contracted",
                "created_at",
                "updated_at",
            ],
        )
        await connection.copy_records_to_table(
            "cycle",
            records=cycle_rows,
            columns=[
                "id",
                "facility_id",
                "template_version_id",
                "label",
                "phase",
                "opened_by",
                "opened_at",
                "updated_at",
                "published_at",
                "planned_groups",
            ],
        )
        groups = ["parents", "students", "teachers", "women", "men"]
        batch = []
        for cycle_id, facility in zip(cycle_ids, facility_rows, strict=True):
            for k in range(per_facility):
                respondent = "provider" if k == 0 else "community"
                answers = harness.answers(rng.randint(0, 4))
                group = (
                    None
                    if respondent == "provider"
                    else json.dumps(
                        {
                            "type": groups[k % 5],
                            "participants": {
                                "female": rng.randint(2, 9),
                                "male": rng.randint(2, 9),
                            },
                        }
                    )
                )
                collected = now - timedelta(days=20, minutes=k)
                batch.append(
                    (
                        uuid.uuid4(),
                        cycle_id,
                        programme["version_id"],
                        respondent,
                        group,
                        json.dumps(answers),
                        collected,
                        f"h{k}",
                        1,
                        facility[0],
                        programme["user_id"],
                        now,
                        now,
                        None,
                    )
                )
            if len(batch) >= 20_000:
                await harness.copy_submissions(connection, batch)
                batch = []
        if batch:
            await harness.copy_submissions(connection, batch)
        await _plans(connection, programme, cycle_ids, facility_rows, rng)
        await connection.execute("VACUUM ANALYZE")
        return cycle_ids
    finally:
        await connection.close()


async def _plans(
    connection: asyncpg.Connection,
    programme: dict[str, Any],
    cycle_ids: list[uuid.UUID],
    facility_rows: list[tuple[Any, ...]],
    rng: random.Random,
) -> None:
    """Three approved, budgeted action items per round, each with one progress report."""
    now = datetime.now(UTC)
    items, reports = [], []
    for cycle_id, facility in zip(cycle_ids, facility_rows, strict=True):
        for n in range(3):
            item_id = uuid.uuid4()
            status = ("done", "in_progress", "not_started")[n]
            items.append(
                (
                    item_id,
                    cycle_id,
                    ["i0"],
                    "An issue",
                    "An action",
                    status,
                    (now - timedelta(days=10 - 10 * n)).date(),
                    rng.choice((150_000, 400_000, 1_200_000)),
                    "soum_ldf",
                    "soum",
                    "approved",
                    facility[0],
                    programme["user_id"],
                )
            )
            reports.append(
                (
                    uuid.uuid4(),
                    item_id,
                    status if status != "not_started" else "blocked",
                    (now - timedelta(days=12)).date(),
                    rng.choice((0, 50_000, 100_000)),
                    facility[0],
                    programme["user_id"],
                )
            )
    await connection.copy_records_to_table(
        "action_item",
        records=items,
        columns=[
            "id",
            "cycle_id",
            "indicator_keys",
            "issue",
            "action",
            "status",
            "due_on",
            "cost_mnt",
            "funding_source",
            "level",
            "approval",
            "facility_id",
            "created_by",
        ],
    )
    await connection.copy_records_to_table(
        "action_update",
        records=reports,
        columns=[
            "id",
            "action_item_id",
            "status",
            "reported_on",
            "spent_mnt",
            "facility_id",
            "created_by",
        ],
    )


# The index's commitments (done on time, money delivered) per aimag, as one raw query.
RAW_INDEX_COMMITMENTS = """
SELECT a.lineage[2] AS unit,
       count(*) FILTER (WHERE i.status <> 'dropped' AND i.due_on IS NOT NULL) AS due,
       count(*) FILTER (WHERE i.status = 'done' AND d.done_on <= i.due_on) AS on_time,
       sum(least(coalesce(s.spent, 0), i.cost_mnt)) FILTER (WHERE i.approval = 'approved')
         AS delivered,
       sum(i.cost_mnt) FILTER (WHERE i.approval = 'approved') AS committed
FROM action_item i
JOIN facility f ON f.id = i.facility_id
JOIN area a ON a.code = f.area_code
LEFT JOIN (SELECT action_item_id, min(reported_on) AS done_on FROM action_update
           WHERE status = 'done' GROUP BY action_item_id) d ON d.action_item_id = i.id
LEFT JOIN (SELECT action_item_id, sum(spent_mnt) AS spent FROM action_update
           GROUP BY action_item_id) s ON s.action_item_id = i.id
WHERE i.deleted_at IS NULL
GROUP BY 1
"""


async def _timed(run: Callable[[], Awaitable[Any]], times: int) -> tuple[list[float], Any]:
    timings, result = [], None
    for _ in range(times):
        started = time.perf_counter()
        result = await run()
        timings.append(time.perf_counter() - started)
    return timings, result


async def raw_queries(url: str, cycle_ids: list[uuid.UUID], repeats: int) -> dict[str, Any]:
    """The raw SQL baselines, over one asyncpg connection (no HTTP, no ORM)."""
    connection = await asyncpg.connect(_plain_dsn(url))
    try:
        await connection.fetch(RAW_SCORECARD, cycle_ids[0])  # warm the plan and the cache
        per_cycle = []
        for cycle_id in cycle_ids:
            started = time.perf_counter()
            await connection.fetch(RAW_SCORECARD, cycle_id)
            per_cycle.append(time.perf_counter() - started)
        # the old way takes seconds a time: three are enough
        answers, answer_rows = await _timed(lambda: connection.fetch(RAW_ROLLUP), min(3, repeats))
        stats, stats_rows = await _timed(lambda: connection.fetch(RAW_STATISTICS_ROLLUP), repeats)
        index, _ = await _timed(lambda: connection.fetch(RAW_INDEX_COMMITMENTS), repeats)
        return {
            "index_commitments": index,
            "scorecard": per_cycle,
            "rollup_answers": answers,
            "rollup_statistics": stats,
            "answer_rows": answer_rows,
            "statistics_rows": stats_rows,
        }
    finally:
        await connection.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values) * 1000:.1f} ms, "
        f"p95 {_percentile(values, 0.95) * 1000:.1f} ms"
    )


def _agree(http_rows: list[dict[str, Any]], raw_rows: list[Any]) -> bool:
    """The roll-up served equals the one computed from the answers (to its 2 decimals)."""
    raw = {
        (r["unit"], r["indicator"]): (r["facilities"], int(r["scores"]), round(r["community"], 2))
        for r in raw_rows
    }
    served = {
        (r["unit"], r["indicator"]): (r["facilities"], r["community_scores"], r["community"])
        for r in http_rows
    }
    return raw == served


async def _add_viewer(db: AsyncSession) -> None:
    """A viewer of the whole country: an outsider, whose roll-up leaves small groups out."""
    await users.create(
        db,
        data=UserCreate(
            username="bench-viewer",
            display_name="Viewer",
            role=Role.VIEWER,
            password=harness.PASSWORD,
            area_codes=["MN"],
        ),
        by=None,
    )


def _viewer_headers(base: str) -> dict[str, str]:
    device = {"id": str(uuid.uuid4()), "name": "bench", "platform": "bench", "app_version": "1"}
    body = {"username": "bench-viewer", "password": harness.PASSWORD, "device": device}
    response = httpx.post(f"{base}/auth/v1/login", json=body, timeout=30)
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _rollups(client: httpx.Client, repeats: int) -> tuple[list[float], httpx.Response]:
    params = {"area": "MN", "template": "bench_thirty", "by": "aimag"}
    client.get("/reports/v1/rollup", params=params).raise_for_status()
    timings = []
    for _ in range(repeats):
        begun = time.perf_counter()
        response = client.get("/reports/v1/rollup", params=params)
        response.raise_for_status()
        timings.append(time.perf_counter() - begun)
    return timings, response


def _indexes(client: httpx.Client, repeats: int) -> tuple[list[float], httpx.Response]:
    params = {"area": "MN", "by": "aimag"}
    client.get("/reports/v1/index", params=params).raise_for_status()
    timings = []
    for _ in range(repeats):
        begun = time.perf_counter()
        response = client.get("/reports/v1/index", params=params)
        response.raise_for_status()
        timings.append(time.perf_counter() - begun)
    return timings, response


def main(facilities: int, per_facility: int, repeats: int) -> None:
    with harness.fresh_database() as url:
        programme = harness.programme(url)
        asyncio.run(in_transaction(url, _add_viewer))
        started = time.perf_counter()
        cycle_ids = asyncio.run(load(url, programme, facilities, per_facility))
        loaded = time.perf_counter() - started
        sample = random.Random(2).sample(cycle_ids, min(100, len(cycle_ids)))
        raw = asyncio.run(raw_queries(url, sample, repeats))
        with harness.server(url) as base:
            headers, _ = harness.sign_in(base)
            with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                client.get(f"/reports/v1/cycles/{sample[0]}/scorecard").raise_for_status()
                cards = []
                for cycle_id in sample:
                    begun = time.perf_counter()
                    client.get(f"/reports/v1/cycles/{cycle_id}/scorecard").raise_for_status()
                    cards.append(time.perf_counter() - begun)
                rollups, national = _rollups(client, repeats)
                indexes, index = _indexes(client, repeats)
            viewer = _viewer_headers(base)
            with httpx.Client(base_url=base, headers=viewer, timeout=120) as client:
                outsider, _ = _rollups(client, repeats)
    submissions = facilities * per_facility
    rows = national.json()["rows"]
    print(
        f"{facilities} facilities x {per_facility} submissions = {submissions:,} submissions, "
        f"{submissions * harness.INDICATORS:,} answers (loaded, statistics and all, "
        f"in {loaded:.0f} s)"
    )
    print(
        f"national roll-up by aimag over HTTP ({repeats} requests): {_ms(rollups)}, "
        f"{len(rows)} rows (target 200 ms)"
    )
    print(f"  the same read by a viewer (outsider: small groups left out): {_ms(outsider)}")
    print(
        f"  raw SQL over the answers' JSON: {_ms(raw['rollup_answers'])}; HTTP is "
        f"{statistics.median(raw['rollup_answers']) / statistics.median(rollups):.0f}x faster"
    )
    print(
        f"  raw SQL over the statistics table: {_ms(raw['rollup_statistics'])}; HTTP/raw at "
        f"p50 = {statistics.median(rollups) / statistics.median(raw['rollup_statistics']):.1f}x"
    )
    print(f"  served roll-up equals the one from the answers: {_agree(rows, raw['answer_rows'])}")
    print(f"facility scorecard over HTTP ({len(cards)} rounds): {_ms(cards)} (target p95 20 ms)")
    print(
        f"  its statistics as one raw SQL query over the answers: {_ms(raw['scorecard'])}; "
        f"HTTP/raw at p50 = {statistics.median(cards) / statistics.median(raw['scorecard']):.1f}x"
    )
    print(
        f"national responsiveness index by aimag over HTTP ({repeats} requests): "
        f"{_ms(indexes)}, {len(index.json()['rows'])} rows (target 200 ms)"
    )
    print(
        f"  its commitments (on time, money) as one raw SQL query: "
        f"{_ms(raw['index_commitments'])}; HTTP/raw at p50 = "
        f"{statistics.median(indexes) / statistics.median(raw['index_commitments']):.1f}x"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(
        args[0] if args else 2500,
        args[1] if len(args) > 1 else 40,
        args[2] if len(args) > 2 else 10,
    )
