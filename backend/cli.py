"""The `scorecard` command: serve, migrate, seed, manage users."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from backend import __version__, cli_tools, migrate
from backend.auth.models import Role
from backend.db import open_database
from backend.embedded import EmbeddedDatabaseError, EmbeddedPostgres, stops_on_signals
from backend.errors import DomainError
from backend.logs import configure_logging
from backend.settings import Settings, SettingsError


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


@click.group()
def main() -> None:
    """Community scorecards: sync server, scoring and action plans."""


@main.command()
def version() -> None:
    """Print the version."""
    click.echo(__version__)


@main.command()
@click.option("--host", help="Interface to listen on [SCORECARD_HOST, default 127.0.0.1].")
@click.option("--port", type=int, help="Port [SCORECARD_PORT, default 8000].")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes [SCORECARD_WORKERS].")
@click.option("--no-demo", is_flag=True, help="Do not load the demo data on a fresh database.")
def serve(host: str | None, port: int | None, workers: int | None, no_demo: bool) -> None:
    """Migrate, seed reference data (and demo data on a fresh database), then serve."""
    import uvicorn

    from backend import seed

    settings = load_settings()
    settings = dataclasses.replace(
        settings,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
    )
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    with database_url(settings) as url:
        _upgrade_and_say(url)
        settings = settings.with_database_url(url)
        report = asyncio.run(seed.on_start(settings, demo=not no_demo and not settings.production))
        for line in report:
            click.echo(line, err=True)
        # workers re-read the environment; hand them the database this process started
        os.environ["DATABASE_URL"] = url
        if settings.workers > 1:
            from backend.system import metrics

            metrics.share_between_workers(settings.data_dir)
        click.echo(
            f"serving on http://{settings.host}:{settings.port} "
            f"(API docs at /schema, {settings.workers} worker(s))",
            err=True,
        )
        uvicorn.run(
            "backend.asgi:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_config=None,
            access_log=False,
            server_header=False,
            proxy_headers=False,
        )


@main.group()
def db() -> None:
    """Database migrations."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Upgrade the schema (to head by default)."""
    with database_url(load_settings()) as url:
        migrate.upgrade(url, revision)
        click.echo(f"database at {_current(url)}")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION (`base` removes everything)."""
    with database_url(load_settings()) as url:
        migrate.downgrade(url, revision)
        click.echo(f"database at {_current(url) or 'base'}")


@db.command()
def current() -> None:
    """Show the schema's revision and the code's head."""
    with database_url(load_settings()) as url:
        click.echo(f"database: {_current(url) or 'base (empty)'}")
        click.echo(f"code head: {migrate.head_revision()}")


@db.command()
def check() -> None:
    """Fail when the models and the migrations disagree."""
    with database_url(load_settings()) as url:
        migrate.check(url)
        click.echo("models and migrations agree")


@db.command("after-restore")
def after_restore_command() -> None:
    """Run once after restoring a backup: every tablet re-bootstraps, keeping unsent work."""
    from backend.sync.restore import after_restore

    async def run(url: str) -> tuple[object, int]:
        database = open_database(url)
        try:
            async with database.sessionmaker() as session, session.begin():
                return await after_restore(session)
        finally:
            await database.dispose()

    with database_url(load_settings()) as url:
        _upgrade_and_say(url)
        epoch, devices = asyncio.run(run(url))
    click.echo(
        f"new sync epoch {epoch}: tablets' cursors now answer `reset`; "
        f"{devices} device(s) may continue their own mutation numbering"
    )


def _upgrade_and_say(url: str) -> None:
    before = _current(url)
    migrate.upgrade(url)
    after = _current(url)
    if before == after:
        click.echo(f"database schema at {after}", err=True)
    else:
        click.echo(f"database schema upgraded: {before or 'empty'} -> {after}", err=True)


def _current(url: str) -> str | None:
    from sqlalchemy.ext.asyncio import create_async_engine

    async def read() -> str | None:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                return await migrate.current_revision(connection)
        finally:
            await engine.dispose()

    return asyncio.run(read())


@main.command("seed")
@click.option("--demo", is_flag=True, help="Also load the demo programme and accounts.")
@click.option(
    "--password", default="demo-password", show_default=True, help="Demo accounts' password."
)
def seed_command(demo: bool, password: str) -> None:
    """Load reference data (safe to run again); with --demo, the demo data too."""
    from backend import seed

    settings = load_settings()
    with database_url(settings) as url:
        _upgrade_and_say(url)
        report = asyncio.run(
            seed.run(settings.with_database_url(url), demo=demo, password=password)
        )
        for line in report:
            click.echo(line)


@main.group()
def user() -> None:
    """Accounts."""


@user.command("create")
@click.option("--username", required=True)
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--role", required=True, type=click.Choice([role.value for role in Role]))
@click.option("--display-name", help="Defaults to the username.")
@click.option("--area", "areas", multiple=True, help="Area code in scope (repeatable).")
@click.option("--facility", "facilities", multiple=True, help="Facility id in scope (repeatable).")
def create_user(
    username: str,
    password: str,
    role: str,
    display_name: str | None,
    areas: tuple[str, ...],
    facilities: tuple[str, ...],
) -> None:
    """Create an account (the first admin, or any other)."""
    import msgspec

    from backend.users import service as users
    from backend.users.schemas import UserCreate

    try:
        data = msgspec.convert(
            {
                "username": username,
                "password": password,
                "role": role,
                "display_name": display_name or username,
                "area_codes": list(areas),
                "facility_ids": list(facilities),
            },
            UserCreate,
        )
    except msgspec.ValidationError as exc:
        raise click.ClickException(str(exc)) from exc

    async def create(url: str) -> str:
        database = open_database(url)
        try:
            async with database.sessionmaker() as db, db.begin():
                created = await users.create(db, data=data, by=None)
                return f"created {created.role} {created.username} ({created.id})"
        except DomainError as exc:
            raise click.ClickException(f"{exc.detail} [{exc.code}]") from exc
        finally:
            await database.dispose()

    with database_url(load_settings()) as url:
        _upgrade_and_say(url)
        click.echo(asyncio.run(create(url)))


@main.group("import")
def import_group() -> None:
    """Import soums, khoroos and facilities from CSV files."""


def _run_import(kind: str, path: Path, skip_bad_rows: bool) -> None:
    from backend.areas.importer import import_areas
    from backend.csvfiles import CsvFormatError
    from backend.facilities.importer import import_facilities

    importer = {"areas": import_areas, "facilities": import_facilities}[kind]

    async def run(url: str):  # type: ignore[no-untyped-def]
        database = open_database(url)
        try:
            async with database.sessionmaker() as db, db.begin():
                return await importer(db, path, skip_bad_rows=skip_bad_rows)
        finally:
            await database.dispose()

    with database_url(load_settings()) as url:
        _upgrade_and_say(url)
        try:
            report = asyncio.run(run(url))
        except CsvFormatError as exc:
            raise click.ClickException(str(exc)) from exc
    for problem in report.problems:
        click.echo(f"{path.name}: {problem}", err=True)
    summary = (
        f"{report.rows} rows: {report.created} new, {report.updated} updated, "
        f"{report.unchanged} unchanged, {report.rejected} rejected"
    )
    if not report.applied and report.problems:
        raise click.ClickException(
            f"{summary}; nothing imported. Fix the rows above, or import the good rows with "
            "--skip-bad-rows."
        )
    click.echo(summary)


@import_group.command("areas")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows even if some are bad.")
def import_areas_command(path: Path, skip_bad_rows: bool) -> None:
    """Soums, bags and khoroos: code,level,parent_code,name_mn,name_en[,aliases]."""
    _run_import("areas", path, skip_bad_rows)


@import_group.command("facilities")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows even if some are bad.")
def import_facilities_command(path: Path, skip_bad_rows: bool) -> None:
    """registry_code,type,name_mn,name_en,area_code[,insurance_contracted,latitude,longitude]."""
    _run_import("facilities", path, skip_bad_rows)


@main.group()
def keys() -> None:
    """Access-token signing keys."""


@keys.command("rotate")
def rotate_keys() -> None:
    """Development: make a new signing key; the old one keeps verifying the tokens it signed.

    In production, point SCORECARD_JWT_SIGNING_KEY_FILE at the new key and list the old
    key's public half in SCORECARD_JWT_VERIFY_KEY_FILES for one access-token lifetime.
    """
    from backend.auth.keys import rotate_development_key

    settings = load_settings()
    if settings.jwt_signing_key_file is not None:
        raise click.ClickException(
            "the signing key comes from SCORECARD_JWT_SIGNING_KEY_FILE; rotate it there"
        )
    click.echo(f"new signing key {rotate_development_key(settings)}; restart the service")


if __name__ == "__main__":
    sys.exit(main())


for command in (cli_tools.attachments, cli_tools.contract, cli_tools.simulate):
    main.add_command(command)
