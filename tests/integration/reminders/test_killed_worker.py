"""`scorecard worker` killed with SIGKILL at the two moments that matter, started again: every
message reaches its reader exactly once."""

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from backend.auth.models import Role
from backend.database.session import open_database
from backend.reminders import outbox
from backend.reminders import service as reminders
from backend.reminders.mail import message_id
from backend.reminders.models import OutboxMessage
from tests.support.identity import make_user

ROOT = Path(__file__).resolve().parents[3]
SENDER = "reminders@scorecard.mn"
MESSAGES = 8


async def _queue(url: str, count: int = MESSAGES) -> list[str]:
    """Reminders to two people; their keys."""
    database = open_database(url)
    try:
        async with database.sessionmaker() as db:
            people = [await make_user(db, Role.COORDINATOR, areas=["MN-046"]) for _ in range(2)]
            for person in people:
                person.email = f"{person.username}@example.mn"
            keys = [
                f"overdue:{uuid.uuid4()}:2026-11-30:to:{people[n % 2].id}" for n in range(count)
            ]
            await reminders.write(
                db,
                [
                    reminders.Reminder(
                        key=key,
                        user_id=people[n % 2].id,
                        kind="overdue",
                        subject=f"Overdue action {n}",
                        body="Repair the toilets before winter",
                    )
                    for n, key in enumerate(keys)
                ],
            )
            await db.commit()
            return keys
    finally:
        await database.dispose()


async def _rows(url: str) -> dict[str, OutboxMessage]:
    database = open_database(url)
    try:
        async with database.sessionmaker() as db:
            return {row.key: row for row in await db.scalars(select(OutboxMessage))}
    finally:
        await database.dispose()


async def _give_up_in_doubt(url: str) -> list[int]:
    database = open_database(url)
    try:
        async with database.sessionmaker() as db, db.begin():
            return await outbox.give_up_in_doubt(db, older_than=timedelta(0))
    finally:
        await database.dispose()


def _worker(url: str, port: int, data_dir: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCORECARD_")}
    env |= {
        "DATABASE_URL": url,
        "SCORECARD_DATA_DIR": str(data_dir),
        "SCORECARD_SMTP_HOST": "127.0.0.1",
        "SCORECARD_SMTP_PORT": str(port),
        "SCORECARD_SMTP_STARTTLS": "false",
        "SCORECARD_SMTP_FROM": SENDER,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait(condition: Callable[[], bool], process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while not condition():
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"the worker exited with {process.returncode} before {what}:\n{output}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"no {what} within a minute")
        time.sleep(0.05)


def _kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


@pytest.mark.slow
def test_the_outbox_sends_once_across_a_killed_worker(
    committed_database_url: str,
    mailbox,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    url = committed_database_url
    keys = asyncio.run(_queue(url))
    ids = {message_id(key, SENDER): key for key in keys}

    # 1. killed while the server has the envelope of the third message, not the message
    mailbox.stall_at_rcpt = 3
    first = _worker(url, mailbox.port, tmp_path)
    _wait(mailbox.stalled.is_set, first, "stall at RCPT")
    _kill(first)
    assert len(mailbox.received) == 2
    mailbox.stalled.clear()
    mailbox.release.set()  # the stalled session ends; nothing was delivered in it
    time.sleep(0.2)
    mailbox.release.clear()

    # 2. killed after the server took the sixth message, before it answered: in doubt
    mailbox.stall_after_data = 4
    second = _worker(url, mailbox.port, tmp_path)
    _wait(mailbox.stalled.is_set, second, "stall after DATA")
    _kill(second)
    in_doubt = ids[mailbox.message_ids()[-1]]
    assert len(mailbox.received) == 6
    mailbox.release.set()

    # 3. started again: it sends the rest and leaves the one in doubt alone
    third = _worker(url, mailbox.port, tmp_path)
    _wait(lambda: len(mailbox.received) >= MESSAGES, third, "every message")
    time.sleep(1)  # room for a duplicate, were one coming
    third.send_signal(signal.SIGTERM)
    output, _ = third.communicate(timeout=30)
    assert third.returncode == 0, output.decode()

    received = Counter(mailbox.message_ids())
    assert set(received) == set(ids)
    assert all(count == 1 for count in received.values()), received
    rows = asyncio.run(_rows(url))
    assert {key for key, row in rows.items() if row.sent_at is not None} == set(keys) - {in_doubt}
    doubtful = rows[in_doubt]
    assert doubtful.sending_since is not None
    assert doubtful.sent_at is None
    # an operator's view of it: given up as in doubt, never resent
    assert asyncio.run(_give_up_in_doubt(url)) == [doubtful.id]
    assert all(row.attempts == 1 for row in rows.values())


@pytest.mark.slow
def test_kills_at_random_moments_never_send_a_message_twice(
    committed_database_url: str,
    mailbox,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    """Whatever the moment of the kill: nothing arrives twice, and what has not arrived is
    either still to be sent or is one of the few left in doubt (at most one per kill)."""
    url = committed_database_url
    keys = asyncio.run(_queue(url, 30))
    ids = {message_id(key, SENDER): key for key in keys}
    mailbox.delay = 0.02  # a slow server: the kills land inside SMTP exchanges too
    kills = 4
    for _ in range(kills):
        before = len(mailbox.received)
        process = _worker(url, mailbox.port, tmp_path)
        _wait(lambda: len(mailbox.received) > before, process, "a message")  # noqa: B023
        time.sleep(random.uniform(0, 0.15))
        _kill(process)
    last = _worker(url, mailbox.port, tmp_path)
    rows: dict[str, OutboxMessage] = {}

    def settled() -> bool:
        rows.update(asyncio.run(_rows(url)))
        return all(r.sent_at is not None or r.sending_since is not None for r in rows.values())

    _wait(settled, last, "every message sent or in doubt")
    time.sleep(1)
    last.send_signal(signal.SIGTERM)
    last.communicate(timeout=30)

    received = Counter(ids[m] for m in mailbox.message_ids())
    assert max(received.values()) == 1, received
    rows = asyncio.run(_rows(url))
    in_doubt = {key for key, row in rows.items() if row.sent_at is None}
    assert len(in_doubt) <= kills
    assert set(received) | in_doubt == set(keys)
    for key in in_doubt:
        assert rows[key].sending_since is not None
