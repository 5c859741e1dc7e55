"""Who is told of what, in which language, once; and nothing any respondent said."""

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.cycles import service as cycles
from backend.cycles.models import Cycle
from backend.reminders import service as reminders
from backend.reminders.models import OutboxMessage
from backend.submissions.models import Submission

pytestmark = pytest.mark.asyncio

TODAY = date(2026, 12, 1)


async def test_overdue_item_tells_area_coordinators_and_providers_each_in_their_language(
    place,  # type: ignore[no-untyped-def]
) -> None:
    coordinator = await place.person(Role.COORDINATOR, language="en")
    aimag_wide = await place.person(Role.COORDINATOR, language="mn", areas=["MN-046"])
    provider = await place.person(Role.PROVIDER, language="mn")
    await place.person(Role.COORDINATOR, areas=["MN-043"])  # Khovd: not this school's
    await place.person(Role.FACILITATOR)  # not told of overdue items
    item = await place.item(due_on=TODAY - timedelta(days=1))

    assert await reminders.scan(place.db, today=TODAY) == 3
    by_user = {m.user_id: m for m in await place.messages()}
    assert set(by_user) == {coordinator.id, aimag_wide.id, provider.id}
    english = by_user[coordinator.id]
    assert english.kind == "overdue"
    assert english.key == f"overdue:{item.id}:{item.due_on}:to:{coordinator.id}"
    assert english.subject == "Overdue action at Ulaangom School 3"
    assert "Repair the toilets before winter" in english.body
    assert "Due on: 2026-11-30" in english.body
    assert f"/reports/v1/cycles/{place.cycle.id}/scorecard.html?lang=en" in english.body
    mongolian = by_user[provider.id]
    assert mongolian.subject == "Хугацаа хэтэрсэн арга хэмжээ: Улаангом 3-р сургууль"
    assert "Дуусах хугацаа: 2026-11-30" in mongolian.body
    assert "lang=mn" in mongolian.body

    # written once: the next scans (and a later day) find them queued
    assert await reminders.scan(place.db, today=TODAY) == 0
    assert await reminders.scan(place.db, today=TODAY + timedelta(days=3)) == 0
    # a new due date is a new reminder
    item.due_on = TODAY - timedelta(days=2)
    await place.db.commit()
    assert await reminders.scan(place.db, today=TODAY) == 3


async def test_the_round_is_named_in_the_readers_language_english_falling_back_to_mongolian(
    place,  # type: ignore[no-untyped-def]
) -> None:
    english = await place.person(Role.COORDINATOR, language="en")
    mongolian = await place.person(Role.PROVIDER, language="mn")
    place.cycle.label, place.cycle.label_en = "2026 оны намрын үе", "2026 autumn round"
    await place.db.commit()
    await place.item(due_on=TODAY - timedelta(days=1))

    await reminders.scan(place.db, today=TODAY)
    by_user = {m.user_id: m for m in await place.messages()}
    assert "Facility: Ulaangom School 3 (2026 autumn round)" in by_user[english.id].body
    assert "Улаангом 3-р сургууль (2026 оны намрын үе)" in by_user[mongolian.id].body

    # a round opened without an English label: English readers get the Mongolian one
    place.cycle.label_en = None
    await place.db.commit()
    await place.item(due_on=TODAY - timedelta(days=2))
    await reminders.scan(place.db, today=TODAY)
    latest = [m for m in await place.messages() if m.user_id == english.id][-1]
    assert "Facility: Ulaangom School 3 (2026 оны намрын үе)" in latest.body


async def test_opted_out_inactive_and_addressless_users_are_not_told(place) -> None:  # type: ignore[no-untyped-def]
    told = await place.person(Role.COORDINATOR)
    await place.person(Role.COORDINATOR, reminders=False)
    await place.person(Role.COORDINATOR, active=False)
    await place.person(Role.COORDINATOR, email=None)
    await place.person(Role.PROVIDER, reminders=False)
    await place.item(due_on=TODAY - timedelta(days=5))

    assert await reminders.scan(place.db, today=TODAY) == 1
    assert [m.user_id for m in await place.messages()] == [told.id]


async def test_items_above_the_facility_are_the_coordinators_alone(place) -> None:  # type: ignore[no-untyped-def]
    coordinator = await place.person(Role.COORDINATOR)
    await place.person(Role.PROVIDER)
    await place.item(due_on=TODAY - timedelta(days=1), level="aimag")

    await reminders.scan(place.db, today=TODAY)
    assert [m.user_id for m in await place.messages()] == [coordinator.id]


async def test_due_for_review_finished_deleted_and_closed_items(place) -> None:  # type: ignore[no-untyped-def]
    coordinator = await place.person(Role.COORDINATOR, language="en")
    review = await place.item(review_on=TODAY, due_on=TODAY + timedelta(days=30))
    await place.item(review_on=TODAY + timedelta(days=1))  # not yet
    await place.item(due_on=TODAY - timedelta(days=9), status="done")
    await place.item(review_on=TODAY, status="dropped")
    await place.item(due_on=TODAY - timedelta(days=9), deleted_at=func.now())
    await place.item(due_on=TODAY)  # due today is not overdue yet

    assert await reminders.scan(place.db, today=TODAY) == 1
    (message,) = await place.messages()
    assert message.key == f"review:{review.id}:{review.review_on}:to:{coordinator.id}"
    assert message.subject == "Action due for review at Ulaangom School 3"
    assert "Review on: 2026-12-01" in message.body

    place.cycle.phase = "closed"
    await place.db.commit()
    await place.item(due_on=TODAY - timedelta(days=9))
    assert await reminders.scan(place.db, today=TODAY) == 0


def _principal(user_id: uuid.UUID) -> Principal:
    return Principal(
        user_id=user_id,
        username="coordinator",
        role=Role.COORDINATOR,
        device_id=None,
        session_id=uuid.uuid4(),
        area_codes=("MN-046",),
        facility_ids=(),
    )


async def _comparisons(db: AsyncSession) -> list[OutboxMessage]:
    return list(await db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "comparison")))


async def test_comparison_ready_is_written_with_the_phase_change_and_only_with_it(place) -> None:  # type: ignore[no-untyped-def]
    coordinator = await place.person(Role.COORDINATOR)
    provider = await place.person(Role.PROVIDER, language="en")
    db = place.db
    place.cycle.phase = "self_assessment"
    place.cycle.label, place.cycle.label_en = "2026 оны намрын үе", "2026 autumn round"
    await db.commit()
    cycle_id, provider_id, principal = place.cycle.id, provider.id, _principal(coordinator.id)

    await cycles.advance(db, principal=principal, cycle_id=cycle_id, to="interface_meeting")
    (message,) = await _comparisons(db)  # in the move's own transaction, before its commit
    assert message.user_id == provider_id  # the provider; coordinators are not told
    assert message.key == f"comparison:{cycle_id}:to:{provider_id}"
    assert message.subject == "Your comparison is ready: Ulaangom School 3"
    assert "Facility: Ulaangom School 3 (2026 autumn round)" in message.body
    await db.rollback()  # the move fails after all: so does its message
    assert await _comparisons(db) == []
    phase = await db.scalar(select(Cycle.phase).where(Cycle.id == cycle_id))
    assert phase == "self_assessment"

    # skipping past the meeting also tells; moving on later does not tell again
    await cycles.advance(db, principal=principal, cycle_id=cycle_id, to="action_plan")
    await db.commit()
    await cycles.advance(db, principal=principal, cycle_id=cycle_id, to="follow_up")
    await db.commit()
    assert [m.user_id for m in await _comparisons(db)] == [provider_id]


async def test_earlier_phase_moves_and_closing_tell_nobody(place) -> None:  # type: ignore[no-untyped-def]
    coordinator = await place.person(Role.COORDINATOR)
    await place.person(Role.PROVIDER)
    place.cycle.phase = "community_scoring"
    await place.db.commit()
    await cycles.advance(
        place.db,
        principal=_principal(coordinator.id),
        cycle_id=place.cycle.id,
        to="self_assessment",
    )
    await cycles.advance(
        place.db, principal=_principal(coordinator.id), cycle_id=place.cycle.id, to="closed"
    )
    await place.db.commit()
    assert await _comparisons(place.db) == []


async def test_no_message_carries_what_a_small_group_said(place) -> None:  # type: ignore[no-untyped-def]
    coordinator = await place.person(Role.COORDINATOR, language="en")
    await place.person(Role.PROVIDER, language="mn")
    await place.person(Role.PROVIDER, language="en")
    secrets = {
        "group": "herder-mothers-of-bag-3",
        "reason": "REASON-the-director-asks-for-money",
        "suggestion": "SUGGESTION-publish-the-budget",
    }
    db = place.db
    db.add(
        Submission(
            id=uuid.uuid4(),
            cycle_id=place.cycle.id,
            template_version_id=place.cycle.template_version_id,
            respondent="community",
            group={"type": secrets["group"], "participants": {"female": 3}},
            answers={
                "informal_contributions": {
                    "value": True,
                    "reason": secrets["reason"],
                    "suggestion": secrets["suggestion"],
                },
                "teacher_attendance": {"value": 1, "reason": None, "suggestion": None},
            },
            collected_at=func.now(),
            content_hash="0" * 64,
            facility_id=place.facility.id,
            created_by=coordinator.id,
        )
    )
    place.cycle.phase = "self_assessment"
    await db.commit()
    await cycles.advance(
        db, principal=_principal(coordinator.id), cycle_id=place.cycle.id, to="interface_meeting"
    )
    await place.item(due_on=TODAY - timedelta(days=1), review_on=TODAY)
    await reminders.scan(db, today=TODAY)

    messages = await place.messages()
    assert {m.kind for m in messages} == {"comparison", "overdue", "review"}
    for message in messages:
        text = f"{message.subject}\n{message.body}".lower()
        for secret in secrets.values():
            assert secret.lower() not in text
        # no count of people
        assert "participant" not in text
        assert "оролцогч" not in text
