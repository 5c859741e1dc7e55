"""A coordinator's look at a whole submission: approved, has issues or rejected, each decision
kept with who and why; the team's tablets receive the latest with the submission, providers and
viewers never read a review or its note."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.auth.models import AuditEvent, Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio

NOTE = "Two pages of answers were skipped; ask the group again"


def _path(record_id: uuid.UUID) -> str:
    return f"/reviews/v1/submissions/{record_id}/decisions"


async def _decide(
    tablet: Tablet, record_id: uuid.UUID, state: str, version: int, note: str = ""
) -> Any:
    return await tablet.client.post(
        _path(record_id),
        json={"state": state, "version": version, "note": note},
        headers=tablet.headers,
    )


async def _collected(client: AsyncClient, field: Programme) -> tuple[Tablet, uuid.UUID]:
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    record_id = uuid.uuid4()
    pushed = await team.push(team.mutation("submission", "create", record_id, submission(field)))
    assert pushed["results"][0]["status"] == "applied"
    return team, record_id


def _pulled(changes: list[dict[str, Any]], record_id: uuid.UUID) -> dict[str, Any]:
    (last,) = [c for c in changes if c["id"] == str(record_id)][-1:]
    data: dict[str, Any] = last["data"]
    return data


async def test_approved_has_issues_rejected_are_kept_with_who_and_why(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    _, record_id = await _collected(committed_client, field)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()

    fresh = await committed_client.get(_path(record_id), headers=coordinator.headers)
    assert fresh.json() | {"decisions": []} == {
        "submission_id": str(record_id),
        "version": 1,
        "state": "unreviewed",
        "changed": False,
        "decisions": [],
    }
    approved = await _decide(coordinator, record_id, "approved", 1)
    assert approved.status_code == 200, approved.text
    assert approved.json()["state"] == "approved"
    # a decision that finds fault says why
    for state in ("has_issues", "rejected"):
        refused = await _decide(coordinator, record_id, state, 1, note="   ")
        assert refused.status_code == 400
        assert (refused.json()["code"], refused.json()["field"]) == ("review.note_required", "note")
    assert (await _decide(coordinator, record_id, "has_issues", 1, NOTE)).status_code == 200
    last = await _decide(coordinator, record_id, "rejected", 1, "The same group was entered twice")
    review = last.json()
    assert review["state"] == "rejected"
    assert [(d["state"], d["note"]) for d in review["decisions"]] == [
        ("approved", ""),
        ("has_issues", NOTE),
        ("rejected", "The same group was entered twice"),
    ]
    assert {d["decided_by"] for d in review["decisions"]} == {str(coordinator.user.id)}
    assert all(d["version"] == 1 for d in review["decisions"])
    async with committed_database.sessionmaker() as db:
        kinds = list(
            await db.scalars(
                select(AuditEvent.kind)
                .where(AuditEvent.actor_id == coordinator.user.id)
                .where(AuditEvent.kind.like("submission.%"))
                .order_by(AuditEvent.at, AuditEvent.id)
            )
        )
    assert kinds == ["submission.approved", "submission.has_issues", "submission.rejected"]


async def test_a_submission_edited_since_is_refused_then_reads_changed_since_approved(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team, record_id = await _collected(committed_client, field)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    assert (await _decide(coordinator, record_id, "approved", 1)).status_code == 200
    edited = await team.push(
        team.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"inclusion": {"value": 1, "reason": None, "suggestion": None}}},
            base_version=1,
        )
    )
    assert edited["results"][0]["status"] == "applied"
    review = (await committed_client.get(_path(record_id), headers=coordinator.headers)).json()
    assert (review["state"], review["changed"], review["version"]) == ("approved", True, 2)
    # a decision made on what was read before the edit is refused
    stale = await _decide(coordinator, record_id, "approved", 1)
    assert stale.status_code == 409
    assert (stale.json()["code"], stale.json()["field"]) == ("review.submission_changed", "version")
    again = await _decide(coordinator, record_id, "approved", 2)
    assert (again.json()["state"], again.json()["changed"]) == ("approved", False)


async def test_the_team_pulls_the_state_and_note_and_the_provider_never(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team, record_id = await _collected(committed_client, field)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    before = _pulled(await team.pull_all(), record_id)
    assert before["review"] is None
    assert (await _decide(coordinator, record_id, "has_issues", 1, NOTE)).status_code == 200
    # the decision reaches the tablet at its next pull, from the cursor it holds
    changes = await team.pull_all()
    review = _pulled(changes, record_id)["review"]
    assert {k: review[k] for k in ("state", "note", "version", "changed")} == {
        "state": "has_issues",
        "note": NOTE,
        "version": 1,
        "changed": False,
    }
    # the team corrects the scorecard: its tablet reads "changed since" the decision
    await team.push(
        team.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"inclusion": {"value": 2, "reason": None, "suggestion": None}}},
            base_version=1,
        )
    )
    review = _pulled(await team.pull_all(), record_id)["review"]
    assert (review["state"], review["changed"]) == ("has_issues", True)

    # the provider's own self-assessment, reviewed: the provider's tablet never reads it
    await field.cycle_phase("self_assessment")
    head = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    own = submission(field, respondent="provider", group=None)
    own["answers"] = {k: v for k, v in school_answers(3).items() if k != "informal_contributions"}
    own["answers"]["textbooks_per_pupil"] = {"value": {"entitled": 12, "actual": 9}}
    own_id = uuid.uuid4()
    assert (await head.push(head.mutation("submission", "create", own_id, own)))["results"][0][
        "status"
    ] == "applied"
    decided = await _decide(coordinator, own_id, "rejected", 1, "Filled in by the coordinator")
    assert decided.status_code == 200
    pulled = await head.pull_all()
    assert _pulled(pulled, own_id)["review"] is None
    assert "Filled in by the coordinator" not in str(pulled)
    assert NOTE not in str(pulled)
    # the provider may not ask for it either
    asked = await committed_client.get(_path(own_id), headers=head.headers)
    assert asked.status_code == 403


async def test_another_areas_coordinator_finds_no_such_submission(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    _, record_id = await _collected(committed_client, field)
    elsewhere = await Tablet(
        committed_client, await field.user(Role.COORDINATOR, areas=["MN-043"])
    ).sign_in()
    for answer in (
        await committed_client.get(_path(record_id), headers=elsewhere.headers),
        await _decide(elsewhere, record_id, "approved", 1),
    ):
        assert answer.status_code == 404
        assert answer.json()["code"] == "not_found"
