"""Running the service: serve, the schema, backups."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import threading
from pathlib import Path

import click

from backend import __version__
from backend.cli.common import (
    current_revision,
    database_url,
    in_transaction,
    load_settings,
    upgrade_and_say,
)
from backend.database import migrate
from backend.web.logs import configure_logging


@click.command()
def version() -> None:
    """Print the version."""
    click.echo(__version__)


@click.command()
@click.option("--host", help="Interface to listen on [SCORECARD_HOST, default 127.0.0.1].")
@click.option("--port", type=int, help="Port [SCORECARD_PORT, default 8000].")
@click.option("--workers", type=click.IntRange(1, 64), help="Worker processes [SCORECARD_WORKERS].")
@click.option("--no-demo", is_flag=True, help="Do not load the demo data on a fresh database.")
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not run the reminders worker here (run `scorecard worker` elsewhere).",
)
def serve(
    host: str | None, port: int | None, workers: int | None, no_demo: bool, no_worker: bool
) -> None:
    """Migrate, seed reference data (and demo data on a fresh database), then serve; the
    reminders worker runs beside the server unless --no-worker."""
    import uvicorn

    from backend import seed
    from backend.reminders import worker as reminders

    settings = load_settings()
    settings = dataclasses.replace(
        settings,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
    )
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    with database_url(settings) as url:
        upgrade_and_say(url)
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
        # one reminders worker per `serve`, in this process (not in each uvicorn worker)
        background = None if no_worker else reminders.in_thread(settings)
        try:
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
        finally:
            if background is not None:
                thread, stop = background
                stop.set()
                thread.join(timeout=15)


@click.command()
@click.option("--once", is_flag=True, help="One round (scan, send what is due), then exit.")
def worker(once: bool) -> None:
    """Send reminders: queue those of action items overdue or due for review, send the outbox
    over SMTP with retries. Safe to run beside `serve` and other workers."""
    from backend.reminders import worker as reminders

    settings = load_settings()
    configure_logging(log_format=settings.log_format, level=settings.log_level)
    with database_url(settings) as url:
        stop = threading.Event()
        previous = {
            sig: signal.signal(sig, lambda *_: stop.set())
            for sig in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            asyncio.run(reminders.run(settings.with_database_url(url), stop=stop, once=once))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


@click.group()
def db() -> None:
    """Database migrations."""


@db.command()
@click.argument("revision", default="head")
def upgrade(revision: str) -> None:
    """Upgrade the schema (to head by default)."""
    with database_url(load_settings()) as url:
        migrate.upgrade(url, revision)
        click.echo(f"database at {current_revision(url)}")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Downgrade the schema to REVISION (`base` removes everything)."""
    with database_url(load_settings()) as url:
        migrate.downgrade(url, revision)
        click.echo(f"database at {current_revision(url) or 'base'}")


@db.command()
def current() -> None:
    """Show the schema's revision and the code's head."""
    with database_url(load_settings()) as url:
        click.echo(f"database: {current_revision(url) or 'base (empty)'}")
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
    with database_url(load_settings()) as url:
        _after_restore(url)


def _after_restore(url: str) -> None:
    from backend.sync.restore import after_restore

    upgrade_and_say(url)
    epoch, devices = in_transaction(url, after_restore)
    click.echo(
        f"new sync epoch {epoch}: tablets' cursors now answer `reset`; "
        f"{devices} device(s) may continue their own mutation numbering"
    )


@click.command()
@click.argument("archive", type=click.Path(dir_okay=False, path_type=Path))
def backup(archive: Path) -> None:
    """Write the database, the evidence files and the signing key to one archive."""
    from backend.system import backup as backups

    settings = load_settings()
    with database_url(settings) as url:
        try:
            contents = backups.make(settings, url, archive)
        except backups.BackupError as exc:
            raise click.ClickException(str(exc)) from exc
    click.echo(
        f"backup written to {archive}: database at {contents.migration}, "
        f"{contents.attachments} evidence file(s), {contents.keys} key file(s). "
        "It holds the token signing key: keep it as safe as the server."
    )


@click.command()
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def restore(archive: Path, yes: bool) -> None:
    """Replace the database, evidence files and key with a backup's, then start a new sync
    epoch (what `db after-restore` does). Stop the service first."""
    from backend.system import backup as backups

    if not yes:
        click.confirm("This replaces everything in the database. Go on?", abort=True)
    settings = load_settings()
    with database_url(settings) as url:
        try:
            contents = backups.restore(settings, url, archive)
        except backups.BackupError as exc:
            raise click.ClickException(str(exc)) from exc
        click.echo(
            f"restored the backup of {contents.made_at}: {contents.attachments} evidence "
            f"file(s), {contents.keys} key file(s)"
        )
        _after_restore(url)


COMMANDS = [version, serve, worker, db, backup, restore]
