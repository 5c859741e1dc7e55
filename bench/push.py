"""Push throughput: 1,000 submissions of 30 answers over HTTP against raw COPY of the same rows.

    uv run python bench/push.py [SUBMISSIONS] [BATCH]

The baseline writes, with asyncpg's COPY, exactly the rows a push writes (submissions, their
version history, the mutation log) into the same tables, triggers and all, in one transaction.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sys
import time
import uuid
from datetime import UTC, datetime

import asyncpg
import httpx
import msgspec

from bench import harness
from tests.support.databases import _plain_dsn


def _mutations(programme, start: int, count: int) -> list[dict]:  # type: ignore[no-untyped-def]
    return [
        {
            "mutation_id": start + i,
            "entity": "submission",
            "op": "create",
            "id": str(uuid.uuid4()),
            "data": {
                "cycle_id": str(programme["cycle_id"]),
                "respondent": "community",
                "group": {"type": "parents", "participants": {"female": 6, "male": 4}},
                "answers": harness.answers(start + i),
                "collected_at": "2026-11-20T10:00:00+08:00",
            },
            "client_ts": datetime.now(UTC).isoformat(),
        }
        for i in range(count)
    ]


def run_push(base: str, programme, total: int, batch: int) -> float:  # type: ignore[no-untyped-def]
    headers, device_id = harness.sign_in(base)
    mutations = _mutations(programme, 1, total)
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        started = time.perf_counter()
        for first in range(0, total, batch):
            chunk = mutations[first : first + batch]
            response = client.post(
                "/sync/v1/push",
                json={"protocol": 1, "device_id": str(device_id), "mutations": chunk},
            )
            response.raise_for_status()
            statuses = {r["status"] for r in response.json()["results"]}
            assert statuses == {"applied"}, response.json()["results"][:2]
        return time.perf_counter() - started


async def run_copy(url: str, programme, total: int) -> float:  # type: ignore[no-untyped-def]
    mutations = _mutations(programme, 10_000_000, total)
    connection = await asyncpg.connect(_plain_dsn(url))
    device_id = await connection.fetchval("SELECT id FROM device LIMIT 1")
    user_id = programme["user_id"]
    try:
        started = time.perf_counter()
        now = datetime.now(UTC)
        submissions, versions, logs = [], [], []
        for m in mutations:
            data = m["data"] | {
                "facility_id": str(programme["facility_id"]),
                "template_version_id": str(programme["version_id"]),
            }
            record_id = uuid.UUID(m["id"])
            digest = hashlib.sha256(msgspec.json.encode(data, order="sorted")).hexdigest()
            submissions.append(
                (
                    record_id,
                    programme["cycle_id"],
                    programme["version_id"],
                    "community",
                    json.dumps(data["group"]),
                    json.dumps(data["answers"]),
                    now,
                    digest,
                    1,
                    programme["facility_id"],
                    user_id,
                    now,
                    now,
                    None,
                )
            )
            versions.append(
                (
                    "submission",
                    record_id,
                    1,
                    json.dumps(data),
                    json.dumps(data),
                    False,
                    user_id,
                    device_id,
                    m["mutation_id"],
                    now,
                )
            )
            logs.append(
                (
                    device_id,
                    m["mutation_id"],
                    digest,
                    json.dumps({"mutation_id": m["mutation_id"], "status": "applied"}),
                    user_id,
                    now,
                    False,
                    now,
                )
            )
        async with connection.transaction():
            await harness.copy_submissions(connection, submissions)
            await connection.copy_records_to_table(
                "record_version",
                records=versions,
                columns=[
                    "entity",
                    "record_id",
                    "version",
                    "changed",
                    "snapshot",
                    "deleted",
                    "user_id",
                    "device_id",
                    "mutation_id",
                    "at",
                ],
            )
            await connection.copy_records_to_table(
                "sync_mutation",
                records=logs,
                columns=[
                    "device_id",
                    "mutation_id",
                    "content_hash",
                    "result",
                    "user_id",
                    "client_ts",
                    "clock_flagged",
                    "settled_at",
                ],
            )
        return time.perf_counter() - started
    finally:
        await connection.close()


def main(total: int, batch: int) -> None:
    with harness.fresh_database() as url:
        programme = harness.programme(url)
        with harness.server(url) as base:
            run_push(base, programme, min(100, total), batch)  # warm up: imports, caches, pool
            pushed = run_push(base, programme, total, batch)
        copied = asyncio.run(run_copy(url, programme, total))
    push_rate, copy_rate = total / pushed, total / copied
    print(f"{total} submissions x {harness.INDICATORS} answers, pushed in batches of {batch}")
    print(f"push over HTTP: {pushed:.2f} s, {push_rate:,.0f} submissions/s")
    print(f"raw COPY of the same rows: {copied:.2f} s, {copy_rate:,.0f} submissions/s")
    print(f"push / COPY throughput = {push_rate / copy_rate:.2f} (target 0.40)")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 1000, args[1] if len(args) > 1 else 100)
