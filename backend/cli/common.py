"""What every `scorecard` command shares: settings, the database (given or embedded), the
schema brought to head, and one transaction around a piece of async work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from backend.database import migrate, session
from backend.database.embedded import EmbeddedDatabaseError, EmbeddedPostgres, stops_on_signals
from backend.settings import Settings, SettingsError

T = TypeVar("T")


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc


@contextmanager
def database_url(settings: Settings) -> Iterator[str]:
    """Yield DATABASE_URL as given, or the URL of the embedded server under the data dir."""
    if settings.database_url is not None:
        yield settings.database_url
        return
    embedded = EmbeddedPostgres(settings.embedded_pgdata)
    # SIGTERM (a service manager, `docker stop`, `kill`) stops it as Ctrl-C does
    with stops_on_signals():
        try:
            url = embedded.start()
        except EmbeddedDatabaseError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(f"embedded PostgreSQL running with its data in {embedded.pgdata}", err=True)
        try:
            yield url
        finally:
            embedded.stop()


def in_transaction(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run `work` in one transaction on the database at `url`, committed when it returns."""
    return asyncio.run(session.in_transaction(url, work))


def upgrade_and_say(url: str) -> None:
    before = current_revision(url)
    migrate.upgrade(url)
    after = current_revision(url)
    if before == after:
        click.echo(f"database schema at {after}", err=True)
    else:
        click.echo(f"database schema upgraded: {before or 'empty'} -> {after}", err=True)


def current_revision(url: str) -> str | None:
    async def read() -> str | None:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await migrate.current_revision(connection)
        finally:
            await engine.dispose()

    return asyncio.run(read())
