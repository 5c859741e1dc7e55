"""Sending the outbox: each message at most once, retried while the server says "later".

SMTP has no idempotency key, so "exactly once" cannot be promised across a crash; this is how
close it gets, one message at a time:

1. In a transaction, take one due message `FOR UPDATE SKIP LOCKED` (two workers never take
   the same one) and give the server its envelope (MAIL FROM, RCPT TO). Nothing is delivered
   yet: a crash here rolls the transaction back, unlocks the message and it is sent later.
2. Mark it `sending_since = now()` and commit. From here it may reach its reader.
3. Send the message (DATA); then record `sent_at` in a second transaction.

A crash between 2 and 3 leaves a message that may or may not have arrived: it is **in doubt**
and is never sent again by itself. Once it has been `sending` longer than any send can take
(IN_DOUBT_AFTER), the worker marks it given up with the reason and logs a warning, so an
operator can look. The window is one DATA exchange and one commit. A duplicate is what we
avoid: a reminder nobody got is one missed nudge; the same reminder twice teaches people to
ignore them. The Message-ID is the same for every build of a message (mail.message_id).

Failures with an answer from the server are safe to retry: a 4xx reply waits and tries again
(1 minute, doubling, at most 6 hours apart) until MAX_ATTEMPTS, a 5xx reply gives up at once.
A mail server that cannot be reached uses no attempt: the message stays due and the worker
tries again on its next round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import structlog
from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.auth.models import User
from backend.reminders.mail import InDoubt, Mailer, Refused, build
from backend.reminders.models import OutboxMessage

log = structlog.get_logger("backend.reminders")

MAX_ATTEMPTS = 10  # with the waits below, about 8.5 hours of a server answering "later"
FIRST_RETRY = timedelta(minutes=1)
LONGEST_WAIT = timedelta(hours=6)
# longer than a send can take (mail.TIMEOUT_SECONDS per command, then a commit)
IN_DOUBT_AFTER = timedelta(minutes=10)
IN_DOUBT = (
    "in doubt: the worker stopped while handing the message to the mail server; "
    "not sent again, to avoid a duplicate"
)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th refused attempt."""
    wait: timedelta = FIRST_RETRY * (2 ** max(attempts - 1, 0))
    return min(wait, LONGEST_WAIT)


@dataclass
class Tally:
    sent: int = 0
    retrying: int = 0
    given_up: int = 0


def _due() -> ColumnElement[bool]:
    return and_(
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.given_up_at.is_(None),
        OutboxMessage.sending_since.is_(None),
        OutboxMessage.send_after <= func.now(),
    )


def _why_not(user: User) -> str | None:
    """A reason not to send to this user now (they may have changed since it was written)."""
    if not user.active:
        return "not sent: the account is inactive"
    if not user.email:
        return "not sent: the account has no email address"
    if not user.reminders:
        return "not sent: the user turned reminders off"
    return None


def _after_refusal(attempts: int, error: Refused) -> dict[str, object]:
    """The columns to set after the server refused attempt number `attempts`."""
    values: dict[str, object] = {"sending_since": None, "last_error": str(error)[:1000]}
    if error.permanent or attempts >= MAX_ATTEMPTS:
        values["given_up_at"] = func.now()
    else:
        values["send_after"] = func.now() + retry_delay(attempts)
    return values


def _outcome(values: dict[str, object]) -> str:
    return "given_up" if "given_up_at" in values else "retrying"


async def send_one(sessionmaker: async_sessionmaker[AsyncSession], mailer: Mailer) -> str | None:
    """Send the next due message; its outcome (`sent`, `retrying`, `given_up`), or None when
    nothing is due. Raises mail.MailUnavailable, with the message untouched, when the server
    cannot be reached."""
    async with sessionmaker() as db:
        async with db.begin():
            message = await db.scalar(
                select(OutboxMessage)
                .where(_due())
                .order_by(OutboxMessage.send_after, OutboxMessage.id)
                .limit(1)
                .with_for_update(skip_locked=True)
            )
            if message is None:
                return None
            user = await db.get_one(User, message.user_id)
            reason = _why_not(user)
            if reason is not None:
                message.given_up_at = func.now()
                message.last_error = reason
                return "given_up"
            assert user.email is not None
            wire = build(
                key=message.key,
                sender=mailer.sender,
                to=user.email,
                subject=message.subject,
                body=message.body,
            )
            message.attempts += 1
            try:
                await mailer.envelope(user.email)
            except Refused as error:
                refused = _after_refusal(message.attempts, error)
                for column, value in refused.items():
                    setattr(message, column, value)
                return _outcome(refused)
            message.sending_since = func.now()
            message_id, attempts = message.id, message.attempts
        # committed: from here on the message may reach its reader
        values: dict[str, object]
        try:
            await mailer.deliver(wire)
        except Refused as error:
            values = _after_refusal(attempts, error)
            outcome = _outcome(values)
        except InDoubt as error:
            log.warning("reminder in doubt", message_id=message_id, error=str(error))
            values = {"given_up_at": func.now(), "last_error": f"{IN_DOUBT} ({error})"[:1000]}
            outcome = "given_up"
        else:
            values = {"sent_at": func.now()}
            outcome = "sent"
        async with db.begin():
            await db.execute(
                update(OutboxMessage).where(OutboxMessage.id == message_id).values(**values)
            )
        return outcome


async def send_due(sessionmaker: async_sessionmaker[AsyncSession], mailer: Mailer) -> Tally:
    """Send every message that is due now, one at a time."""
    tally = Tally()
    while (outcome := await send_one(sessionmaker, mailer)) is not None:
        setattr(tally, outcome, getattr(tally, outcome) + 1)
    return tally


async def give_up_in_doubt(
    db: AsyncSession, *, older_than: timedelta = IN_DOUBT_AFTER
) -> list[int]:
    """Mark messages left `sending` by a worker that died mid-send as given up (never resent);
    returns their ids."""
    ids = list(
        await db.scalars(
            update(OutboxMessage)
            .where(
                OutboxMessage.sending_since < func.now() - older_than,
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.given_up_at.is_(None),
            )
            .values(given_up_at=func.now(), last_error=IN_DOUBT)
            .returning(OutboxMessage.id)
        )
    )
    for message_id in ids:
        log.warning("reminder in doubt after a crash, not resent", message_id=message_id)
    return ids
