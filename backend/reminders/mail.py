"""Handing one message to the mail server over SMTP, in two steps the outbox can tell apart.

`envelope` (MAIL FROM, RCPT TO) delivers nothing: a crash or an error there leaves the message
as if it had never been tried. `deliver` (DATA) is where the server takes the message: an
error reply there means it did not, but a connection lost or a reply that never came means
nobody knows, and the outbox treats such a message as in doubt (outbox.py).
"""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate, parseaddr

import aiosmtplib

from backend.settings import Smtp

TIMEOUT_SECONDS = 60.0  # per SMTP command; it bounds how long a message can stay "sending"


class MailUnavailable(Exception):
    """The mail server could not be reached or dropped us before the message: nothing sent."""


class Refused(Exception):
    """The server answered with an error code: it did not take the message."""

    def __init__(self, code: int, reply: str) -> None:
        super().__init__(f"{code} {reply}")
        self.code = code

    @property
    def permanent(self) -> bool:
        return self.code >= 500


class InDoubt(Exception):
    """The message went out but the server's answer did not come back: it may have arrived."""


def message_id(key: str, sender: str) -> str:
    """The same Message-ID whenever the same reminder is built, for receivers that dedupe."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def build(*, key: str, sender: str, to: str, subject: str, body: str) -> bytes:
    """The message as it goes over the wire: plain text, UTF-8, marked as automatic."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = message_id(key, sender)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies, please
    message.set_content(body, cte="quoted-printable")
    return message.as_bytes(policy=SMTP_POLICY)


class Mailer:
    """One SMTP connection, opened on first use and opened again after a failure."""

    def __init__(self, smtp: Smtp) -> None:
        self._smtp = smtp
        self._client: aiosmtplib.SMTP | None = None

    @property
    def sender(self) -> str:
        return self._smtp.from_address

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        client = aiosmtplib.SMTP(
            hostname=self._smtp.host,
            port=self._smtp.port,
            username=self._smtp.username,
            password=self._smtp.password,
            start_tls=self._smtp.starttls,
            timeout=TIMEOUT_SECONDS,
        )
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as error:
            # the password is never part of the error: aiosmtplib reports the server's reply
            raise MailUnavailable(f"cannot reach the mail server: {error}") from None
        self._client = client
        return client

    async def envelope(self, to: str) -> None:
        """MAIL FROM and RCPT TO for one message."""
        client = await self._connected()
        try:
            await client.mail(parseaddr(self.sender)[1])
            await client.rcpt(to)
        except aiosmtplib.SMTPResponseException as error:
            await self.reset()
            raise Refused(error.code, error.message) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            await self.close()
            raise MailUnavailable(f"mail server lost before the message: {error}") from None

    async def deliver(self, message: bytes) -> None:
        """DATA: the message itself. Raises Refused when the server says no, InDoubt when
        nobody can tell whether it took the message."""
        client = await self._connected()
        try:
            await client.data(message)
        except aiosmtplib.SMTPResponseException as error:
            await self.reset()
            raise Refused(error.code, error.message) from None
        except (aiosmtplib.SMTPException, OSError) as error:
            await self.close()
            raise InDoubt(f"no answer to the message: {error}") from None

    async def reset(self) -> None:
        """Drop a half-made envelope; a connection that cannot do even that is closed."""
        if self._client is None or not self._client.is_connected:
            return
        try:
            await self._client.rset()
        except (aiosmtplib.SMTPException, OSError):
            await self.close()

    async def close(self) -> None:
        client, self._client = self._client, None
        if client is None or not client.is_connected:
            return
        try:
            await client.quit()
        except (aiosmtplib.SMTPException, OSError):
            client.close()
