"""Burst: every tablet of a region comes online at once with its queue full.

    uv run python bench/burst.py [DEVICES] [PER_DEVICE] [BATCH]     (default 1000 100 50)

DEVICES reference clients (backend/tablet) sign in, queue PER_DEVICE submissions of 30
answers each, and all push at the same moment in batches of BATCH against `scorecard serve`
with 2 workers, honouring Retry-After on 429/503. Printed: what was accepted, every status
seen, per-batch latency p50/p99 (send to answer, for answered batches), the peak memory of each
worker, and as the baseline the same batches pushed one at a time by a single tablet.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import asyncpg
import httpx

from backend.auth.models import Role
from backend.database.session import open_database
from backend.simulate.server import serving
from backend.tablet.client import Backoff, TabletClient
from backend.users import service as users
from backend.users.schemas import UserCreate
from bench import harness
from tests.support.databases import _plain_dsn

WORKERS = 2
PEOPLE = 50  # the devices are shared out among this many facilitators


class Timed(httpx.AsyncBaseTransport):
    """Records the latency and status of every push."""

    def __init__(self, limits: httpx.Limits) -> None:
        self.inner = httpx.AsyncHTTPTransport(limits=limits, retries=0)
        self.latencies: list[float] = []
        self.server_times: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.missing_retry_after = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        response = await self.inner.handle_async_request(request)
        if request.url.path == "/sync/v1/push":
            await response.aread()
            self.statuses[response.status_code] += 1
            if response.status_code < 300:
                self.latencies.append(time.perf_counter() - started)
                timing = response.headers.get("server-timing", "app;dur=0")
                self.server_times.append(float(timing.split("dur=")[1]) / 1000)
            elif response.status_code in (429, 503) and "retry-after" not in response.headers:
                self.missing_retry_after += 1
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class Memory(threading.Thread):
    """Peak resident memory of each worker process (children of the server), sampled."""

    def __init__(self, parent: int) -> None:
        super().__init__(daemon=True)
        self.parent = parent
        self.peaks: dict[int, int] = {}
        self.done = threading.Event()

    def _children(self) -> list[int]:
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) != self.parent:
                continue
            try:
                command = (stat.parent / "cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in command:  # a uvicorn worker, not multiprocessing's helpers
                found.append(int(stat.parent.name))
        return found

    def run(self) -> None:
        while not self.done.wait(0.25):
            for pid in self._children():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                rss = next(int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS"))
                self.peaks[pid] = max(self.peaks.get(pid, 0), rss * 1024)


async def make_people(url: str) -> list[str]:
    database = open_database(url)
    names = [f"burst-{n:03d}" for n in range(PEOPLE)]
    try:
        async with database.sessionmaker() as db, db.begin():
            for name in names:
                data = UserCreate(
                    username=name,
                    display_name=name,
                    role=Role.FACILITATOR,
                    password=harness.PASSWORD,
                    area_codes=["MN"],
                )
                await users.create(db, data=data, by=None)
    finally:
        await database.dispose()
    return names


def queue(tablet: TabletClient, programme: dict, count: int, seed: int) -> None:
    for i in range(count):
        tablet.create(
            "submission",
            {
                "cycle_id": str(programme["cycle_id"]),
                "respondent": "community",
                "group": {"type": "parents", "participants": {"female": 6, "male": 4}},
                "answers": harness.answers(seed + i),
                "collected_at": "2026-11-20T10:00:00+08:00",
            },
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def burst(base: str, programme: dict, names: list[str], devices: int, per: int, batch: int):  # type: ignore[no-untyped-def]
    transport = Timed(httpx.Limits(max_connections=devices + 10, max_keepalive_connections=devices))
    async with httpx.AsyncClient(transport=transport, base_url=base, timeout=600) as http:
        tablets = [
            TabletClient(http, backoff=Backoff(attempts=30, ceiling=30)) for _ in range(devices)
        ]
        signing_in = asyncio.Semaphore(8)

        async def sign_in(number: int, tablet: TabletClient) -> None:
            async with signing_in:
                await tablet.login(names[number % len(names)], harness.PASSWORD)

        started = time.perf_counter()
        await asyncio.gather(*(sign_in(n, t) for n, t in enumerate(tablets)))
        print(f"{devices} tablets signed in in {time.perf_counter() - started:.0f} s", flush=True)
        for n, tablet in enumerate(tablets):
            queue(tablet, programme, per, n * per)

        started = time.perf_counter()
        reports = await asyncio.gather(*(t.push(batch_size=batch) for t in tablets))
        elapsed = time.perf_counter() - started
    outcomes = Counter(r["status"] for report in reports for r in report.results)
    retries = sum(report.retries for report in reports)
    return transport, outcomes, retries, elapsed


async def baseline(base: str, programme: dict, name: str, per: int, batch: int) -> list[float]:
    transport = Timed(httpx.Limits())
    async with httpx.AsyncClient(transport=transport, base_url=base, timeout=600) as http:
        tablet = TabletClient(http)
        await tablet.login(name, harness.PASSWORD)
        queue(tablet, programme, per, 10**8)
        await tablet.push(batch_size=batch)
    return transport.latencies


async def stored(url: str) -> int:
    connection = await asyncpg.connect(_plain_dsn(url))
    try:
        return await connection.fetchval("SELECT count(*) FROM submission")
    finally:
        await connection.close()


def main(devices: int, per: int, batch: int) -> None:
    with harness.fresh_database() as url:
        programme = harness.programme(url)
        names = asyncio.run(make_people(url))
        with serving(url, harness.ROOT / "var" / "bench", workers=WORKERS) as served:
            single = asyncio.run(baseline(served.base_url, programme, names[0], 20 * batch, batch))
            memory = Memory(served.pid)
            memory.start()
            transport, outcomes, retries, elapsed = asyncio.run(
                burst(served.base_url, programme, names, devices, per, batch)
            )
            memory.done.set()
            memory.join()
        total = asyncio.run(stored(url))

    expected = devices * per
    accepted = outcomes["applied"] + outcomes["duplicate"]
    server_errors = sum(n for status, n in transport.statuses.items() if status >= 500)
    shed = transport.statuses[503] + transport.statuses[429]
    p50, p99 = percentile(transport.latencies, 0.5), percentile(transport.latencies, 0.99)
    b50 = percentile(single, 0.5)
    print(f"burst: {devices} tablets × {per} submissions in batches of {batch}, {WORKERS} workers")
    print(
        f"  accepted {accepted}/{expected} (stored {total - 20 * batch}), outcomes {dict(outcomes)}"
    )
    print(f"  push answers by status {dict(sorted(transport.statuses.items()))}, retries {retries}")
    print(
        f"  5xx other than 503: {server_errors - transport.statuses[503]}, "
        f"429/503 without Retry-After: {transport.missing_retry_after}, shed {shed}"
    )
    print(f"  {expected / elapsed:.0f} submissions/s over {elapsed:.1f} s")
    s50 = percentile(transport.server_times, 0.5)
    s99 = percentile(transport.server_times, 0.99)
    print(
        f"  per batch, in the server: p50 {s50 * 1000:.0f} ms, p99 {s99 * 1000:.0f} ms "
        "(target p99 500 ms)"
    )
    print(f"  per batch, seen by the tablets: p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
    print(
        f"  one tablet alone, same batches: p50 {b50 * 1000:.0f} ms "
        f"→ burst p50 is {p50 / b50:.1f}× the uncontended batch"
    )
    for n, (pid, peak) in enumerate(sorted(memory.peaks.items())):
        print(f"  worker {n + 1} (pid {pid}): peak {peak / 2**20:.0f} MiB (target < 400 MiB)")
    ok = accepted == expected and total - 20 * batch == expected
    ok = ok and server_errors == transport.statuses[503] and not transport.missing_retry_after
    if not ok:
        sys.exit("FAILED: not every submission was accepted exactly once, or a 5xx other than 503")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*(args + [1000, 100, 50][len(args) :]))
