"""Conflicts settled from the console: two tablets change one score differently, and the screen
shows where both started, the server's and the tablet's value side by side in words (the
indicator's label, the score's point), who made each and when; one click settles it, with a
note, through the API's rules."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role, User
from backend.database.session import Database
from backend.submissions.models import Submission
from backend.sync.models import Conflict
from tests.support.console import console_sign_in, form_token, post_form
from tests.support.field import Programme, Tablet, programme
from tests.support.sync_data import action_item, submission

pytestmark = pytest.mark.asyncio(loop_scope="session")
HTML = {"Accept": "text/html"}
LABEL = "Are parents consulted on the school plan and budget?"
SCREEN = "/console/conflicts"


async def _score_conflict(
    client: httpx.AsyncClient, database: Database
) -> tuple[Programme, User, uuid.UUID, uuid.UUID]:
    """One facilitator's two tablets score one indicator differently, offline from version 1."""
    field = await programme(database)
    author = await field.user(Role.FACILITATOR)
    a = await Tablet(client, author).sign_in()
    b = await Tablet(client, author).sign_in()
    record_id = uuid.uuid4()
    await a.push(a.mutation("submission", "create", record_id, submission(field, score=3)))
    pushed: dict[str, Any] = {}
    for tablet, score in ((a, 4), (b, 2)):
        pushed = await tablet.push(
            tablet.mutation(
                "submission",
                "update",
                record_id,
                {"answers": {"consulted_on_plan": {"value": score, "reason": None}}},
                base_version=1,
            )
        )
    assert pushed["results"][0]["status"] == "conflict"
    (conflict_id,) = pushed["results"][0]["conflict_ids"]
    return field, author, record_id, uuid.UUID(conflict_id)


async def _signed_in_english(client: httpx.AsyncClient, user: User) -> None:
    assert (await console_sign_in(client, user)).status_code == 303
    await post_form(client, "/console/", "/console/language", {"language": "en"})


async def _stored(db: AsyncSession, model: Any, record_id: uuid.UUID) -> Any:
    return await db.scalar(
        select(model).where(model.id == record_id).execution_options(populate_existing=True)
    )


async def test_the_three_values_side_by_side_in_words_and_the_tablets_taken(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    _, author, record_id, conflict_id = await _score_conflict(client, database)
    await _signed_in_english(client, author)
    page = await client.get(SCREEN, headers=HTML)
    assert page.status_code == 200
    text = page.text
    assert LABEL in text
    assert "2026 autumn" in text  # the round, under its facility
    for words in ("3 (1–5) — So-so", "4 (1–5) — Good", "2 (1–5) — Bad"):
        assert words in text
    assert author.display_name in text  # who made each value
    assert "answers." not in text
    assert "consulted_on_plan" not in text

    settled = await post_form(
        client,
        SCREEN,
        f"{SCREEN}/{conflict_id}/settle",
        {"choice": "device", "note": "Asked the group again: they agreed on 2"},
    )
    assert settled.status_code == 303
    stored = await _stored(db, Submission, record_id)
    assert stored.answers["consulted_on_plan"]["value"] == 2
    conflict = await _stored(db, Conflict, conflict_id)
    assert (conflict.status, conflict.resolution, conflict.resolved_by) == (
        "resolved",
        "device",
        author.id,
    )
    assert conflict.resolution_note == "Asked the group again: they agreed on 2"
    after = await client.get(SCREEN, headers=HTML)
    assert LABEL not in after.text
    assert "The conflict is settled." in (await client.get(f"{SCREEN}?settled=1")).text


async def test_a_typed_value_is_checked_by_the_records_rules(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    _, author, record_id, conflict_id = await _score_conflict(client, database)
    await _signed_in_english(client, author)
    action = f"{SCREEN}/{conflict_id}/settle"
    outside = await post_form(client, SCREEN, action, {"choice": "value", "value": "9"})
    assert outside.status_code == 422
    assert "This value does not fit the question." in outside.text
    assert (await _stored(db, Conflict, conflict_id)).status == "open"
    typed = await post_form(client, SCREEN, action, {"choice": "value", "value": "5"})
    assert typed.status_code == 303
    stored = await _stored(db, Submission, record_id)
    assert stored.answers["consulted_on_plan"]["value"] == 5
    assert (await _stored(db, Conflict, conflict_id)).resolution == "value"


async def test_a_coordinator_may_keep_the_server_value_but_not_rescore_anothers_card(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field, _, record_id, conflict_id = await _score_conflict(client, database)
    await _signed_in_english(client, await field.user(Role.COORDINATOR))
    action = f"{SCREEN}/{conflict_id}/settle"
    refused = await post_form(client, SCREEN, action, {"choice": "device"})
    assert refused.status_code == 422
    assert "Only the person who collected this scorecard changes its scores" in refused.text
    assert (await _stored(db, Conflict, conflict_id)).status == "open"
    kept = await post_form(client, SCREEN, action, {"choice": "server", "note": "Kept"})
    assert kept.status_code == 303
    assert (await _stored(db, Submission, record_id)).answers["consulted_on_plan"]["value"] == 4
    assert (await _stored(db, Conflict, conflict_id)).status == "resolved"


async def test_an_edit_of_a_deleted_record_reads_deleted(
    client: httpx.AsyncClient, database: Database
) -> None:
    field = await programme(database)
    author = await field.user(Role.FACILITATOR)
    a = await Tablet(client, author).sign_in()
    b = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    item_id = uuid.uuid4()
    await a.push(a.mutation("action_item", "create", item_id, action_item(field)))
    await b.push(b.mutation("action_item", "delete", item_id, base_version=1))
    edited = await a.push(
        a.mutation(
            "action_item", "update", item_id, {"responsible": "Soum governor"}, base_version=1
        )
    )
    assert edited["results"][0]["status"] == "deleted"
    await _signed_in_english(client, author)
    page = (await client.get(SCREEN, headers=HTML)).text
    assert "Action item: Girls&#39; toilets do not work" in page or "Girls" in page
    assert "Deleted" in page
    assert "Soum governor" in page
    assert "_deleted" not in page


async def test_another_areas_conflict_is_not_there_and_outsiders_are_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    field, _, _, conflict_id = await _score_conflict(client, database)
    elsewhere = await field.user(Role.COORDINATOR, areas=["MN-043"])
    await _signed_in_english(client, elsewhere)
    page = await client.get(SCREEN, headers=HTML)
    assert page.status_code == 200
    assert LABEL not in page.text
    token = await form_token(client, SCREEN)
    answer = await client.post(
        f"{SCREEN}/{conflict_id}/settle", data={"choice": "server", "_csrf_token": token}
    )
    assert answer.status_code == 404
    for role in (Role.MONITOR, Role.PROVIDER, Role.VIEWER):
        await console_sign_in(client, await field.user(role))
        assert (await client.get(SCREEN, headers=HTML)).status_code == 403
