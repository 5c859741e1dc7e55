"""`scorecard` commands for the tablet team and field operations: the contract files, a
rehearsed field season, and the upkeep of evidence files."""

from __future__ import annotations

import sys

import click
from sqlalchemy.ext.asyncio import AsyncSession

from backend.cli.common import database_url, in_transaction, load_settings


@click.group()
def attachments() -> None:
    """Evidence photos and documents."""


@attachments.command("prune")
@click.option(
    "--days",
    type=click.IntRange(1, 3650),
    default=30,
    show_default=True,
    help="Remove files nothing has mentioned for this many days.",
)
def prune_attachments(days: int) -> None:
    """Remove attachments no record has mentioned for DAYS days, and abandoned uploads."""
    from backend.attachments import refs
    from backend.attachments.storage import open_store

    settings = load_settings()

    async def prune(db: AsyncSession) -> tuple[int, int]:
        return await refs.prune(db, open_store(settings), days=days)

    with database_url(settings) as url:
        removed, abandoned = in_transaction(url, prune)
    click.echo(
        f"removed {removed} attachment(s) nothing has mentioned for {days} days "
        f"and {abandoned} piece(s) of abandoned uploads"
    )


@click.command()
def contract() -> None:
    """Write mobile_contract/openapi.json and the wire types' JSON Schemas from the code."""
    from backend import contract as tablet_contract
    from backend.app import create_app

    written = tablet_contract.write(create_app(load_settings()))
    click.echo(f"wrote {written} files under {tablet_contract.FOLDER}")


@click.command()
@click.option("--devices", type=click.IntRange(1, 2000), default=20, show_default=True)
@click.option("--days", type=click.IntRange(1, 365), default=10, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True, help="Same seed, same season.")
@click.option(
    "--url",
    help="A running server with the demo data (`scorecard seed --demo`); "
    "without it the simulation starts a server of its own on the embedded PostgreSQL.",
)
def simulate(devices: int, days: int, seed: int, url: str | None) -> None:
    """Rehearse a field season: tablets offline, syncing, editing one plan; then check it all."""
    from backend import simulate as field_season

    settings = load_settings()
    summary = field_season.simulate(
        devices=devices,
        days=days,
        seed=seed,
        url=url,
        pgdata=settings.embedded_pgdata,
        data_dir=settings.data_dir,
    )
    click.echo(field_season.report(summary))
    if summary.problems:
        sys.exit(1)


COMMANDS = [attachments, contract, simulate]
