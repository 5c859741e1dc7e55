"""The outbox sent over SMTP to a local server: once, retried on "later", given up on "no",
never to someone who turned reminders off, never twice when in doubt."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from backend.auth.models import Role
from backend.database.session import Database
from backend.reminders import outbox
from backend.reminders import service as reminders
from backend.reminders.mail import Mailer, MailUnavailable, message_id
from backend.reminders.models import OutboxMessage
from backend.settings import Smtp

pytestmark = pytest.mark.asyncio

TODAY = date(2026, 12, 1)


def _mailer(port: int) -> Mailer:
    return Mailer(Smtp(host="127.0.0.1", port=port, starttls=False, from_address="mn@scorecard.mn"))


async def _queue_overdue(place, *people_languages: str):  # type: ignore[no-untyped-def]
    people = [await place.person(Role.COORDINATOR, language=lang) for lang in people_languages]
    await place.item(due_on=TODAY - timedelta(days=1))
    await reminders.scan(place.db, today=TODAY)
    return people


async def _rows(database: Database) -> list[OutboxMessage]:
    async with database.sessionmaker() as db:
        return list(await db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def _due_now(database: Database) -> None:
    """Time passes: every waiting message is due."""
    async with database.sessionmaker() as db, db.begin():
        await db.execute(update(OutboxMessage).values(send_after=func.now()))


async def test_each_message_goes_once_to_its_reader_in_their_language(
    place,  # type: ignore[no-untyped-def]
    database: Database,
    mailbox,  # type: ignore[no-untyped-def]
) -> None:
    english, mongolian = await _queue_overdue(place, "en", "mn")
    mailer = _mailer(mailbox.port)

    tally = await outbox.send_due(database.sessionmaker, mailer)
    assert (tally.sent, tally.retrying, tally.given_up) == (2, 0, 0)
    assert (await outbox.send_due(database.sessionmaker, mailer)).sent == 0
    await mailer.close()

    received = {rcpt: message for rcpt, message in mailbox.received}
    assert set(received) == {english.email, mongolian.email}
    rows = {row.user_id: row for row in await _rows(database)}
    en = received[english.email]
    assert en["Subject"] == "Overdue action at Ulaangom School 3"
    assert en["From"] == "mn@scorecard.mn"
    assert en["Auto-Submitted"] == "auto-generated"
    assert en["Message-ID"] == message_id(rows[english.id].key, "mn@scorecard.mn")
    assert "Repair the toilets before winter" in en.get_body().get_content()
    mn = received[mongolian.email]
    assert mn["Subject"] == "Хугацаа хэтэрсэн арга хэмжээ: Улаангом 3-р сургууль"
    assert "Хариуцагч: School director" in mn.get_body().get_content()
    for row in rows.values():
        assert row.sent_at is not None
        assert row.attempts == 1


async def test_a_server_saying_later_is_tried_again_with_backoff_until_it_takes_it(
    place,  # type: ignore[no-untyped-def]
    database: Database,
    mailbox,  # type: ignore[no-untyped-def]
) -> None:
    await _queue_overdue(place, "en")
    mailbox.rcpt_replies.append("451 4.3.0 Mailbox busy, try later")
    mailbox.data_replies.append("452 4.3.1 Insufficient storage")
    mailer = _mailer(mailbox.port)

    assert (await outbox.send_due(database.sessionmaker, mailer)).retrying == 1
    (row,) = await _rows(database)
    assert row.attempts == 1
    assert row.sending_since is None
    assert row.last_error is not None
    assert row.last_error.startswith("451")
    assert row.send_after - row.created_at >= timedelta(seconds=59)  # the first wait: a minute
    assert (await outbox.send_due(database.sessionmaker, mailer)).sent == 0  # not yet due

    await _due_now(database)
    assert (await outbox.send_due(database.sessionmaker, mailer)).retrying == 1  # DATA refused
    (row,) = await _rows(database)
    assert row.attempts == 2
    assert row.last_error is not None
    assert row.last_error.startswith("452")

    await _due_now(database)
    assert (await outbox.send_due(database.sessionmaker, mailer)).sent == 1
    await mailer.close()
    (row,) = await _rows(database)
    assert row.attempts == 3
    assert row.sent_at is not None
    assert len(mailbox.received) == 1


async def test_a_server_saying_no_or_too_many_laters_gives_up(
    place,  # type: ignore[no-untyped-def]
    database: Database,
    mailbox,  # type: ignore[no-untyped-def]
) -> None:
    await _queue_overdue(place, "en", "mn")
    async with database.sessionmaker() as db, db.begin():
        last = await db.scalar(select(func.max(OutboxMessage.id)))
        await db.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == last)
            .values(attempts=outbox.MAX_ATTEMPTS - 1)
        )
    mailbox.rcpt_replies += ["550 5.1.1 No such user", "451 4.3.0 Try later"]
    mailer = _mailer(mailbox.port)

    tally = await outbox.send_due(database.sessionmaker, mailer)
    assert tally.given_up == 2
    await _due_now(database)
    assert (await outbox.send_due(database.sessionmaker, mailer)).sent == 0
    await mailer.close()
    assert mailbox.received == []
    for row in await _rows(database):
        assert row.given_up_at is not None
    assert [r.last_error[:3] for r in await _rows(database) if r.last_error] == ["550", "451"]


async def test_retry_waits_double_and_span_about_eight_hours() -> None:
    waits = [outbox.retry_delay(n) for n in range(1, outbox.MAX_ATTEMPTS)]
    assert waits[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert sum(waits, timedelta()) == timedelta(minutes=511)
    assert outbox.retry_delay(30) == timedelta(hours=6)


async def test_someone_who_opts_out_after_the_message_was_written_does_not_get_it(
    place,  # type: ignore[no-untyped-def]
    database: Database,
    mailbox,  # type: ignore[no-untyped-def]
) -> None:
    (person,) = await _queue_overdue(place, "en")
    person.reminders = False
    await place.db.commit()

    tally = await outbox.send_due(database.sessionmaker, _mailer(mailbox.port))
    assert tally.given_up == 1
    assert mailbox.received == []
    (row,) = await _rows(database)
    assert row.last_error == "not sent: the user turned reminders off"


async def test_an_unreachable_server_uses_no_attempt(
    place,  # type: ignore[no-untyped-def]
    database: Database,
    mailbox,  # type: ignore[no-untyped-def]
) -> None:
    await _queue_overdue(place, "en")
    with pytest.raises(MailUnavailable):
        await outbox.send_due(database.sessionmaker, _mailer(mailbox.port + 1))
    (row,) = await _rows(database)
    assert (row.attempts, row.sending_since, row.sent_at, row.given_up_at) == (0, None, None, None)


async def test_a_message_in_doubt_is_never_sent_again(
    place,  # type: ignore[no-untyped-def]
    database: Database,
    mailbox,  # type: ignore[no-untyped-def]
) -> None:
    await _queue_overdue(place, "en")
    async with database.sessionmaker() as db, db.begin():  # a worker died while sending it
        await db.execute(
            update(OutboxMessage).values(
                sending_since=func.now() - timedelta(minutes=1), attempts=1
            )
        )
    assert (await outbox.send_due(database.sessionmaker, _mailer(mailbox.port))).sent == 0
    async with database.sessionmaker() as db, db.begin():
        assert await outbox.give_up_in_doubt(db) == []  # a send may still be under way
        (given_up,) = await outbox.give_up_in_doubt(db, older_than=timedelta(seconds=30))
    (row,) = await _rows(database)
    assert row.id == given_up
    assert row.last_error == outbox.IN_DOUBT
    await _due_now(database)
    assert (await outbox.send_due(database.sessionmaker, _mailer(mailbox.port))).sent == 0
    assert mailbox.received == []
