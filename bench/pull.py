"""Bootstrap pull: 10,000 records over HTTP against a raw SELECT and JSON encode of the same rows.

    uv run python bench/pull.py [RECORDS] [PAGE]

The records are submissions of 30 answers written straight into the table (its trigger
feeds the change log as a push would). The baseline reads the same rows with asyncpg and
encodes them to JSON with msgspec, the least any server must do to hand them out.
"""

from __future__ import annotations

import asyncio
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


async def load(url: str, programme, total: int) -> None:  # type: ignore[no-untyped-def]
    connection = await asyncpg.connect(_plain_dsn(url))
    now = datetime.now(UTC)
    rows = [
        (
            uuid.uuid4(),
            programme["cycle_id"],
            programme["version_id"],
            "community",
            json.dumps({"type": "parents", "participants": {"female": 6}}),
            json.dumps(harness.answers(i)),
            now,
            f"hash{i}",
            1,
            programme["facility_id"],
            programme["user_id"],
            now,
            now,
            None,
        )
        for i in range(total)
    ]
    try:
        await harness.copy_submissions(connection, rows)
    finally:
        await connection.close()


def run_pull(base: str, page: int, encoding: str = "gzip") -> tuple[float, int]:
    headers, device_id = harness.sign_in(base)
    headers["Accept-Encoding"] = encoding
    count, cursor = 0, None
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        started = time.perf_counter()
        while True:
            response = client.post(
                "/sync/v1/pull",
                json={"protocol": 1, "device_id": str(device_id), "cursor": cursor, "limit": page},
            )
            response.raise_for_status()
            body = response.json()
            count += sum(1 for c in body["changes"] if c["entity"] == "submission")
            cursor = body["cursor"]
            if not body["has_more"]:
                return time.perf_counter() - started, count


async def run_select(url: str) -> tuple[float, int]:
    connection = await asyncpg.connect(_plain_dsn(url))
    try:
        started = time.perf_counter()
        rows = await connection.fetch(
            "SELECT id, version, cycle_id, facility_id, template_version_id, respondent, "
            '"group"::text, answers::text, collected_at FROM submission ORDER BY id'
        )
        # stored JSON passed through as it is, as the server does
        encoded = msgspec.json.encode(
            [
                {
                    "entity": "submission",
                    "id": r["id"],
                    "op": "upsert",
                    "version": r["version"],
                    "data": {
                        "cycle_id": r["cycle_id"],
                        "facility_id": r["facility_id"],
                        "template_version_id": r["template_version_id"],
                        "respondent": r["respondent"],
                        "group": msgspec.Raw(r["group"].encode()),
                        "answers": msgspec.Raw(r["answers"].encode()),
                        "collected_at": r["collected_at"],
                    },
                }
                for r in rows
            ]
        )
        assert encoded
        return time.perf_counter() - started, len(rows)
    finally:
        await connection.close()


def main(total: int, page: int) -> None:
    with harness.fresh_database() as url:
        programme = harness.programme(url)
        asyncio.run(load(url, programme, total))
        with harness.server(url) as base:
            run_pull(base, page)  # warm up
            pulled, count = run_pull(base, page)
            plain, _ = run_pull(base, page, encoding="identity")
        selected, rows = asyncio.run(run_select(url))
    assert count == rows == total, (count, rows)
    print(f"bootstrap of {total} submissions x {harness.INDICATORS} answers, pages of {page}")
    print(f"pull over HTTP: {pulled:.2f} s, {total / pulled:,.0f} records/s")
    print(f"raw SELECT + JSON encode: {selected:.2f} s, {total / selected:,.0f} records/s")
    print(f"pull over HTTP without gzip: {plain:.2f} s, {total / plain:,.0f} records/s")
    print(
        f"pull / raw throughput = {selected / pulled:.2f} (target 0.50); "
        f"without gzip {selected / plain:.2f}"
    )


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(args[0] if args else 10_000, args[1] if len(args) > 1 else 1000)
