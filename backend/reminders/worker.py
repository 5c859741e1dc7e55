"""The reminders worker: `scorecard worker`, and a thread of `scorecard serve` unless
`--no-worker`. Every few seconds it sends what is due; every few minutes it scans for action
items overdue or due for review; it gives up messages left in doubt by a crash. It survives a
database or mail server that is away for a while and tries again."""

from __future__ import annotations

import asyncio
import threading
import time

import structlog

from backend.database.session import open_database
from backend.reminders import outbox, service
from backend.reminders.mail import Mailer, MailUnavailable
from backend.settings import Settings

log = structlog.get_logger("backend.reminders")

POLL_SECONDS = 5.0
SCAN_SECONDS = 600.0  # items become overdue at the programme's midnight; a scan is cheap
MAIL_RETRY_SECONDS = (5.0, 300.0)  # an unreachable server: first and longest wait


async def run(settings: Settings, *, stop: threading.Event, once: bool = False) -> None:
    """Work until `stop` is set (or one round, with `once`)."""
    assert settings.database_url is not None
    database = open_database(settings.database_url)
    mailer = Mailer(settings.smtp) if settings.smtp.enabled else None
    if mailer is None:
        log.warning("mail is off (no SCORECARD_SMTP_HOST): reminders are written and stay queued")
    else:
        log.info("reminders worker started", smtp_host=settings.smtp.host, port=settings.smtp.port)
    next_scan = 0.0
    mail_wait = MAIL_RETRY_SECONDS[0]
    mail_next = 0.0
    try:
        while not stop.is_set():
            now = time.monotonic()
            if now >= next_scan:
                try:
                    async with database.sessionmaker() as db, db.begin():
                        written = await service.scan(db, today=settings.today())
                    if written:
                        log.info("reminders queued", count=written)
                    next_scan = now + SCAN_SECONDS
                except Exception:
                    log.exception("reminder scan failed; trying again")
            try:
                async with database.sessionmaker() as db, db.begin():
                    await outbox.give_up_in_doubt(db)
                if mailer is not None and now >= mail_next:
                    tally = await outbox.send_due(database.sessionmaker, mailer)
                    if tally.sent or tally.retrying or tally.given_up:
                        log.info(
                            "reminders sent",
                            sent=tally.sent,
                            retrying=tally.retrying,
                            given_up=tally.given_up,
                        )
                    mail_wait = MAIL_RETRY_SECONDS[0]
            except MailUnavailable as error:
                log.warning("mail server unavailable", error=str(error), retry_in=mail_wait)
                mail_next = time.monotonic() + mail_wait
                mail_wait = min(mail_wait * 2, MAIL_RETRY_SECONDS[1])
            except Exception:
                log.exception("sending reminders failed; trying again")
            if once:
                break
            await _sleep(stop, POLL_SECONDS)
    finally:
        if mailer is not None:
            await mailer.close()
        await database.dispose()


async def _sleep(stop: threading.Event, seconds: float) -> None:
    """Wait `seconds`, or less when told to stop (a signal handler or `serve` sets `stop`)."""
    await asyncio.to_thread(stop.wait, seconds)


def in_thread(settings: Settings) -> tuple[threading.Thread, threading.Event]:
    """The worker on a thread of its own with its own event loop (what `serve` runs)."""
    stop = threading.Event()
    thread = threading.Thread(
        target=lambda: asyncio.run(run(settings, stop=stop)), name="reminders", daemon=True
    )
    thread.start()
    return thread, stop
