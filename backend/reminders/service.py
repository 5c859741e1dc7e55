"""Writing reminders into the outbox: who is told of what, once.

Messages are rows written in the transaction of the change they tell of (a phase change), or
by the worker's scan in a transaction of its own (overdue items and items due for review); the
worker sends them later (outbox.py). Each row's `key` names what it tells and to whom, so a
second write of the same reminder is a no-op (`ON CONFLICT DO NOTHING`) however often a scan
runs or two scans race.

Who is told:
- of an overdue item or one due for review: the coordinators whose areas contain the
  facility, and, when the item is the facility's own to carry out (level `facility`, or no
  level given), the facility's provider accounts as the responsible party;
- that the comparison is ready: the facility's provider accounts.
Inactive users, users without an email address and users who turned reminders off are
skipped; the worker checks again before sending.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Text, and_, any_, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem
from backend.action_plans.service import FINISHED, is_overdue, overdue_clause
from backend.areas.models import Area
from backend.auth.models import Role, User, UserArea, UserFacility
from backend.cycles.models import Cycle
from backend.cycles.phases import position
from backend.facilities.models import Facility
from backend.reminders.models import OutboxMessage
from backend.reminders.texts import Facts, Kind, render, scorecard_link

# The provider's comparison is ready when the round reaches the interface meeting: community
# scoring and the self-assessment are both behind it, and the meeting is where the two are
# compared (DOMAIN.md: the provider "sees the comparison before the meeting").
COMPARISON_PHASE = "interface_meeting"
# levels at which the facility itself is the responsible party (no level: the facility's own)
FACILITY_LEVELS = frozenset({"facility", None})
BATCH = 1000  # rows per INSERT: PostgreSQL takes at most 32,767 parameters in one statement


@dataclass(frozen=True, slots=True)
class Recipient:
    user_id: uuid.UUID
    name: str
    language: str
    role: str


@dataclass(frozen=True, slots=True)
class Reminder:
    """One message to one user, rendered in their language, under a key unique to both."""

    key: str
    user_id: uuid.UUID
    kind: Kind
    subject: str
    body: str


def _reachable() -> ColumnElement[bool]:
    """Users a reminder may go to: active, with an address, reminders on."""
    return and_(User.active.is_(True), User.email.is_not(None), User.email != "", User.reminders)


async def coordinators_of(
    db: AsyncSession, facility_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Recipient]]:
    """Reachable coordinators whose areas contain each facility (an aimag covers its soums)."""
    rows = await db.execute(
        select(Facility.id, User.id, User.display_name, User.language, User.role)
        .join(Area, Area.code == Facility.area_code)
        .join(UserArea, UserArea.area_code == any_(Area.lineage))
        .join(User, User.id == UserArea.user_id)
        .where(Facility.id.in_(list(facility_ids)), User.role == Role.COORDINATOR, _reachable())
        .distinct()
        .order_by(Facility.id, User.id)
    )
    return _by_facility(rows)


async def providers_of(
    db: AsyncSession, facility_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, list[Recipient]]:
    """Reachable provider accounts of each facility."""
    rows = await db.execute(
        select(UserFacility.facility_id, User.id, User.display_name, User.language, User.role)
        .join(User, User.id == UserFacility.user_id)
        .where(
            UserFacility.facility_id.in_(list(facility_ids)),
            User.role == Role.PROVIDER,
            _reachable(),
        )
        .order_by(UserFacility.facility_id, User.id)
    )
    return _by_facility(rows)


def _by_facility(
    rows: Iterable[tuple[uuid.UUID, uuid.UUID, str, str, str]],
) -> dict[uuid.UUID, list[Recipient]]:
    found: dict[uuid.UUID, list[Recipient]] = defaultdict(list)
    for facility_id, user_id, name, language, role in rows:
        found[facility_id].append(Recipient(user_id, name, language, role))
    return found


def facility_name(facility: Facility, language: str) -> str:
    return facility.name_en if language == "en" else facility.name_mn


async def write(db: AsyncSession, reminders: list[Reminder]) -> int:
    """Queue the reminders not queued before; returns how many are new."""
    new = 0
    for start in range(0, len(reminders), BATCH):
        written = await db.scalars(
            insert(OutboxMessage)
            .values(
                [
                    {
                        "key": r.key,
                        "user_id": r.user_id,
                        "kind": r.kind,
                        "subject": r.subject,
                        "body": r.body,
                    }
                    for r in reminders[start : start + BATCH]
                ]
            )
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(OutboxMessage.id)
        )
        new += len(written.all())
    return new


def comparison_becomes_ready(before: str, after: str) -> bool:
    """A forward move that reaches the comparison's phase (and does not end the round)."""
    return after != "closed" and position(before) < position(COMPARISON_PHASE) <= position(after)


async def comparison_ready(db: AsyncSession, *, cycle: Cycle) -> int:
    """Tell the facility's providers that the round's comparison is ready; called in the
    transaction that moves the round, so the message exists exactly when the move does."""
    facility = await db.get_one(Facility, cycle.facility_id)
    recipients = (await providers_of(db, [facility.id])).get(facility.id, [])
    reminders = []
    for person in recipients:
        text = render(
            "comparison",
            person.language,
            Facts(
                name=person.name,
                facility=facility_name(facility, person.language),
                round=cycle.label_for(person.language),
                link=scorecard_link(cycle.id, person.language),
            ),
        )
        reminders.append(
            Reminder(
                key=f"comparison:{cycle.id}:to:{person.user_id}",
                user_id=person.user_id,
                kind="comparison",
                subject=text.subject,
                body=text.body,
            )
        )
    return await write(db, reminders)


def review_clause(today: date) -> ColumnElement[bool]:
    """Due for review, in SQL: its review date has come and it is neither done nor dropped."""
    return and_(ActionItem.review_on <= today, ActionItem.status.not_in(FINISHED))


def is_due_for_review(item: ActionItem, today: date) -> bool:
    """Due for review, for an item in hand: the same rule as review_clause."""
    return item.review_on is not None and item.review_on <= today and item.status not in FINISHED


async def scan(db: AsyncSession, *, today: date) -> int:
    """Queue reminders of items overdue or due for review on `today` (the programme's date)
    that were not queued before; returns how many are new. Items of closed rounds are left
    alone: nobody can record progress on them any more."""
    rows = (
        await db.execute(
            select(ActionItem, Cycle, Facility)
            .join(Cycle, Cycle.id == ActionItem.cycle_id)
            .join(Facility, Facility.id == Cycle.facility_id)
            .where(
                ActionItem.deleted_at.is_(None),
                Cycle.phase != "closed",
                overdue_clause(today) | review_clause(today),
            )
            .order_by(ActionItem.id)
        )
    ).all()
    if not rows:
        return 0
    facility_ids = {facility.id for _, _, facility in rows}
    coordinators = await coordinators_of(db, facility_ids)
    providers = await providers_of(db, facility_ids)
    candidates: list[tuple[str, Recipient, Kind, ActionItem, Cycle, Facility]] = []
    for item, cycle, facility in rows:
        people = list(coordinators.get(facility.id, []))
        if item.level in FACILITY_LEVELS:
            people += providers.get(facility.id, [])
        topics: list[tuple[Kind, str]] = []
        if is_overdue(item, today):
            topics.append(("overdue", f"overdue:{item.id}:{item.due_on}"))
        if is_due_for_review(item, today):
            topics.append(("review", f"review:{item.id}:{item.review_on}"))
        for kind, topic in topics:
            for person in people:
                key = f"{topic}:to:{person.user_id}"
                candidates.append((key, person, kind, item, cycle, facility))
    queued = set(
        await db.scalars(
            select(OutboxMessage.key).where(
                OutboxMessage.key == any_(literal([c[0] for c in candidates], ARRAY(Text)))
            )
        )
    )
    reminders = []
    for key, person, kind, item, cycle, facility in candidates:
        if key in queued:
            continue
        text = render(
            kind,
            person.language,
            Facts(
                name=person.name,
                facility=facility_name(facility, person.language),
                round=cycle.label_for(person.language),
                link=scorecard_link(item.cycle_id, person.language),
                action=item.action,
                responsible=item.responsible,
                due_on=item.due_on,
                review_on=item.review_on if kind == "review" else None,
            ),
        )
        reminders.append(
            Reminder(
                key=key,
                user_id=person.user_id,
                kind=kind,
                subject=text.subject,
                body=text.body,
            )
        )
    return await write(db, reminders)
