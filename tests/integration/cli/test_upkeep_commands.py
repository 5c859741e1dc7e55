"""`scorecard db after-restore` and `scorecard attachments prune` do their work and say so."""

import asyncio
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from backend.cli import main
from backend.database.session import open_database
from backend.sync.models import SyncEpoch


async def _epoch(url: str) -> str:
    database = open_database(url)
    try:
        async with database.sessionmaker() as db:
            return str(await db.scalar(select(SyncEpoch.epoch)))
    finally:
        await database.dispose()


def test_after_restore_starts_a_new_epoch(committed_database_url: str) -> None:
    before = asyncio.run(_epoch(committed_database_url))
    result = CliRunner().invoke(
        main, ["db", "after-restore"], env={"DATABASE_URL": committed_database_url}
    )
    after = asyncio.run(_epoch(committed_database_url))
    assert result.exit_code == 0, result.output
    assert after != before
    assert f"new sync epoch {after}" in result.output


def test_prune_reports_what_it_removed(committed_database_url: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["attachments", "prune", "--days", "7"],
        env={"DATABASE_URL": committed_database_url, "SCORECARD_DATA_DIR": str(tmp_path)},
    )
    assert result.exit_code == 0, result.output
    assert "removed 0 attachment(s) nothing has mentioned for 7 days" in result.output
