"""`scorecard serve` runs the reminders worker unless --no-worker; `scorecard worker` without a
mail server queues reminders and leaves them queued."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from backend.action_plans.models import ActionItem
from backend.auth.models import Role
from backend.cycles.models import Cycle
from backend.database.session import open_database
from backend.facilities.models import Facility
from backend.reminders import service as reminders
from backend.reminders.models import OutboxMessage
from backend.scorecards.models import TemplateVersion
from tests.support.identity import make_user

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCORECARD_")}
    return env | {"DATABASE_URL": url, "SCORECARD_DATA_DIR": str(data_dir)} | extra


async def _one_reminder(url: str) -> str:
    database = open_database(url)
    try:
        async with database.sessionmaker() as db:
            person = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
            person.email = "coordinator@example.mn"
            await reminders.write(
                db,
                [
                    reminders.Reminder(
                        key=f"test:{uuid.uuid4()}",
                        user_id=person.id,
                        kind="overdue",
                        subject="Overdue action",
                        body="Repair the toilets before winter",
                    )
                ],
            )
            await db.commit()
            return person.email
    finally:
        await database.dispose()


async def _overdue_item(url: str) -> None:
    """A coordinator with an address and an item of theirs overdue since yesterday."""
    database = open_database(url)
    try:
        async with database.sessionmaker() as db:
            person = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
            person.email = "coordinator@example.mn"
            facility = Facility(
                type="school", name_mn="Сургууль", name_en="School", area_code="MN-046"
            )
            db.add(facility)
            await db.flush()
            cycle = Cycle(
                facility_id=facility.id,
                template_version_id=await db.scalar(select(TemplateVersion.id).limit(1)),
                label="2026 autumn",
                phase="follow_up",
                opened_by=person.id,
            )
            db.add(cycle)
            await db.flush()
            db.add(
                ActionItem(
                    id=uuid.uuid4(),
                    cycle_id=cycle.id,
                    facility_id=facility.id,
                    created_by=person.id,
                    issue="Toilets",
                    action="Repair the toilets",
                    due_on=date.today() - timedelta(days=3),
                )
            )
            await db.commit()
    finally:
        await database.dispose()


async def _outbox(url: str) -> list[OutboxMessage]:
    database = open_database(url)
    try:
        async with database.sessionmaker() as db:
            return list(await db.scalars(select(OutboxMessage)))
    finally:
        await database.dispose()


def _serve(
    url: str, data_dir: Path, port: int, smtp_port: int, *flags: str
) -> subprocess.Popen[bytes]:
    env = _env(
        url,
        data_dir,
        SCORECARD_PORT=str(port),
        SCORECARD_SMTP_HOST="127.0.0.1",
        SCORECARD_SMTP_PORT=str(smtp_port),
        SCORECARD_SMTP_STARTTLS="false",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "serve", "--no-demo", *flags],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _until(condition, process: subprocess.Popen[bytes], seconds: float = 90) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"exited with {process.returncode}:\n{output}")
        try:
            if condition():
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    pytest.fail("timed out")


def _stop(process: subprocess.Popen[bytes]) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=60)
    assert process.returncode == 0, output.decode()
    return output.decode()


@pytest.mark.slow
def test_serve_runs_the_worker_unless_told_not_to(
    committed_database_url: str,
    mailbox,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    url = committed_database_url
    address = asyncio.run(_one_reminder(url))
    port = _free_port()

    def ready() -> bool:
        return httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2).status_code == 200

    quiet = _serve(url, tmp_path, port, mailbox.port, "--no-worker")
    try:
        _until(ready, quiet)
        time.sleep(2)
    finally:
        _stop(quiet)
    assert mailbox.received == []

    working = _serve(url, tmp_path, port, mailbox.port)
    try:
        _until(ready, working)
        _until(lambda: len(mailbox.received) == 1, working)
    finally:
        _stop(working)
    assert [rcpt for rcpt, _ in mailbox.received] == [address]
    (row,) = asyncio.run(_outbox(url))
    assert row.sent_at is not None


@pytest.mark.slow
def test_worker_without_a_mail_server_queues_and_keeps_reminders(
    committed_database_url: str, tmp_path: Path
) -> None:
    url = committed_database_url
    asyncio.run(_overdue_item(url))
    done = subprocess.run(
        [sys.executable, "-m", "backend.cli", "worker", "--once"],
        cwd=ROOT,
        env=_env(url, tmp_path),
        capture_output=True,
        timeout=120,
        check=False,
    )
    output = (done.stdout + done.stderr).decode()
    assert done.returncode == 0, output
    assert "mail is off" in output
    (row,) = asyncio.run(_outbox(url))
    assert row.kind == "overdue"
    assert (row.attempts, row.sent_at, row.given_up_at) == (0, None, None)
