"""Ids are made on tablets and travel: in a screenshot, a shared export, a log. Tried as a
facilitator's tablet in another area that learned ids of records it may not see: a create
reusing such an id is refused exactly as a create reusing any other taken id (its own record
of another kind, its own deleted record), so the refusal says nothing of what holds the id:
not its kind, not that it lies in another area, not that it was deleted."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from backend import contract
from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Tablet, programme
from tests.support.sync_data import action_item, meeting, submission


def _answer(result: dict[str, Any]) -> dict[str, Any]:
    """Everything a result tells, but the mutation's own numbering and id."""
    return {k: v for k, v in result.items() if k not in ("mutation_id", "id")}


@pytest.mark.asyncio
async def test_a_create_on_any_taken_id_answers_alike_whatever_holds_it(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    victim_field = await programme(committed_database)  # a school in Uvs
    victim = await Tablet(committed_client, await victim_field.user(Role.FACILITATOR)).sign_in()
    hidden_item, hidden_submission, hidden_deleted = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    made = await victim.push(
        victim.mutation("action_item", "create", hidden_item, action_item(victim_field)),
        victim.mutation("submission", "create", hidden_submission, submission(victim_field)),
        victim.mutation("action_item", "create", hidden_deleted, action_item(victim_field)),
        victim.mutation("action_item", "delete", hidden_deleted, base_version=1),
    )
    assert [r["status"] for r in made["results"]] == ["applied"] * 4

    field = await programme(committed_database, area_code="MN-1-SK")  # a school in the capital
    attacker = await Tablet(
        committed_client, await field.user(Role.FACILITATOR, areas=["MN-1-SK"])
    ).sign_in()
    own_meeting, own_deleted, own_item = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    own = await attacker.push(
        attacker.mutation("interface_meeting", "create", own_meeting, meeting(field)),
        attacker.mutation("action_item", "create", own_deleted, action_item(field)),
        attacker.mutation("action_item", "delete", own_deleted, base_version=1),
        attacker.mutation("action_item", "create", own_item, action_item(field)),
    )
    assert [r["status"] for r in own["results"]] == ["applied"] * 4

    item = action_item(field, action="Paint the classrooms")
    taken = {
        "its own meeting (another kind)": own_meeting,
        "its own deleted item": own_deleted,
        "its own other item": own_item,
        "an item in another area": hidden_item,
        "a submission in another area": hidden_submission,
        "a deleted item in another area": hidden_deleted,
    }
    pushed = await attacker.push(
        *(attacker.mutation("action_item", "create", record, item) for record in taken.values()),
        attacker.mutation("action_item", "create", uuid.uuid4(), item),
    )
    *refused, fresh = pushed["results"]

    answers = {name: _answer(result) for name, result in zip(taken, refused, strict=True)}
    expected = answers["its own meeting (another kind)"]
    assert answers == dict.fromkeys(taken, expected)
    assert expected["status"] == "rejected"
    assert (expected["error"]["code"], expected["error"]["field"]) == ("sync.id_taken", "id")
    assert fresh["status"] == "applied"
    # nothing of the attempts was stored over the records that hold the ids
    items = await committed_client.get(
        f"/action-plans/v1/items?cycle_id={field.cycle_id}", headers=attacker.headers
    )
    assert {i["id"] for i in items.json()["items"]} == {str(own_item), fresh["id"]}


def test_the_tablet_contract_says_what_to_do_with_a_taken_id() -> None:
    text = (contract.FOLDER / "SYNC.md").read_text(encoding="utf-8")
    (row,) = [line for line in text.splitlines() if line.startswith("| `sync.id_taken`")]
    assert "new UUID" in row
    assert "may not see" in row
    assert "sync.record_exists" not in text
    assert "sync.id_deleted" not in text
