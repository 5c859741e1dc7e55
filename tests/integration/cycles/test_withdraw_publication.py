"""A coordinator withdraws a round's publication, saying why: viewers lose the round on every
surface at once and their tablets remove its records; the publication history keeps both
steps, with who, when and why; publishing again hands the round back."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.auth.models import AuditEvent, Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme
from tests.support.sync_data import action_item, submission

pytestmark = pytest.mark.asyncio

REASON = "The soum's figures were entered twice; republished after the check"


async def _round(client: AsyncClient, database: Database) -> tuple[Programme, Tablet, str]:
    field = await programme(database)
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    await team.push(team.mutation("submission", "create", uuid.uuid4(), submission(field)))
    item_id = str(uuid.uuid4())
    await team.push(team.mutation("action_item", "create", item_id, action_item(field)))
    return field, team, item_id


def _latest(changes: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for change in changes:
        out[change["id"]] = change
    return out


async def test_a_withdrawn_round_leaves_viewers_and_their_tablets(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, _, item_id = await _round(committed_client, committed_database)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    cycle = f"/cycles/v1/{field.cycle_id}"
    scorecard = f"/reports/v1/cycles/{field.cycle_id}/scorecard"

    published = await committed_client.post(f"{cycle}/publish", headers=coordinator.headers)
    assert published.status_code == 200
    held = _latest(await viewer.pull_all())
    assert held[str(field.cycle_id)]["op"] == "upsert"
    assert held[item_id]["op"] == "upsert"
    assert (await committed_client.get(scorecard, headers=viewer.headers)).status_code == 200

    # a withdrawal says why
    for body in ({}, {"reason": ""}, {"reason": "  \u200b "}):
        refused = await committed_client.post(
            f"{cycle}/withdraw", json=body, headers=coordinator.headers
        )
        assert refused.status_code == 400, body
    withdrawn = await committed_client.post(
        f"{cycle}/withdraw", json={"reason": REASON}, headers=coordinator.headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["published_at"] is None

    for path in (cycle, scorecard, f"{scorecard}.html"):
        gone = await committed_client.get(path, headers=viewer.headers)
        assert gone.status_code == 404, path
    listed = await committed_client.get("/cycles/v1", headers=viewer.headers)
    assert str(field.cycle_id) not in listed.text
    removed = _latest(await viewer.pull_all())
    for record_id in (str(field.cycle_id), item_id):
        assert (removed[record_id]["op"], removed[record_id]["reason"]) == (
            "delete",
            "out_of_scope",
        )
    assert REASON not in str(removed)
    # the team keeps the round on its tablets: nothing of the withdrawal reaches it
    team_view = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    assert all(change["op"] == "upsert" for change in await team_view.pull_all())

    again = await committed_client.post(
        f"{cycle}/withdraw", json={"reason": REASON}, headers=coordinator.headers
    )
    assert (again.status_code, again.json()["code"]) == (409, "cycle.not_published")

    history = await committed_client.get(f"{cycle}/publications", headers=coordinator.headers)
    assert [(h["action"], h["reason"], h["changed_by"]) for h in history.json()] == [
        ("published", "", str(coordinator.user.id)),
        ("withdrawn", REASON, str(coordinator.user.id)),
    ]
    assert (
        await committed_client.get(f"{cycle}/publications", headers=viewer.headers)
    ).status_code == 403
    async with committed_database.sessionmaker() as db:
        audited = await db.scalar(
            select(AuditEvent).where(
                AuditEvent.kind == "cycle.withdrawn", AuditEvent.actor_id == coordinator.user.id
            )
        )
    assert audited is not None
    assert audited.detail["reason"] == REASON

    # published again: the round comes back to the viewer's tablet
    assert (
        await committed_client.post(f"{cycle}/publish", headers=coordinator.headers)
    ).status_code == 200
    back = _latest(await viewer.pull_all())
    assert back[str(field.cycle_id)]["op"] == "upsert"
    assert back[item_id]["op"] == "upsert"
    assert (await committed_client.get(scorecard, headers=viewer.headers)).status_code == 200


async def test_a_viewer_who_never_held_the_round_reads_nothing_of_it(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, _, item_id = await _round(committed_client, committed_database)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    cycle = f"/cycles/v1/{field.cycle_id}"
    await committed_client.post(f"{cycle}/publish", headers=coordinator.headers)
    await committed_client.post(
        f"{cycle}/withdraw", json={"reason": REASON}, headers=coordinator.headers
    )
    newcomer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    changes = await newcomer.pull_all()
    assert all(change["data"] is None for change in changes if change["id"] == item_id)
    assert not [c for c in changes if c["op"] == "upsert" and c["id"] == str(field.cycle_id)]
