"""The README's restore procedure, end to end: pg_dump, more field work, pg_restore into a new
database, `scorecard db after-restore`. A tablet whose cursor comes from after the backup gets
`reset`, bootstraps again, and its unsent work still reaches the server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from backend.app import create_app
from backend.auth.models import Role
from backend.database.embedded import pg_binary
from backend.database.session import open_database
from backend.settings import Settings
from backend.simulate import checks
from backend.submissions.models import Submission
from backend.sync.restore import after_restore
from backend.tablet.client import SignInRequired, TabletClient
from tests.support import databases
from tests.support.field import programme
from tests.support.identity import PASSWORD
from tests.support.sync_data import submission


async def _run(*command: str) -> None:
    process = await asyncio.create_subprocess_exec(*command)
    assert await process.wait() == 0, command


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def restored_database_url(server_url: str) -> Iterator[str]:
    name = databases.new_name("scorecard_restored")
    url = databases.create_database(server_url, name)
    yield url
    databases.drop_database(server_url, name)


def test_a_cursor_from_before_the_restore_resets_and_unsent_work_survives(
    committed_database_url: str, restored_database_url: str, settings: Settings, tmp_path: Path
) -> None:
    asyncio.run(_play(committed_database_url, restored_database_url, settings, tmp_path))


async def _play(live_url: str, restored_url: str, settings: Settings, tmp_path: Path) -> None:
    backup = tmp_path / "scorecard.dump"
    live = open_database(live_url)
    try:
        field = await programme(live)
        user = await field.user(Role.FACILITATOR)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, database=live)),
            base_url="http://testserver",
        ) as http:
            tablet = TabletClient(http)
            await tablet.login(user.username, PASSWORD)
            before_backup = tablet.create("submission", submission(field, score=2))
            await tablet.sync()

            await _run(pg_binary("pg_dump"), "--format=custom", f"--file={backup}", _dsn(live_url))

            after_backup = tablet.create("submission", submission(field, score=4))
            await tablet.sync()  # acknowledged, then lost with the restore
            unsent = tablet.create("submission", submission(field, score=5))
    finally:
        await live.dispose()

    await _run(pg_binary("pg_restore"), "--no-owner", f"--dbname={_dsn(restored_url)}", str(backup))
    restored = open_database(restored_url)
    try:
        async with restored.sessionmaker() as db, db.begin():
            await after_restore(db)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, database=restored)),
            base_url="http://testserver",
        ) as http:
            tablet.http = http
            await tablet.pull()
            assert tablet.resets == 1, "a cursor from before the restore was served as is"
            assert ("submission", after_backup) not in tablet.store.server
            # what the server lost, the tablet sends again from its journal, after its unsent work
            assert [m["id"] for m in tablet.outbox.pending] == [unsent, after_backup]

            report = await tablet.push()
            await tablet.pull()

        assert [r["status"] for r in report.results] == ["applied", "applied"]
        async with restored.sessionmaker() as db:
            stored = {str(i) for i in await db.scalars(select(Submission.id))}
            count = await db.scalar(select(func.count()).select_from(Submission))
        assert stored == {before_backup, after_backup, unsent}
        assert count == 3
        assert ("submission", unsent) in tablet.store.server
    finally:
        await restored.dispose()


def test_a_tablet_first_seen_after_the_backup_pushes_again_after_the_restore(
    committed_database_url: str, restored_database_url: str, settings: Settings, tmp_path: Path
) -> None:
    asyncio.run(_newcomer(committed_database_url, restored_database_url, settings, tmp_path))


async def _newcomer(live_url: str, restored_url: str, settings: Settings, tmp_path: Path) -> None:
    """The restored server never saw this tablet; its numbering continues where the tablet's
    is (no `sync.mutation_gap` it could never fill), and its unsent sheet is stored."""
    backup = tmp_path / "scorecard.dump"
    live = open_database(live_url)
    try:
        field = await programme(live)
        user = await field.user(Role.FACILITATOR)
        await _run(pg_binary("pg_dump"), "--format=custom", f"--file={backup}", _dsn(live_url))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, database=live)),
            base_url="http://testserver",
        ) as http:
            newcomer = TabletClient(http)
            await newcomer.login(user.username, PASSWORD)
            acknowledged = [
                newcomer.create("submission", submission(field, score=score)) for score in (3, 4)
            ]
            await newcomer.sync()  # acknowledged, then lost with the restore
            unsent = newcomer.create("submission", submission(field, score=5))
    finally:
        await live.dispose()

    await _run(pg_binary("pg_restore"), "--no-owner", f"--dbname={_dsn(restored_url)}", str(backup))
    restored = open_database(restored_url)
    try:
        async with restored.sessionmaker() as db, db.begin():
            await after_restore(db)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, database=restored)),
            base_url="http://testserver",
        ) as http:
            newcomer.http = http
            with pytest.raises(SignInRequired):  # its sign-in was lost with the restore too
                await newcomer.sync()
            await newcomer.login(user.username, PASSWORD)
            report = await newcomer.sync()
            assert [r["status"] for r in report.results] == ["applied"]
            # and what the server lost of its work, it sends again from its journal
            await newcomer.sync()
            assert newcomer.outbox.pending == []
        async with restored.sessionmaker() as db:
            stored = {str(i) for i in await db.scalars(select(Submission.id))}
        assert stored == {unsent, *acknowledged}
    finally:
        await restored.dispose()


def test_a_restore_rehearsed_tablets_old_and_new_lose_nothing_they_still_hold(
    committed_database_url: str, restored_database_url: str, settings: Settings, tmp_path: Path
) -> None:
    asyncio.run(_rehearsal(committed_database_url, restored_database_url, settings, tmp_path))


def _score(answers: dict[str, Any]) -> int:
    return int(answers["consulted_on_plan"]["value"])


async def _rehearsal(live_url: str, restored_url: str, settings: Settings, tmp_path: Path) -> None:
    """The server is backed up; an old tablet and a new one keep working (synced and unsent
    sheets, an edit of a sheet from before the backup); the server is restored. Every tablet
    then sends again what the server lost from its journal: every sheet typed is on the server
    once, the edit included, and every tablet holds what a fresh sign-in would."""
    backup = tmp_path / "scorecard.dump"
    live = open_database(live_url)
    try:
        field = await programme(live)
        old_user, new_user = await field.user(Role.FACILITATOR), await field.user(Role.FACILITATOR)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, database=live)),
            base_url="http://testserver",
        ) as http:
            old = TabletClient(http)
            await old.login(old_user.username, PASSWORD)
            early = old.create("submission", submission(field, score=1))
            await old.sync()

            await _run(pg_binary("pg_dump"), "--format=custom", f"--file={backup}", _dsn(live_url))

            new = TabletClient(http)
            await new.login(new_user.username, PASSWORD)
            acknowledged = [
                old.create("submission", submission(field, score=2)),
                new.create("submission", submission(field, score=3)),
            ]
            old.update("submission", early, {"answers": {"consulted_on_plan": {"value": 5}}})
            await old.sync()
            await new.sync()
            unsent = [
                old.create("submission", submission(field, score=4)),
                new.create("submission", submission(field, score=5)),
            ]
    finally:
        await live.dispose()

    await _run(pg_binary("pg_restore"), "--no-owner", f"--dbname={_dsn(restored_url)}", str(backup))
    restored = open_database(restored_url)
    try:
        async with restored.sessionmaker() as db, db.begin():
            await after_restore(db)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(settings, database=restored)),
            base_url="http://testserver",
        ) as http:
            for tablet, user in ((old, old_user), (new, new_user)):
                tablet.http = http
                try:
                    await tablet.sync()
                except SignInRequired:  # its sign-in was made after the backup
                    await tablet.login(user.username, PASSWORD)
                for _ in range(2):
                    await tablet.sync()
            for tablet, user in ((old, old_user), (new, new_user)):
                await tablet.sync()
                fresh = TabletClient(http)
                await fresh.login(user.username, PASSWORD)
                await fresh.pull()
                assert checks.diverged(tablet, fresh) == []
        async with restored.sessionmaker() as db:
            stored = {str(s.id): _score(s.answers) for s in await db.scalars(select(Submission))}
        typed = {early: 5} | dict(zip(acknowledged, (2, 3), strict=True))
        typed |= dict(zip(unsent, (4, 5), strict=True))
        assert stored == typed
    finally:
        await restored.dispose()
