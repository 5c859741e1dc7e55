"""Running a programme: reference and demo data, accounts, imports, signing keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

import click
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.cli.common import database_url, in_transaction, load_settings, upgrade_and_say
from backend.errors import DomainError


@click.command("seed")
@click.option("--demo", is_flag=True, help="Also load the demo programme and accounts.")
@click.option(
    "--password", default="demo-password", show_default=True, help="Demo accounts' password."
)
def seed_command(demo: bool, password: str) -> None:
    """Load reference data (safe to run again); with --demo, the demo data too."""
    from backend import seed

    settings = load_settings()
    with database_url(settings) as url:
        upgrade_and_say(url)
        report = asyncio.run(
            seed.run(settings.with_database_url(url), demo=demo, password=password)
        )
        for line in report:
            click.echo(line)


@click.group()
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

    async def create(db: AsyncSession) -> str:
        created = await users.create(db, data=data, by=None)
        return f"created {created.role} {created.username} ({created.id})"

    with database_url(load_settings()) as url:
        upgrade_and_say(url)
        try:
            click.echo(in_transaction(url, create))
        except DomainError as exc:
            raise click.ClickException(f"{exc.detail} [{exc.code}]") from exc


@click.group("import")
def import_group() -> None:
    """Import soums, khoroos and facilities from CSV files."""


def _run_import(kind: str, path: Path, skip_bad_rows: bool) -> None:
    from backend.areas.importer import import_areas
    from backend.csvfiles import CsvFormatError, ImportReport
    from backend.facilities.importer import import_facilities

    async def run(db: AsyncSession) -> ImportReport:
        if kind == "areas":
            return await import_areas(db, path, skip_bad_rows=skip_bad_rows)
        return await import_facilities(db, path, skip_bad_rows=skip_bad_rows)

    with database_url(load_settings()) as url:
        upgrade_and_say(url)
        try:
            report = in_transaction(url, run)
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


@click.group()
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


COMMANDS = [seed_command, user, import_group, keys]
