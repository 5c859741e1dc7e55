"""A server of the simulator's own: a fresh database on the embedded PostgreSQL and
`scorecard serve` in a subprocess, with the demo programme loaded."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
from sqlalchemy.engine import make_url

from backend.database.embedded import EmbeddedPostgres


async def _admin(server_url: str, statement: str) -> None:
    dsn = make_url(server_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class Served:
    base_url: str
    pid: int  # the serving process; with several workers, their parent


@contextmanager
def serving(database_url: str, data_dir: Path, *, workers: int = 1) -> Iterator[Served]:
    """`scorecard serve` on a free port until the block ends."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SCORECARD_HOST": "127.0.0.1",
        "SCORECARD_PORT": str(port),
        "SCORECARD_LOG_LEVEL": "WARNING",
        "SCORECARD_DATA_DIR": str(data_dir),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "serve", "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited with {process.returncode}")
            try:
                if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not become ready in 120 s")
            time.sleep(0.2)
        yield Served(base, process.pid)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def own_server(pgdata: Path, data_dir: Path, *, workers: int = 1) -> Iterator[str]:
    """A throwaway database on the embedded PostgreSQL in `pgdata`, served with demo data."""
    embedded = EmbeddedPostgres(pgdata)
    server_url = embedded.start()
    name = f"scorecard_run_{secrets.token_hex(4)}"
    asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
    database_url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        with serving(database_url, data_dir, workers=workers) as served:
            yield served.base_url
    finally:
        asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
