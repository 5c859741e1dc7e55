"""Test fixtures: a migrated PostgreSQL, rollback isolation per test, an HTTP client on the app.

The server is TEST_DATABASE_URL when set, else an embedded PostgreSQL under var/test-pgdata.
Each test session migrates and seeds a template database once; the tests' database and every
database handed to a concurrency test are copies of it.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import pytest_asyncio
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend import seed
from backend.app import create_app
from backend.database import migrate
from backend.database.session import Database, create_engine, open_database
from backend.settings import Settings
from tests.support import databases
from tests.support.http import serve


async def _seed_reference(url: str) -> None:
    database = open_database(url)
    try:
        async with database.sessionmaker() as session, session.begin():
            await seed.reference(session)
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    url, embedded = databases.server_url(os.environ.get("TEST_DATABASE_URL"))
    yield url
    if embedded is not None:
        embedded.stop()


@pytest.fixture(scope="session")
def template_database(server_url: str) -> Iterator[str]:
    """A database at the migration head with reference data; only ever copied."""
    name = databases.new_name("scorecard_tpl")
    url = databases.create_database(server_url, name)
    try:
        migrate.upgrade(url)
        asyncio.run(_seed_reference(url))
        yield name
    finally:
        databases.drop_database(server_url, name)


@pytest.fixture(scope="session")
def database_url(server_url: str, template_database: str) -> Iterator[str]:
    name = databases.new_name("scorecard_test")
    url = databases.create_database(server_url, name, template=template_database, durable=False)
    yield url
    databases.drop_database(server_url, name)


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path_factory.mktemp("data"),
        allowed_hosts=("testserver", "localhost", "127.0.0.1"),
    )


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def engine(database_url: str):  # type: ignore[no-untyped-def]
    engine = create_engine(database_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture(loop_scope="session")
async def database(engine) -> AsyncIterator[Database]:  # type: ignore[no-untyped-def]
    """The app's database for one test: all of it runs in an outer transaction, rolled back."""
    async with engine.connect() as connection:
        outer = await connection.begin()
        sessionmaker = async_sessionmaker(
            bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
        )
        yield Database(engine, sessionmaker)
        await outer.rollback()


@pytest_asyncio.fixture(loop_scope="session")
async def db(database: Database) -> AsyncIterator[AsyncSession]:
    """A session inside the test's rolled-back transaction, for arranging and asserting."""
    async with database.sessionmaker() as session:
        yield session


@pytest.fixture
def app(settings: Settings, database: Database) -> Litestar:
    return create_app(settings, database=database)


@pytest_asyncio.fixture(loop_scope="session")
async def client(app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(app) as client:
        yield client


@pytest.fixture(scope="session")
def dropper(server_url: str) -> Iterator[databases.Dropper]:
    """Drops the tests' own databases behind them, done before the server stops."""
    dropping = databases.Dropper(server_url)
    yield dropping
    dropping.close()


@pytest.fixture
def committed_database_url(
    server_url: str, template_database: str, dropper: databases.Dropper
) -> Iterator[str]:
    """A database of the test's own whose transactions really commit (concurrency tests)."""
    name = databases.new_name("scorecard_commit")
    url = databases.create_database(server_url, name, template=template_database, durable=False)
    yield url
    dropper.drop(name)


@pytest_asyncio.fixture(loop_scope="session")
async def committed_database(committed_database_url: str) -> AsyncIterator[Database]:
    database = open_database(committed_database_url)
    yield database
    await database.dispose()


@pytest.fixture
def committed_app(settings: Settings, committed_database: Database) -> Litestar:
    """The app on a database of the test's own where every request really commits."""
    return create_app(settings, database=committed_database)


@pytest_asyncio.fixture(loop_scope="session")
async def committed_client(committed_app: Litestar) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(committed_app) as client:
        yield client


@pytest.fixture(scope="session")
def settings_for_apps(settings: Settings) -> Settings:
    """Settings for an app built on a database of a test's own (its URL is handed in apart)."""
    return settings


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """Against a shared server (TEST_DATABASE_URL) the tests run in one process: the change
    feed's horizon is the cluster's oldest running writer, so one worker's open test
    transaction would hold back another's pulls."""
    if os.environ.get("TEST_DATABASE_URL") and getattr(config.option, "numprocesses", None):
        config.option.numprocesses = 0
        config.option.dist = "no"
