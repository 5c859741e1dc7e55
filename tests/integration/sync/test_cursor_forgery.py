"""Pull cursors as an attacker handles them: edited by hand, borrowed, or made up.

The cursor is opaque but not secret: base64 of a msgpack position and a signature. Whatever
is done to it, the server answers with a reset (200, `reset: true`) and hands out nothing, in
particular no removal that names a record outside the caller's scope.
"""

import base64
import uuid
from typing import Any

import msgspec
import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from backend.sync import cursor as cursors
from backend.sync.scope import FeedScope
from tests.support.field import Programme, Tablet, programme
from tests.support.sync_data import action_item, meeting, submission

pytestmark = pytest.mark.asyncio


def _unpack(cursor: str) -> tuple[list[Any], bytes]:
    """The position's fields and the signature, as anyone can read them."""
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    return msgspec.msgpack.decode(raw[: -cursors.TAG_BYTES]), raw[-cursors.TAG_BYTES :]


def _pack(fields: list[Any], tag: bytes) -> str:
    raw = msgspec.msgpack.encode(fields) + tag
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


async def _elsewhere(client: AsyncClient, database: Database) -> tuple[Programme, list[str]]:
    """A round in another aimag with a submission, a meeting and an action item, pulled once
    by its facilitator (so the server has seen that scope)."""
    other = await programme(database, area_code="MN-043")
    tablet = await Tablet(client, await other.user(Role.FACILITATOR, areas=["MN-043"])).sign_in()
    ids = [str(uuid.uuid4()) for _ in range(3)]
    pushed = await tablet.push(
        tablet.mutation("submission", "create", ids[0], submission(other)),
        tablet.mutation("interface_meeting", "create", ids[1], meeting(other)),
        tablet.mutation("action_item", "create", ids[2], action_item(other, ids[1])),
    )
    assert [r["status"] for r in pushed["results"]] == ["applied"] * 3
    await tablet.pull_all()
    return other, [*ids, str(other.facility_id), str(other.cycle_id)]


async def _pull_with(tablet: Tablet, cursor: str) -> dict[str, Any]:
    response = await tablet.client.post(
        "/sync/v1/pull",
        json={"protocol": 1, "device_id": str(tablet.device_id), "cursor": cursor},
        headers=tablet.headers,
    )
    assert response.status_code == 200, response.text
    assert response.json()["reset"] is True, response.text
    assert response.json()["changes"] == []
    return response.json()


async def test_a_hand_edited_cursor_gets_a_reset_and_names_nothing_elsewhere(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    _, foreign_ids = await _elsewhere(committed_client, committed_database)
    attacker = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    await attacker.pull_all()
    assert attacker.cursor is not None
    fields, tag = _unpack(attacker.cursor)
    epoch, xid, position, own_scope = fields[:4]
    # scope hashes are not secret: anyone can compute the one of a facilitator in Uvs... or Khovd
    theirs = FeedScope(Role.FACILITATOR, ("MN-043",), ()).hash
    forged = [
        # "my scope just changed from theirs": the walk would name their records as removals
        [epoch, xid, position, own_scope, [0, 0], theirs],
        [epoch, xid, position, theirs, None, None],
        [epoch, xid, position, own_scope, [0, 0], own_scope],
        [epoch, 0, 0, own_scope, None, None],
        [epoch, xid + 1, position, own_scope, None, None],
        [epoch, xid, position + 1, own_scope, None, None],
        [epoch, -1, -1, own_scope, None, None],
        [epoch, 2**64 - 1, 2**64 - 1, own_scope, None, None],
    ]
    attempts = [_pack(f, tag) for f in forged]
    attempts += [_pack(f, bytes(cursors.TAG_BYTES)) for f in forged]
    # the cursor as this server used to write it: no signature at all
    legacy = [str(uuid.UUID(bytes=epoch)), xid, position, own_scope, [0, 0], theirs]
    attempts.append(_pack(legacy, b""))
    for cursor in attempts:
        page = await _pull_with(attacker, cursor)
        assert not any(record_id in str(page) for record_id in foreign_ids)

    attacker.cursor = page["cursor"]
    again = await attacker.pull_all()
    assert str(field.cycle_id) in {c["id"] for c in again}
    assert not any(c["id"] in foreign_ids for c in again)


async def test_garbage_cursors_get_a_reset_never_an_error(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    for cursor in (
        "",
        "not-a-cursor",
        "%%%%",
        "курсор",
        "A" * 100_000,
        base64.urlsafe_b64encode(bytes(64)).decode(),
        base64.urlsafe_b64encode(b"\xc1" * 40).decode(),
    ):
        await _pull_with(tablet, cursor)


async def test_a_cursor_from_another_user_or_device_gets_a_reset(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    owner = await field.user(Role.MONITOR)
    first = await Tablet(committed_client, owner).sign_in()
    await first.pull_all()
    assert first.cursor is not None
    # the same scope (a monitor in Uvs): only the binding tells the cursors apart
    colleague = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    await _pull_with(colleague, first.cursor)
    second_device = await Tablet(committed_client, owner).sign_in()
    await _pull_with(second_device, first.cursor)

    # the device it was issued to carries on where it was
    page = await first.pull()
    assert (page["reset"], page["changes"]) == (False, [])
