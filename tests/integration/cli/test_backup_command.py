"""`scorecard backup FILE` and `scorecard restore FILE`: a programme on one laptop backs up and
restores without knowing PostgreSQL, and gets back exactly what it had."""

from __future__ import annotations

import asyncio
import tarfile
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from backend.auth.models import User
from backend.cli import main
from backend.database.session import open_database
from backend.facilities.models import Facility
from backend.sync.models import SyncEpoch


async def _state(url: str) -> tuple[int, int, str]:
    database = open_database(url)
    try:
        async with database.sessionmaker() as db:
            users = await db.scalar(select(func.count()).select_from(User)) or 0
            facilities = await db.scalar(select(func.count()).select_from(Facility)) or 0
            return users, facilities, str(await db.scalar(select(SyncEpoch.epoch)))
    finally:
        await database.dispose()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_a_backup_restores_the_database_evidence_and_key(
    committed_database_url: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    env = {"DATABASE_URL": committed_database_url, "SCORECARD_DATA_DIR": str(data)}
    runner = CliRunner()
    seeded = runner.invoke(main, ["seed", "--demo"], env=env)
    assert seeded.exit_code == 0, seeded.output
    assert runner.invoke(main, ["keys", "rotate"], env=env).exit_code == 0
    users, facilities, epoch = asyncio.run(_state(committed_database_url))
    evidence, keys = _files(data / "attachments"), _files(data / "jwt")
    assert evidence
    assert keys

    archive = tmp_path / "backups" / "scorecard.tar.gz"
    made = runner.invoke(main, ["backup", str(archive)], env=env)
    assert made.exit_code == 0, made.output
    assert f"{len(evidence)} evidence file(s)" in made.output
    with tarfile.open(archive) as tar:
        assert {"manifest.json", "database.dump"} <= set(tar.getnames())

    # after the backup: a new account, lost evidence files, a lost key
    created = runner.invoke(
        main,
        [
            *("user", "create", "--username", "late_user", "--password", "late-password-1"),
            *("--role", "viewer", "--area", "MN-046"),
        ],
        env=env,
    )
    assert created.exit_code == 0, created.output
    for path in (data / "attachments").rglob("*"):
        if path.is_file():
            path.unlink()
    for path in (data / "jwt").rglob("*.pem"):
        path.unlink()

    refused = runner.invoke(main, ["restore", str(archive)], env=env, input="n\n")
    assert refused.exit_code != 0
    assert asyncio.run(_state(committed_database_url))[0] == users + 1

    restored = runner.invoke(main, ["restore", "--yes", str(archive)], env=env)
    assert restored.exit_code == 0, restored.output
    after_users, after_facilities, after_epoch = asyncio.run(_state(committed_database_url))
    assert (after_users, after_facilities) == (users, facilities)
    assert after_epoch != epoch  # a new sync epoch: every tablet re-bootstraps
    assert "new sync epoch" in restored.output
    assert _files(data / "attachments") == evidence
    assert _files(data / "jwt") == keys


def test_restore_refuses_a_file_that_is_not_a_backup(
    committed_database_url: str, tmp_path: Path
) -> None:
    before = asyncio.run(_state(committed_database_url))
    bogus = tmp_path / "holiday.tar.gz"
    bogus.write_bytes(b"not an archive")
    env = {"DATABASE_URL": committed_database_url, "SCORECARD_DATA_DIR": str(tmp_path)}
    result = CliRunner().invoke(main, ["restore", "--yes", str(bogus)], env=env)
    assert result.exit_code != 0
    assert "is not a scorecard backup" in result.output
    assert asyncio.run(_state(committed_database_url)) == before  # the database is untouched
