"""The demo's scores are stored as a tablet's push stores them: same rules, hash and history."""

from datetime import date

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.auth.models import Role, User
from backend.database.session import Database
from backend.scorecards import service as templates
from backend.scorecards.models import TemplateVersion
from backend.seed import demo_rounds
from backend.submissions.models import Submission
from backend.sync.records import canonical
from tests.support.field import Programme, Tablet, programme

pytestmark = pytest.mark.asyncio


async def _demo_round(field: Programme) -> tuple[User, Submission]:
    """A demo round still in community scoring at the programme's school, and one of the
    facilitator's submissions in it."""
    people = {role.value: await field.user(role) for role in Role if role is not Role.VIEWER}
    async with field.database.sessionmaker() as db, db.begin():
        version = await db.get_one(TemplateVersion, field.template_version_id)
        cycle = await demo_rounds.seed_round(
            db,
            facility_id=field.facility_id,
            version_id=version.id,
            document=templates.document_of(version),
            label=demo_rounds.RoundLabel("Демо үе", "demo round"),
            phase="community_scoring",
            groups=["parents"],
            level=0.5,
            held_on=date(2026, 10, 25),
            previous_cycle_id=None,
            people={name: user.id for name, user in people.items()},
        )
        stored = await db.scalar(
            select(Submission).where(
                Submission.cycle_id == cycle.id, Submission.respondent == "community"
            )
        )
        assert stored is not None
    return people["facilitator"], stored


async def test_a_demo_submission_sent_again_from_its_tablet_is_stored_once(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    facilitator, stored = await _demo_round(await programme(committed_database))
    tablet = await Tablet(committed_client, facilitator).sign_in()
    again = {
        name: canonical(getattr(stored, name))
        for name in ("cycle_id", "respondent", "answers", "collected_at", "group")
    }

    result = await tablet.push(tablet.mutation("submission", "create", stored.id, again))

    assert result["results"][0]["status"] == "duplicate", result
    history = await committed_client.get(
        f"/sync/v1/history/submission/{stored.id}", headers=tablet.headers
    )
    assert history.status_code == 200, history.text
    assert [(v["version"], v["user_id"]) for v in history.json()] == [(1, str(facilitator.id))]


async def test_two_offline_edits_of_a_demo_submission_merge_from_its_first_version(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    facilitator, stored = await _demo_round(await programme(committed_database))
    first = await Tablet(committed_client, facilitator).sign_in()
    second = await Tablet(committed_client, facilitator).sign_in()
    moved = {"collected_at": "2026-10-16T09:00:00Z"}
    recounted = {"group": {"type": "parents", "participants": {"female": 9, "male": 6}}}

    one = await first.push(first.mutation("submission", "update", stored.id, moved, base_version=1))
    two = await second.push(
        second.mutation("submission", "update", stored.id, recounted, base_version=1)
    )

    assert one["results"][0]["status"] == "applied", one
    assert two["results"][0]["status"] == "merged", two
    async with committed_database.sessionmaker() as db:
        merged = await db.get_one(Submission, stored.id)
        assert canonical(merged.collected_at) == moved["collected_at"]
        assert merged.group is not None
        assert merged.group["participants"] == {"female": 9, "male": 6}
