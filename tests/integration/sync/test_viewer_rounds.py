"""Viewers pull a round (the cycle, its meeting, action items and updates) only once it is
published; providers pull their own facility's round from the start."""

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme
from tests.support.identity import headers_for
from tests.support.sync_data import action_item, meeting, submission

pytestmark = pytest.mark.asyncio


def _upserted(changes: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """What a tablet holds after applying these changes in order."""
    held: set[tuple[str, str]] = set()
    for change in changes:
        key = (change["entity"], change["id"])
        if change["op"] == "upsert":
            held.add(key)
        else:
            held.discard(key)
    return held


async def _round(client: AsyncClient, field: Programme) -> dict[str, str]:
    """A meeting with its attendance, an action item and an update, and a submission."""
    tablet = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    ids = {kind: str(uuid.uuid4()) for kind in ("meeting", "item", "update", "submission")}
    pushed = await tablet.push(
        tablet.mutation("interface_meeting", "create", ids["meeting"], meeting(field)),
        tablet.mutation("action_item", "create", ids["item"], action_item(field, ids["meeting"])),
        tablet.mutation(
            "action_update",
            "create",
            ids["update"],
            {
                "action_item_id": ids["item"],
                "status": "in_progress",
                "note": "Plumber hired",
                "reported_on": "2026-12-01",
            },
        ),
        tablet.mutation("submission", "create", ids["submission"], submission(field)),
    )
    assert [r["status"] for r in pushed["results"]] == ["applied"] * 4, pushed
    return ids


def _round_records(field: Programme, ids: dict[str, str]) -> set[tuple[str, str]]:
    return {
        ("cycle", str(field.cycle_id)),
        ("interface_meeting", ids["meeting"]),
        ("action_item", ids["item"]),
        ("action_update", ids["update"]),
    }


async def _publish(client: AsyncClient, database: Database, field: Programme) -> None:
    async with database.sessionmaker() as db:
        coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    published = await client.post(f"/cycles/v1/{field.cycle_id}/publish", headers=coordinator)
    assert published.status_code == 200, published.text


async def test_a_viewer_pulls_a_round_only_once_it_is_published(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    ids = await _round(committed_client, field)
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    before = await viewer.pull_all()
    assert ("facility", str(field.facility_id)) in _upserted(before)
    assert not {(c["entity"], c["id"]) for c in before} & _round_records(field, ids)
    assert not [c for c in before if c["entity"] == "submission"]
    assert ids["meeting"] not in str(before)

    await _publish(committed_client, committed_database, field)
    # the same cursor, already past the round's first rows
    after = await viewer.pull_all()
    assert _round_records(field, ids) <= _upserted(after)
    meeting_out = next(c for c in after if c["id"] == ids["meeting"])
    assert meeting_out["data"]["attendance"]["community_female"] == 10
    assert not [c for c in after if c["entity"] == "submission"]

    # later work in the published round reaches the viewer as usual
    facilitator = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    later = str(uuid.uuid4())
    await facilitator.push(
        facilitator.mutation(
            "action_update",
            "create",
            later,
            {
                "action_item_id": ids["item"],
                "status": "done",
                "note": "Toilets repaired",
                "reported_on": datetime.now(ZoneInfo("Asia/Ulaanbaatar")).date().isoformat(),
            },
        )
    )
    assert ("action_update", later) in _upserted(await viewer.pull_all())


async def test_a_provider_pulls_its_own_round_before_publication(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    ids = await _round(committed_client, field)
    provider = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    held = _upserted(await provider.pull_all())
    assert _round_records(field, ids) <= held
    assert ("submission", ids["submission"]) not in held  # the community's answers


async def test_a_viewer_moved_elsewhere_is_told_only_of_what_it_held(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    published, hidden = await programme(committed_database), await programme(committed_database)
    shown_ids = await _round(committed_client, published)
    hidden_ids = await _round(committed_client, hidden)
    await _publish(committed_client, committed_database, published)
    viewer_user = await published.user(Role.VIEWER)
    viewer = await Tablet(committed_client, viewer_user).sign_in()
    held = _upserted(await viewer.pull_all())
    assert _round_records(published, shown_ids) <= held
    assert not held & _round_records(hidden, hidden_ids)

    async with committed_database.sessionmaker() as db:
        admin = await headers_for(committed_client, db, Role.ADMIN)
    moved = await committed_client.patch(
        f"/admin/v1/users/{viewer_user.id}", json={"area_codes": ["MN-043"]}, headers=admin
    )
    assert moved.status_code == 200
    after = await viewer.pull_all()
    removed = {(c["entity"], c["id"]) for c in after if c["reason"] == "out_of_scope"}
    assert _round_records(published, shown_ids) <= removed
    assert not removed & _round_records(hidden, hidden_ids)
    assert not held & _upserted(after)
