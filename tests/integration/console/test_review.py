"""The review screens as a coordinator uses them: a round's scorecards by review state, a
scorecard's answers in words with its decision form and history, reasons and photos passed or
hidden, raised indicators translated, a round published and its publication withdrawn with a
reason; another area's round is not there, a facilitator is refused, and outsiders never read
a review's note."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.cycles.models import Cycle, CycleIndicator
from backend.database.session import Database
from backend.reviews.models import PieceReview, SubmissionReview
from backend.reviews.pieces import digest
from tests.support.console import console_sign_in, form_token, post_form
from tests.support.field import Programme, Tablet, programme
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio(loop_scope="session")
HTML = {"Accept": "text/html"}
NOTE = "Two pages were skipped; ask the group again"
BRIBE = "the director asked each family for 20,000 MNT"


async def _coordinator(
    client: httpx.AsyncClient, field: Programme, *, areas: list[str] | None = None
) -> Any:
    user = await field.user(Role.COORDINATOR, **({"areas": areas} if areas else {}))
    assert (await console_sign_in(client, user)).status_code == 303
    english = await post_form(client, "/console/", "/console/language", {"language": "en"})
    assert english.status_code == 303
    return user


async def _scorecard(
    client: httpx.AsyncClient, field: Programme, reason: str | None = None
) -> tuple[Tablet, uuid.UUID]:
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    data = submission(field)
    if reason:
        data["answers"]["informal_contributions"] |= {"reason": reason}
    record_id = uuid.uuid4()
    pushed = await team.push(team.mutation("submission", "create", record_id, data))
    assert pushed["results"][0]["status"] == "applied"
    return team, record_id


async def _decisions(db: AsyncSession, record_id: uuid.UUID) -> list[SubmissionReview]:
    return list(
        await db.scalars(
            select(SubmissionReview)
            .where(SubmissionReview.submission_id == record_id)
            .order_by(SubmissionReview.id)
            .execution_options(populate_existing=True)
        )
    )


async def test_a_coordinator_approves_marks_issues_and_rejects_with_history_and_who(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    _, record_id = await _scorecard(client, field)
    coordinator = await _coordinator(client, field)

    rounds = await client.get("/console/review", headers=HTML)
    assert rounds.status_code == 200
    assert f"/console/review/rounds/{field.cycle_id}" in rounds.text
    card_path = f"/console/review/submissions/{record_id}"
    card = await client.get(card_path, headers=HTML)
    assert card.status_code == 200
    # the answers in words: the indicator's label, the score's point, the group's name
    assert "Are parents consulted on the school plan and budget?" in card.text
    assert "3 (1–5) — So-so" in card.text
    assert "Parents" in card.text
    assert "consulted_on_plan" not in card.text
    assert "Not reviewed" in card.text

    # finding fault says why: refused on the form, nothing stored
    refused = await post_form(
        client, card_path, card_path, {"state": "has_issues", "version": "1", "note": " "}
    )
    assert refused.status_code == 400
    assert "Write why the scorecard has issues or is rejected." in refused.text
    assert await _decisions(db, record_id) == []

    for state, note in (("approved", ""), ("has_issues", NOTE), ("rejected", "Entered twice")):
        done = await post_form(
            client, card_path, card_path, {"state": state, "version": "1", "note": note}
        )
        assert done.status_code == 303, done.text
    stored = await _decisions(db, record_id)
    assert [(d.state, d.note, d.decided_by) for d in stored] == [
        ("approved", "", coordinator.id),
        ("has_issues", NOTE, coordinator.id),
        ("rejected", "Entered twice", coordinator.id),
    ]
    page = (await client.get(card_path, headers=HTML)).text
    assert "Rejected" in page
    assert NOTE in page
    assert page.count(coordinator.display_name) >= 3  # who made each decision


async def test_a_scorecard_changed_since_approved_reads_so_and_is_decided_on_again(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    team, record_id = await _scorecard(client, field)
    await _coordinator(client, field)
    card_path = f"/console/review/submissions/{record_id}"
    approved = await post_form(client, card_path, card_path, {"state": "approved", "version": "1"})
    assert approved.status_code == 303
    await team.push(
        team.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"inclusion": {"value": 1, "reason": None, "suggestion": None}}},
            base_version=1,
        )
    )
    round_path = f"/console/review/rounds/{field.cycle_id}"
    changed = await client.get(f"{round_path}?state=changed", headers=HTML)
    assert "Changed since approved" in changed.text
    assert card_path in changed.text
    approved_only = await client.get(f"{round_path}?state=approved", headers=HTML)
    assert card_path not in approved_only.text
    # a form read before the edit is refused: the coordinator reads it again
    stale = await client.post(
        card_path,
        data={
            "state": "approved",
            "version": "1",
            "_csrf_token": await form_token(client, card_path),
        },
    )
    assert stale.status_code == 409
    assert "changed since you read it" in stale.text
    again = await post_form(client, card_path, card_path, {"state": "approved", "version": "2"})
    assert again.status_code == 303
    assert [d.submission_version for d in await _decisions(db, record_id)] == [1, 2]


async def test_reasons_are_passed_or_hidden_piece_by_piece(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    _, record_id = await _scorecard(client, field, reason=BRIBE)
    await _coordinator(client, field)
    round_path = f"/console/review/rounds/{field.cycle_id}"
    page = await client.get(round_path, headers=HTML)
    assert BRIBE in page.text
    assert "Were parents asked for informal “contributions” this school year?" in page.text
    piece = await db.scalar(select(PieceReview).where(PieceReview.record_id == record_id))
    assert piece is None
    fields = {
        "record_id": str(record_id),
        "piece": "informal_contributions:reason",
        "content_hash": digest(BRIBE),
    }
    unsaid = await post_form(
        client, round_path, f"{round_path}/pieces", fields | {"decision": "hide", "note": ""}
    )
    assert unsaid.status_code == 400
    assert "Write why the piece is hidden." in unsaid.text
    hidden = await post_form(
        client,
        round_path,
        f"{round_path}/pieces",
        fields | {"decision": "hide", "note": "Names a teacher"},
    )
    assert hidden.status_code == 303
    stored = await db.scalar(
        select(PieceReview)
        .where(PieceReview.record_id == record_id)
        .execution_options(populate_existing=True)
    )
    assert stored is not None
    assert (stored.state, stored.note) == ("hidden", "Names a teacher")
    after = await client.get(round_path, headers=HTML)
    assert BRIBE not in after.text  # nothing awaits review any more


async def test_a_raised_indicator_is_translated_and_given_its_direction(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    indicator_id = uuid.uuid4()
    raised = await team.push(
        team.mutation(
            "cycle_indicator",
            "create",
            indicator_id,
            {
                "cycle_id": str(field.cycle_id),
                "key": "cold_classrooms",
                "label": {"mn": "Анги танхим хүйтэн", "en": None},
                "kind": "scale",
                "raised_by": ["parents"],
            },
        )
    )
    assert raised["results"][0]["status"] == "applied"
    await _coordinator(client, field)
    round_path = f"/console/review/rounds/{field.cycle_id}"
    page = await client.get(round_path, headers=HTML)
    assert "Анги танхим хүйтэн" in page.text
    assert f"{round_path}/indicators/{indicator_id}" in page.text
    wrong = await post_form(
        client,
        round_path,
        f"{round_path}/indicators/{indicator_id}",
        {"label_en": "Cold classrooms", "better": "sideways"},
    )
    assert wrong.status_code == 400
    done = await post_form(
        client,
        round_path,
        f"{round_path}/indicators/{indicator_id}",
        {"label_en": "Classrooms are cold", "better": "lower"},
    )
    assert done.status_code == 303
    stored = await db.scalar(
        select(CycleIndicator)
        .where(CycleIndicator.id == indicator_id)
        .execution_options(populate_existing=True)
    )
    assert stored is not None
    assert (stored.label["en"], stored.better, stored.version) == (
        "Classrooms are cold",
        "lower",
        2,
    )
    after = await client.get(round_path, headers=HTML)
    assert f"{round_path}/indicators/{indicator_id}" not in after.text


async def test_a_round_is_published_and_withdrawn_with_a_reason(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    await _scorecard(client, field)
    viewer = await Tablet(client, await field.user(Role.VIEWER)).sign_in()
    await _coordinator(client, field)
    round_path = f"/console/review/rounds/{field.cycle_id}"
    cycle_api = f"/cycles/v1/{field.cycle_id}"
    assert (await client.get(cycle_api, headers=viewer.headers)).status_code == 404

    published = await post_form(client, round_path, f"{round_path}/publish", {})
    assert published.status_code == 303
    assert (await client.get(cycle_api, headers=viewer.headers)).status_code == 200

    unsaid = await post_form(client, round_path, f"{round_path}/withdraw", {"reason": "  "})
    assert unsaid.status_code == 400
    assert "Write why the publication is withdrawn." in unsaid.text
    assert (await client.get(cycle_api, headers=viewer.headers)).status_code == 200

    reason = "The figures of one group were entered twice"
    withdrawn = await post_form(client, round_path, f"{round_path}/withdraw", {"reason": reason})
    assert withdrawn.status_code == 303
    assert (await client.get(cycle_api, headers=viewer.headers)).status_code == 404
    scorecard = f"/reports/v1/cycles/{field.cycle_id}/scorecard"
    assert (await client.get(scorecard, headers=viewer.headers)).status_code == 404
    cycle = await db.scalar(
        select(Cycle).where(Cycle.id == field.cycle_id).execution_options(populate_existing=True)
    )
    assert cycle is not None
    assert cycle.published_at is None
    page = await client.get(round_path, headers=HTML)
    assert reason in page.text
    assert "Withdrawn" in page.text


async def test_another_areas_round_is_not_there_and_a_facilitator_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    field = await programme(database)
    _, record_id = await _scorecard(client, field)
    await _coordinator(client, field, areas=["MN-043"])
    round_path = f"/console/review/rounds/{field.cycle_id}"
    card_path = f"/console/review/submissions/{record_id}"
    token = await form_token(client, "/console/review")
    listed = await client.get("/console/review", headers=HTML)
    assert round_path not in listed.text
    for path in (round_path, card_path):
        assert (await client.get(path, headers=HTML)).status_code == 404
    for path, fields in (
        (card_path, {"state": "approved", "version": "1"}),
        (f"{round_path}/publish", {}),
        (f"{round_path}/withdraw", {"reason": "no"}),
    ):
        answer = await client.post(path, data=fields | {"_csrf_token": token})
        assert answer.status_code == 404, path

    facilitator = await field.user(Role.FACILITATOR)
    await console_sign_in(client, facilitator)
    for path in ("/console/review", round_path, card_path):
        assert (await client.get(path, headers=HTML)).status_code == 403


async def test_providers_and_viewers_never_read_a_review_or_its_note(
    client: httpx.AsyncClient, database: Database
) -> None:
    field = await programme(database)
    _, record_id = await _scorecard(client, field)
    await _coordinator(client, field)
    card_path = f"/console/review/submissions/{record_id}"
    await post_form(
        client, card_path, card_path, {"state": "has_issues", "version": "1", "note": NOTE}
    )
    round_path = f"/console/review/rounds/{field.cycle_id}"
    await post_form(client, round_path, f"{round_path}/publish", {})
    for role in (Role.PROVIDER, Role.VIEWER):
        outsider = await field.user(role)
        await console_sign_in(client, outsider)
        for path in ("/console/review", round_path, card_path):
            assert (await client.get(path, headers=HTML)).status_code == 403
        page = await client.get(f"/reports/v1/cycles/{field.cycle_id}/scorecard.html", headers=HTML)
        assert page.status_code == 200
        assert NOTE not in page.text
        api = await Tablet(client, outsider).sign_in()
        for path in (
            f"/reports/v1/cycles/{field.cycle_id}/scorecard",
            f"/reviews/v1/submissions/{record_id}/decisions",
        ):
            answer = await client.get(path, headers=api.headers)
            assert NOTE not in answer.text
