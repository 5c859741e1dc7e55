"""One-file backups for a programme that runs on one machine: the database, the evidence files
and the token signing key in one archive, made and restored with PostgreSQL's own tools (the
embedded server's copies of pg_dump and pg_restore)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import shutil
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from backend import __version__
from backend.database.embedded import pg_binary
from backend.settings import Settings

DATABASE = "database.dump"
ATTACHMENTS = "attachments"
KEYS = "keys"
MANIFEST = "manifest.json"


class BackupError(Exception):
    """The archive could not be made or restored; the message says why."""


@dataclasses.dataclass(frozen=True, slots=True)
class Contents:
    migration: str | None
    attachments: int
    keys: int
    made_at: str


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()}")


def _copy_keys(settings: Settings, into: Path) -> int:
    """The signing key and the retired keys that still verify, as files under `into`."""
    if settings.jwt_signing_key_file is None:
        if settings.jwt_key_dir.exists():
            shutil.copytree(settings.jwt_key_dir, into)
    else:
        into.mkdir()
        for path in (settings.jwt_signing_key_file, *settings.jwt_verify_key_files):
            if path.is_file():
                shutil.copy2(path, into / path.name)
    return _count_files(into)


def _count_files(folder: Path) -> int:
    return sum(1 for path in folder.rglob("*") if path.is_file()) if folder.exists() else 0


def _attachments_dir(settings: Settings) -> Path | None:
    """Evidence files kept in the data dir; a bucket keeps its own copies (versioning)."""
    return settings.data_dir / "attachments" if settings.attachment_store == "folder" else None


def make(settings: Settings, url: str, archive: Path) -> Contents:
    """Write the archive: a pg_dump of the database, the evidence files, the key files."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        _run(pg_binary("pg_dump"), "--format=custom", f"--file={folder / DATABASE}", _dsn(url))
        files = _attachments_dir(settings)
        if files is not None and files.exists():
            shutil.copytree(files, folder / ATTACHMENTS)
        contents = Contents(
            migration=asyncio.run(_revision(url)),
            attachments=_count_files(folder / ATTACHMENTS),
            keys=_copy_keys(settings, folder / KEYS),
            made_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        manifest = {"version": __version__, **dataclasses.asdict(contents)}
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
        archive.parent.mkdir(parents=True, exist_ok=True)
        partial = archive.with_name(archive.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            for name in (MANIFEST, DATABASE, KEYS, ATTACHMENTS):
                if (folder / name).exists():
                    tar.add(folder / name, arcname=name)
        partial.replace(archive)  # a half-written archive never carries the final name
    return contents


async def _revision(url: str) -> str | None:
    connection = await asyncpg.connect(_dsn(url))
    try:
        revision: str | None = await connection.fetchval("SELECT version_num FROM alembic_version")
        return revision
    finally:
        await connection.close()


async def _empty_schema(url: str) -> None:
    connection = await asyncpg.connect(_dsn(url))
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    finally:
        await connection.close()


def restore(settings: Settings, url: str, archive: Path) -> Contents:
    """Replace the database, the evidence files and the key files with the archive's. Keys
    go back to the data dir; where a key file is configured, they stay in the archive."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(folder, filter="data")
            manifest = json.loads((folder / MANIFEST).read_text())
        except (OSError, tarfile.TarError, ValueError, KeyError) as exc:
            raise BackupError(f"{archive} is not a scorecard backup: {exc}") from exc
        if not (folder / DATABASE).is_file():
            raise BackupError(f"{archive} holds no database dump")
        asyncio.run(_empty_schema(url))
        _run(pg_binary("pg_restore"), "--no-owner", f"--dbname={_dsn(url)}", str(folder / DATABASE))
        files = _attachments_dir(settings)
        if files is not None and (folder / ATTACHMENTS).exists():
            shutil.rmtree(files, ignore_errors=True)
            shutil.copytree(folder / ATTACHMENTS, files)
        if settings.jwt_signing_key_file is None and (folder / KEYS).exists():
            shutil.rmtree(settings.jwt_key_dir, ignore_errors=True)
            shutil.copytree(folder / KEYS, settings.jwt_key_dir)
        return Contents(
            migration=manifest.get("migration"),
            attachments=_count_files(folder / ATTACHMENTS),
            keys=_count_files(folder / KEYS),
            made_at=str(manifest.get("made_at", "")),
        )
