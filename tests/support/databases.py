"""Creating and dropping throwaway databases on the test server."""

from __future__ import annotations

import asyncio
import os
import queue
import secrets
import threading
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from backend.database.embedded import EmbeddedPostgres
from backend.settings import asyncpg_url

ROOT = Path(__file__).resolve().parents[2]


def server_url(env_url: str | None) -> tuple[str, EmbeddedPostgres | None]:
    """The admin URL of the test server: TEST_DATABASE_URL, else an embedded one under var/."""
    if env_url:
        url = asyncpg_url(env_url)
        assert url is not None
        return url, None
    # each pytest-xdist worker gets a PostgreSQL of its own: the change feed's horizon is the
    # cluster's oldest running writer, so one worker's open test transaction would hold back
    # another worker's pulls
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    embedded = EmbeddedPostgres(
        ROOT / "var" / (f"test-pgdata-{worker}" if worker else "test-pgdata")
    )
    return embedded.start(), embedded


def with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _plain_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _admin(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(_plain_dsn(url))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


def new_name(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(4)}"


def create_database(
    admin_url: str, name: str, *, template: str | None = None, durable: bool = True
) -> str:
    """A new database; not `durable`, its commits do not wait for the disk (a test's: the
    server is never killed under it). bench/faults.py kills PostgreSQL under its database and
    counts on every acknowledged commit surviving, so durable is the default."""
    clause = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
    asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"{clause}'))
    if not durable:
        asyncio.run(_admin(admin_url, f'ALTER DATABASE "{name}" SET synchronous_commit = off'))
    return with_database(admin_url, name)


def drop_database(admin_url: str, name: str) -> None:
    asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _fetch_tables(url: str) -> set[str]:
    connection = await asyncpg.connect(_plain_dsn(url))
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return {row["tablename"] for row in rows}
    finally:
        await connection.close()


def tables(url: str) -> set[str]:
    return asyncio.run(_fetch_tables(url))


class Dropper:
    """Drops the tests' databases on a thread of its own: a test does not wait while the
    server removes the previous test's files (a checkpoint on a server that syncs to disk)."""

    def __init__(self, admin_url: str) -> None:
        self._admin_url = admin_url
        self._names: queue.Queue[str | None] = queue.Queue()
        self._failures: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name="database-dropper", daemon=True)
        self._thread.start()

    def drop(self, name: str) -> None:
        self._names.put(name)

    def _run(self) -> None:
        while (name := self._names.get()) is not None:
            try:
                drop_database(self._admin_url, name)
            except Exception as exc:  # reported when the session closes
                self._failures.append(exc)

    def close(self) -> None:
        """Wait for every drop; a drop that failed fails the session."""
        self._names.put(None)
        self._thread.join()
        if self._failures:
            raise self._failures[0]
