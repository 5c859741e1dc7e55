"""A local SMTP server for the reminders tests (aiosmtpd, on a thread of its own): it keeps
what it receives, can answer with an error code, and can stall at RCPT or after taking a
message so a test can kill the sender at that exact point."""

from __future__ import annotations

import asyncio
import socket
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any, cast

import pytest
import pytest_asyncio
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem
from backend.auth.models import Role, User
from backend.cycles.models import Cycle
from backend.facilities.models import Facility
from backend.reminders.models import OutboxMessage
from backend.scorecards.models import Template, TemplateVersion
from tests.support.identity import make_user


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Mailbox:
    port: int
    received: list[tuple[str, EmailMessage]] = field(default_factory=list)
    # replies to give instead of accepting, in order (e.g. "451 4.3.0 try later")
    rcpt_replies: list[str] = field(default_factory=list)
    data_replies: list[str] = field(default_factory=list)
    # stall at the n-th RCPT from now (before anything is delivered), or after taking the
    # n-th message from now (delivered, the answer not yet given); `stalled` is set then
    stall_at_rcpt: int | None = None
    stall_after_data: int | None = None
    # seconds to take over each RCPT and each message (after keeping it): a slow server
    delay: float = 0.0
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def _stall(self) -> None:
        self.stalled.set()
        await asyncio.to_thread(self.release.wait)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        await asyncio.sleep(self.delay)
        if self.stall_at_rcpt is not None:
            self.stall_at_rcpt -= 1
            if self.stall_at_rcpt == 0:
                self.stall_at_rcpt = None
                await self._stall()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        message = cast(EmailMessage, message_from_bytes(envelope.content, policy=default))
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, message))
        await asyncio.sleep(self.delay)
        if self.stall_after_data is not None:
            self.stall_after_data -= 1
            if self.stall_after_data == 0:
                self.stall_after_data = None
                await self._stall()
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        with self.lock:
            return [str(message["Message-ID"]) for _, message in self.received]

    def bodies(self) -> list[str]:
        with self.lock:
            return [
                str(message["Subject"]) + "\n" + cast(Any, message.get_body()).get_content()
                for _, message in self.received
            ]


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A mail server on a free port of 127.0.0.1 (`mailbox.port`)."""
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        box.release.set()
        controller.stop()


@dataclass
class Place:
    """A school in Uvs with an open round, and people to tell, in a test's session."""

    db: AsyncSession
    facility: Facility
    cycle: Cycle

    async def person(
        self,
        role: Role,
        *,
        language: str = "mn",
        email: str | None = "auto",
        reminders: bool = True,
        active: bool = True,
        areas: list[str] | None = None,
    ) -> User:
        scope: dict[str, Any] = (
            {"facilities": [self.facility.id]}
            if role is Role.PROVIDER
            else {"areas": areas or ["MN-046"]}
        )
        user = await make_user(self.db, role, **scope)
        user.email = f"{user.username}@example.mn" if email == "auto" else email
        user.language = language
        user.reminders = reminders
        user.active = active
        await self.db.commit()
        return user

    async def item(self, **columns: Any) -> ActionItem:
        values: dict[str, Any] = {
            "issue": "Girls' toilets do not work",
            "action": "Repair the toilets before winter",
            "responsible": "School director",
            "level": "facility",
        } | columns
        item = ActionItem(
            id=uuid.uuid4(),
            cycle_id=self.cycle.id,
            facility_id=self.facility.id,
            created_by=self.cycle.opened_by,
            **values,
        )
        self.db.add(item)
        await self.db.commit()
        return item

    async def messages(self) -> list[OutboxMessage]:
        """Every message in the outbox (the test's transaction starts with none)."""
        return list(await self.db.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


@pytest_asyncio.fixture(loop_scope="session")
async def place(db: AsyncSession) -> Place:
    opener = await make_user(db, Role.COORDINATOR, areas=["MN-1"])  # tells nobody in Uvs
    opener.reminders = False
    facility = Facility(
        type="school",
        name_mn="Улаангом 3-р сургууль",
        name_en="Ulaangom School 3",
        area_code="MN-046",
    )
    db.add(facility)
    await db.flush()
    version_id = await db.scalar(
        select(TemplateVersion.id)
        .join(Template, Template.id == TemplateVersion.template_id)
        .where(Template.key == "parent_engagement", TemplateVersion.status == "published")
    )
    cycle = Cycle(
        facility_id=facility.id,
        template_version_id=version_id,
        label="2026 autumn",
        phase="follow_up",
        opened_by=opener.id,
    )
    db.add(cycle)
    await db.commit()
    return Place(db, facility, cycle)
