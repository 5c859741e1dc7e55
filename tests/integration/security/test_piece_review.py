"""Review is a state of each piece of community text and evidence, not of the round: tried as a
provider and a viewer would after a coordinator pressed "reviewed" early, a group's later words,
its photo, an edited reason and a raised issue's words all wait for their own review; a
withdrawn piece leaves every outsider surface and the pull."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.auth.models import AuditEvent, Role
from backend.database.session import Database
from tests.integration.attachments.test_attachment_access import (
    assert_as_if_absent,
    coordinator_of,
    downloads,
    mark,
    outsiders,
    upload,
)
from tests.support.field import Programme, Tablet, programme
from tests.support.photos import camera_photo, sha
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio

BRIBE = "the director asked us for 20,000 MNT each"


def _with_words(field: Programme, reason: str, photo: bytes | None = None) -> dict[str, Any]:
    data = submission(field)
    data["answers"]["informal_contributions"] |= {"reason": reason}
    if photo is not None:
        data["answers"]["informal_contributions"] |= {"evidence": [sha(photo)]}
    return data


async def _reasons(client: AsyncClient, tablet: Tablet, field: Programme) -> list[str]:
    card = await client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=tablet.headers
    )
    assert card.status_code == 200, card.text
    return [
        reason["reason"]
        for indicator in card.json()["indicators"]
        for reason in indicator["reasons"] or []
        if reason["reason"]
    ]


async def _pieces(client: AsyncClient, coordinator: Tablet, field: Programme) -> list[Any]:
    listed = await client.get(
        f"/reviews/v1/cycles/{field.cycle_id}/pieces", headers=coordinator.headers
    )
    assert listed.status_code == 200, listed.text
    items: list[Any] = listed.json()["items"]
    return items


async def _decide(
    client: AsyncClient, coordinator: Tablet, field: Programme, *decisions: dict[str, Any]
) -> Any:
    return await client.post(
        f"/reviews/v1/cycles/{field.cycle_id}/decisions",
        json={"decisions": list(decisions)},
        headers=coordinator.headers,
    )


def _decision(piece: dict[str, Any], decision: str, note: str = "") -> dict[str, Any]:
    return {
        "record_id": piece["record_id"],
        "piece": piece["piece"],
        "content_hash": piece["content_hash"],
        "decision": decision,
        "note": note,
    }


async def test_words_and_photos_arriving_after_the_review_wait_for_their_own(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    provider, viewer = await outsiders(committed_client, field)
    await team.push(
        team.mutation("submission", "create", uuid.uuid4(), _with_words(field, "we were not told"))
    )
    # the coordinator presses "reviewed" while the round is still scoring, and publishes
    await mark(coordinator, field, "review-reasons")
    await field.cycle_phase("interface_meeting")
    await mark(coordinator, field, "publish")
    # afterwards a second group writes what the first review never read, with a photo
    photo = camera_photo((180, 30, 90))
    late = uuid.uuid4()
    await team.push(team.mutation("submission", "create", late, _with_words(field, BRIBE, photo)))
    assert (await upload(team, photo)).status_code == 201

    for outsider in (provider, viewer):
        assert await _reasons(committed_client, outsider, field) == ["we were not told"]
        await assert_as_if_absent(outsider, sha(photo))
    assert BRIBE in await _reasons(committed_client, coordinator, field)
    waiting = [
        p for p in await _pieces(committed_client, coordinator, field) if p["state"] == "awaiting"
    ]
    assert {p["kind"] for p in waiting} == {"reason", "photo"}
    assert all(p["record_id"] == str(late) for p in waiting)

    # passed one by one: the photo, then the words
    (photo_piece,) = [p for p in waiting if p["kind"] == "photo"]
    answer = await _decide(committed_client, coordinator, field, _decision(photo_piece, "pass"))
    assert answer.status_code == 200, answer.text
    for outsider in (provider, viewer):
        assert await downloads(outsider, sha(photo)) == (200, 200)
        assert BRIBE not in await _reasons(committed_client, outsider, field)
    (reason_piece,) = [p for p in waiting if p["kind"] == "reason"]
    answer = await _decide(committed_client, coordinator, field, _decision(reason_piece, "pass"))
    assert answer.status_code == 200, answer.text
    assert BRIBE in await _reasons(committed_client, viewer, field)


async def test_a_reason_edited_after_it_passed_waits_again(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    await field.cycle_phase("community_scoring")
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    _, viewer = await outsiders(committed_client, field)
    record = uuid.uuid4()
    made = await team.push(
        team.mutation("submission", "create", record, _with_words(field, "we were not told"))
    )
    await mark(coordinator, field, "publish")
    await mark(coordinator, field, "review-reasons")
    assert await _reasons(committed_client, viewer, field) == ["we were not told"]
    # the group's facilitator rewrites the passed reason: neither the old nor the new words
    # reach the viewer until the new ones are read
    edited = await team.push(
        team.mutation(
            "submission",
            "update",
            record,
            {"answers": _with_words(field, BRIBE)["answers"]},
            base_version=made["results"][0]["version"],
        )
    )
    assert edited["results"][0]["status"] == "applied", edited
    assert await _reasons(committed_client, viewer, field) == []
    (waiting,) = [
        p for p in await _pieces(committed_client, coordinator, field) if p["state"] == "awaiting"
    ]
    assert waiting["text"] == BRIBE


async def test_a_passed_piece_is_withdrawn_with_a_reason_and_leaves_every_outsider(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    provider, viewer = await outsiders(committed_client, field)
    photo = camera_photo((20, 90, 180))
    await team.push(
        team.mutation("submission", "create", uuid.uuid4(), _with_words(field, BRIBE, photo))
    )
    await upload(team, photo)
    await field.cycle_phase("interface_meeting")
    await mark(coordinator, field, "publish")
    await mark(coordinator, field, "review-reasons")
    assert BRIBE in await _reasons(committed_client, viewer, field)
    pieces = await _pieces(committed_client, coordinator, field)
    assert {p["state"] for p in pieces} == {"passed"}

    # hiding says why; a piece read before it changed is refused as stale
    (reason_piece,) = [p for p in pieces if p["kind"] == "reason"]
    (photo_piece,) = [p for p in pieces if p["kind"] == "photo"]
    silent = await _decide(committed_client, coordinator, field, _decision(reason_piece, "hide"))
    assert silent.status_code == 400
    assert (silent.json()["code"], silent.json()["field"]) == (
        "request.invalid",
        "decisions[0].note",
    )
    stale = _decision(reason_piece, "hide", "names a teacher") | {"content_hash": "0" * 64}
    refused = await _decide(committed_client, coordinator, field, stale)
    assert refused.status_code == 409
    assert refused.json()["code"] == "review.stale"
    # neither refusal changed anything
    assert BRIBE in await _reasons(committed_client, viewer, field)

    withdrawn = await _decide(
        committed_client,
        coordinator,
        field,
        _decision(reason_piece, "hide", "names a teacher"),
        _decision(photo_piece, "hide", "shows a child's face"),
    )
    assert withdrawn.status_code == 200, withdrawn.text
    assert {p["state"] for p in withdrawn.json()["items"]} == {"hidden"}
    for outsider in (provider, viewer):
        assert BRIBE not in await _reasons(committed_client, outsider, field)
        await assert_as_if_absent(outsider, sha(photo))
    # the team still reads it, and the withdrawal is in the audit log with its reason
    assert BRIBE in await _reasons(committed_client, coordinator, field)
    async with committed_database.sessionmaker() as db:
        notes = set(
            await db.scalars(
                select(AuditEvent.detail["note"].astext).where(AuditEvent.kind == "piece.withdrawn")
            )
        )
    assert notes == {"names a teacher", "shows a child's face"}
    # pressing "reviewed" again does not pass a hidden piece
    await mark(coordinator, field, "review-reasons")
    assert BRIBE not in await _reasons(committed_client, viewer, field)


async def test_only_the_areas_coordinators_review(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    provider, viewer = await outsiders(committed_client, field)
    await team.push(team.mutation("submission", "create", uuid.uuid4(), _with_words(field, BRIBE)))
    elsewhere = await Tablet(
        committed_client, await field.user(Role.COORDINATOR, areas=["MN-041"])
    ).sign_in()
    for tablet in (team, provider, viewer):
        listed = await committed_client.get(
            f"/reviews/v1/cycles/{field.cycle_id}/pieces", headers=tablet.headers
        )
        assert listed.status_code == 403, (tablet.user.role, listed.text)
    listed = await committed_client.get(
        f"/reviews/v1/cycles/{field.cycle_id}/pieces", headers=elsewhere.headers
    )
    assert listed.status_code == 404


async def test_a_raised_issue_reaches_the_providers_tablet_as_reviewed_and_leaves_it_dropped(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    await field.cycle_phase("community_scoring")
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    provider, _ = await outsiders(committed_client, field)
    issue = uuid.uuid4()
    made = await team.push(
        team.mutation(
            "cycle_indicator",
            "create",
            issue,
            {
                "cycle_id": str(field.cycle_id),
                "key": "director_takes_money",
                "label": {"mn": "Захирал мөнгө авдаг"},
                "kind": "yes_no",
                "raised_by": ["parents"],
                "status": "proposed",
            },
        )
    )
    assert made["results"][0]["status"] == "applied", made

    async def pulled() -> list[dict[str, Any]]:
        """The issue's changes the tablet receives next. The feed hands out a row once no
        transaction begun before it is still open (other tests' too): pull on until it comes."""
        for _ in range(50):
            found = [
                change
                for change in await provider.pull_all()
                if change["entity"] == "cycle_indicator" and change["id"] == str(issue)
            ]
            if found:
                return found
            await asyncio.sleep(0.1)
        return []

    (first,) = await pulled()
    assert first["data"]["label"]["mn"] != "Захирал мөнгө авдаг"
    assert first["data"]["key"] == f"raised-{issue.hex[:8]}"
    (label,) = [
        p for p in await _pieces(committed_client, coordinator, field) if p["kind"] == "label"
    ]
    passed = await _decide(committed_client, coordinator, field, _decision(label, "pass"))
    assert passed.status_code == 200, passed.text
    # the same tablet, pulling on from its cursor, receives the words now
    (again,) = await pulled()
    assert (again["op"], again["data"]["label"]["mn"]) == ("upsert", "Захирал мөнгө авдаг")
    assert again["data"]["key"] == "director_takes_money"

    # the team drops the issue: a dropped issue is not for outsiders, and leaves the tablet
    dropped = await team.push(
        team.mutation(
            "cycle_indicator",
            "update",
            issue,
            {"status": "dropped"},
            base_version=made["results"][0]["version"],
        )
    )
    assert dropped["results"][0]["status"] == "applied", dropped
    (gone,) = await pulled()
    assert (gone["op"], gone["reason"], gone["data"]) == ("delete", "out_of_scope", None)
    listed = await committed_client.get(
        f"/cycles/v1/{field.cycle_id}/indicators", headers=provider.headers
    )
    assert listed.json() == []


async def test_a_hidden_piece_says_why_in_visible_words_and_is_decided_once(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    await team.push(team.mutation("submission", "create", uuid.uuid4(), _with_words(field, BRIBE)))
    (piece,) = await _pieces(committed_client, coordinator, field)
    for note in ("\u200b", " \u00a0\ufeff", "\u2028\x0b"):
        blank = await _decide(committed_client, coordinator, field, _decision(piece, "hide", note))
        assert blank.status_code == 400, note
        assert blank.json()["field"] == "decisions[0].note"
    twice = await _decide(
        committed_client,
        coordinator,
        field,
        _decision(piece, "pass"),
        _decision(piece, "hide", "names a teacher"),
    )
    assert twice.status_code == 400
    assert twice.json()["field"] == "decisions[1]"
    assert {p["state"] for p in await _pieces(committed_client, coordinator, field)} == {"awaiting"}


async def test_the_provider_cannot_guess_the_key_of_an_issue_awaiting_review(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    """The head raises its own indicators under keys it guesses the community used: a key the
    community holds answers exactly like one nobody holds."""
    field = await programme(committed_database)
    await field.cycle_phase("community_scoring")
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    await team.push(
        team.mutation(
            "cycle_indicator",
            "create",
            uuid.uuid4(),
            {
                "cycle_id": str(field.cycle_id),
                "key": "director_takes_money",
                "label": {"mn": "Захирал мөнгө авдаг"},
                "kind": "yes_no",
                "raised_by": ["parents"],
                "status": "selected",
            },
        )
    )
    await field.cycle_phase("self_assessment")
    head = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()

    async def answer(key: str) -> Any:
        pushed = await head.push(
            head.mutation(
                "cycle_indicator",
                "create",
                uuid.uuid4(),
                {
                    "cycle_id": str(field.cycle_id),
                    "key": key,
                    "label": {"mn": "Таамаг"},
                    "kind": "yes_no",
                    "origin": "provider",
                },
            )
        )
        result = pushed["results"][0]
        return result["status"], (result.get("error") or {}).get("code")

    assert await answer("director_takes_money") == await answer("teacher_is_rude")
    assert await answer("provider_director_takes_money") == ("applied", None)
