"""Scorecard and roll-up latency on a national-size round: 100,000 submissions, 3 million answers.

    uv run python bench/aggregate.py [FACILITIES] [SUBMISSIONS_PER_FACILITY]

2,500 schools across the 21 aimags, one round each, 40 focus-group scorecards of 30 indicators
per school. Measured over HTTP: a facility's scorecard (p50/p95 of up to 100 requests) and the
national roll-up by aimag; beside each, the same statistics as one raw SQL query.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime

import asyncpg
import httpx

from backend.areas.reference import REFERENCE_AREAS
from backend.reports.queries import CYCLE_STATISTICS
from bench import harness
from tests.support.databases import _plain_dsn

AIMAGS = [area.code for area in REFERENCE_AREAS if area.level == "aimag"]


async def load(url: str, programme, facilities: int, per_facility: int) -> list[uuid.UUID]:  # type: ignore[no-untyped-def]
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
                now,
                now,
                now,
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
                batch.append(
                    (
                        uuid.uuid4(),
                        cycle_id,
                        programme["version_id"],
                        respondent,
                        group,
                        json.dumps(answers),
                        now,
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
        await connection.execute("ANALYZE")
        return cycle_ids
    finally:
        await connection.close()


async def raw_scorecard(url: str, cycle_ids: list[uuid.UUID]) -> list[float]:
    connection = await asyncpg.connect(_plain_dsn(url))
    sql = str(CYCLE_STATISTICS).replace(":cycle_id", "$1")
    timings = []
    try:
        for cycle_id in cycle_ids:
            started = time.perf_counter()
            await connection.fetch(sql, cycle_id)
            timings.append(time.perf_counter() - started)
        return timings
    finally:
        await connection.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(facilities: int, per_facility: int) -> None:
    with harness.fresh_database() as url:
        programme = harness.programme(url)
        started = time.perf_counter()
        cycle_ids = asyncio.run(load(url, programme, facilities, per_facility))
        loaded = time.perf_counter() - started
        sample = random.Random(2).sample(cycle_ids, min(100, len(cycle_ids)))
        raw = asyncio.run(raw_scorecard(url, sample))
        with harness.server(url) as base:
            headers, _ = harness.sign_in(base)
            with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
                client.get(f"/reports/v1/cycles/{sample[0]}/scorecard").raise_for_status()
                timings = []
                for cycle_id in sample:
                    begun = time.perf_counter()
                    client.get(f"/reports/v1/cycles/{cycle_id}/scorecard").raise_for_status()
                    timings.append(time.perf_counter() - begun)
                begun = time.perf_counter()
                national = client.get(
                    "/reports/v1/rollup",
                    params={"area": "MN", "template": "bench_thirty", "by": "aimag"},
                )
                national.raise_for_status()
                rollup = time.perf_counter() - begun
    submissions = facilities * per_facility
    print(
        f"{facilities} facilities x {per_facility} submissions = {submissions:,} submissions, "
        f"{submissions * harness.INDICATORS:,} answers (loaded in {loaded:.0f} s)"
    )
    print(
        f"facility scorecard over HTTP: p50 {statistics.median(timings) * 1000:.1f} ms, "
        f"p95 {_percentile(timings, 0.95) * 1000:.1f} ms (target p95 50 ms)"
    )
    print(
        f"  its statistics as one raw query: p50 {statistics.median(raw) * 1000:.1f} ms, "
        f"p95 {_percentile(raw, 0.95) * 1000:.1f} ms; HTTP/raw at p50 = "
        f"{statistics.median(timings) / statistics.median(raw):.1f}x"
    )
    print(
        f"national roll-up by aimag over HTTP: {rollup:.2f} s, {len(national.json()['rows'])} "
        f"rows (target 2 s)"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 2500, args[1] if len(args) > 1 else 40)
