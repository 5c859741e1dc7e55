"""Faults: nothing acknowledged is lost and nothing is stored twice, whatever breaks mid-push.

    uv run python bench/faults.py [RUNS] [TABLETS] [BATCHES] [BATCH_SIZE]     (default 3 6 10 20)

Each run starts `scorecard serve` (one worker) on a fresh database of an embedded PostgreSQL of
its own, behind a TCP proxy, and TABLETS reference tablets push BATCHES batches of BATCH_SIZE
submissions while faults are injected in turn:

- kill -9 of the server in the middle of the pushes, then a restart;
- an immediate PostgreSQL restart (`pg_ctl restart -m immediate`) during the pushes;
- the connection cut after the server committed a push and before its answer arrives.

The tablets retry as the tablet app does (backend/tablet). Afterwards every acknowledged
submission must be in the database exactly once, with the answers it was sent with.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
import random
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

import asyncpg
import httpx
import msgspec

from backend.database import migrate
from backend.database.embedded import EmbeddedPostgres
from backend.simulate.server import free_port
from backend.tablet.client import Backoff, TabletClient
from bench import harness
from tests.support import databases
from tests.support.databases import _plain_dsn

FAULTS = ("kill -9 of the server", "PostgreSQL restart", "connection cut after commit")


class Proxy:
    """Forwards TCP to the server; on cue, swallows the answer to the next push and hangs up."""

    def __init__(self, upstream: int) -> None:
        self.upstream = upstream
        self.cut_next = False
        self.cuts = 0
        self.server: asyncio.Server | None = None
        self.port = free_port()

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream)
        except OSError:
            writer.close()
            return
        pushing = asyncio.Event()

        async def outward() -> None:
            while data := await reader.read(65536):
                if b"POST /sync/v1/push" in data:
                    pushing.set()
                up_writer.write(data)
                await up_writer.drain()
            up_writer.close()

        async def homeward() -> None:
            while data := await up_reader.read(65536):
                if self.cut_next and pushing.is_set():
                    self.cut_next = False
                    self.cuts += 1
                    break  # the server has committed and answered; the tablet never hears it
                pushing.clear()
                writer.write(data)
                await writer.drain()
            writer.close()
            up_writer.close()

        try:
            await asyncio.gather(outward(), homeward())
        except (ConnectionError, OSError):
            writer.close()
            up_writer.close()


@dataclass
class Server:
    url: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        env = os.environ | {
            "DATABASE_URL": self.url,
            "SCORECARD_PORT": str(self.port),
            "SCORECARD_LOG_LEVEL": "ERROR",
            "SCORECARD_DATA_DIR": str(harness.ROOT / "var" / "faults"),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "backend.cli", "serve", "--workers", "1", "--no-demo"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError("the server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait()


@dataclass
class Run:
    faults: Counter[str] = field(default_factory=Counter)
    acknowledged: int = 0
    present: int = 0
    lost: int = 0
    duplicated: int = 0
    altered: int = 0
    gave_up: int = 0


async def inject(
    server: Server, proxy: Proxy, pg: EmbeddedPostgres, done: asyncio.Event, run: Run
) -> None:
    """Every kind of fault in turn, a moment apart, until the tablets are done."""
    rng = random.Random(7)
    for kind in itertools.cycle(FAULTS):
        await asyncio.sleep(rng.uniform(0.3, 0.8))
        if done.is_set():
            return
        if kind == FAULTS[0]:
            await asyncio.to_thread(server.kill)
            await asyncio.sleep(0.3)
            await asyncio.to_thread(server.start)
        elif kind == FAULTS[1]:
            await asyncio.to_thread(pg.crash_restart)
        else:
            proxy.cut_next = True
        run.faults[kind] += 1


def submission(programme: dict, number: int) -> dict:
    answers = harness.answers(number)
    answers["q00"] = answers["q00"] | {"reason": f"focus group {number}"}  # no two alike
    return {
        "cycle_id": str(programme["cycle_id"]),
        "respondent": "community",
        "group": {"type": "parents", "participants": {"female": 6, "male": number % 9}},
        "answers": answers,
        "collected_at": "2026-11-20T10:00:00+08:00",
    }


def digest(answers: dict) -> str:
    return hashlib.sha256(msgspec.json.encode(answers, order="sorted")).hexdigest()


async def one_run(number: int, tablets: int, batches: int, size: int) -> Run:
    pg = EmbeddedPostgres(harness.ROOT / "var" / "faults-pgdata")
    admin_url = pg.start()
    name = databases.new_name("scorecard_faults")
    url = databases.with_database(admin_url, name)
    await asyncio.to_thread(databases.create_database, admin_url, name)
    run = Run()
    try:
        await asyncio.to_thread(migrate.upgrade, url)
        programme = await asyncio.to_thread(harness.programme, url)
        server = Server(url)
        await asyncio.to_thread(server.start)
        proxy = Proxy(server.port)
        await proxy.start()
        sent: dict[str, str] = {}
        results: list[dict] = []
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{proxy.port}", timeout=30) as http:
            clients = []
            for _ in range(tablets):
                tablet = TabletClient(http, backoff=Backoff(attempts=60, first=0.1, ceiling=2))
                await tablet.login("bench", harness.PASSWORD)
                clients.append(tablet)
            done = asyncio.Event()
            faults = asyncio.create_task(inject(server, proxy, pg, done, run))

            async def field_work(t: int, tablet: TabletClient) -> None:
                """A focus group's scores at a time, each pushed when it is done."""
                for batch in range(batches):
                    for n in range(size):
                        data = submission(programme, ((number * 100 + t) * 1000 + batch) * 100 + n)
                        sent[tablet.create("submission", data)] = digest(data["answers"])
                    try:
                        results.extend((await tablet.push(batch_size=size)).results)
                    except ConnectionError:
                        run.gave_up += 1
                        return
                    await asyncio.sleep(0.15)

            await asyncio.gather(*(field_work(t, tablet) for t, tablet in enumerate(clients)))
            done.set()
            await faults
        run.faults["connection cut after commit"] = proxy.cuts
        server.kill()
        acknowledged = {
            r["id"] for r in results if (r.get("original_status") or r["status"]) == "applied"
        }
        connection = await asyncpg.connect(_plain_dsn(url))
        try:
            rows = await connection.fetch("SELECT id::text AS id, answers::text FROM submission")
        finally:
            await connection.close()
        stored = Counter(row["id"] for row in rows)
        contents = {row["id"]: digest(msgspec.json.decode(row["answers"])) for row in rows}
        run.acknowledged = len(acknowledged)
        run.present = sum(1 for rid in acknowledged if stored[rid] == 1)
        run.lost = sum(1 for rid in acknowledged if rid not in stored)
        by_content = Counter(contents.values())
        run.duplicated = sum(n - 1 for n in stored.values()) + sum(
            n - 1 for n in by_content.values()
        )
        run.altered = sum(
            1 for rid in acknowledged if rid in contents and contents[rid] != sent[rid]
        )
    finally:
        await asyncio.to_thread(databases.drop_database, admin_url, name)
    return run


def main(runs: int, tablets: int, batches: int, size: int) -> None:
    total = Run()
    for number in range(runs):
        run = asyncio.run(one_run(number, tablets, batches, size))
        print(
            f"run {number + 1}: faults {dict(run.faults)}; acknowledged {run.acknowledged}, "
            f"present once {run.present}, lost {run.lost}, duplicated {run.duplicated}, "
            f"altered {run.altered}, tablets that gave up {run.gave_up}",
            flush=True,
        )
        total.faults.update(run.faults)
        for name in ("acknowledged", "present", "lost", "duplicated", "altered", "gave_up"):
            setattr(total, name, getattr(total, name) + getattr(run, name))
    expected = runs * tablets * batches * size
    print(
        f"faults: {runs} runs, {sum(total.faults.values())} faults injected "
        f"({', '.join(f'{kind} {total.faults[kind]}' for kind in FAULTS)}); "
        f"submissions sent {expected}, acknowledged {total.acknowledged}, present {total.present}, "
        f"lost {total.lost} (must be 0), duplicated {total.duplicated} (must be 0), "
        f"content mismatches {total.altered} (must be 0)"
    )
    failed = total.lost or total.duplicated or total.altered or total.gave_up
    failed = failed or total.acknowledged != expected or min(total.faults[k] for k in FAULTS) == 0
    if failed:
        sys.exit("FAILED: a fault lost, duplicated or altered an acknowledged submission")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:]]
    main(*(args + [3, 6, 10, 20][len(args) :]))
