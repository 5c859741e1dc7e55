"""Evidence files follow their records: the review gate, unpublished rounds, and hashes copied
from elsewhere, tried with legitimate low-privilege accounts."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

import httpx
import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme
from tests.support.photos import camera_photo, sha
from tests.support.sync_data import action_item, meeting, submission

pytestmark = pytest.mark.asyncio

SMALL_GROUP = {"female": 2, "male": 1}  # three mothers from one bag: identifiable


def url(digest: str, part: str = "") -> str:
    return f"/sync/v1/attachments/{digest}{part}"


def unknown_hash() -> str:
    return hashlib.sha256(uuid.uuid4().bytes).hexdigest()


def answer(response: httpx.Response) -> tuple[int, dict[str, Any]]:
    """What a caller learns from a response, leaving out the request's own id."""
    body = response.json()
    body.pop("request_id", None)
    return response.status_code, body


async def downloads(tablet: Tablet, digest: str) -> tuple[int, int]:
    """The status of the file and of its thumbnail."""
    file = await tablet.client.get(url(digest), headers=tablet.headers)
    thumbnail = await tablet.client.get(url(digest, "/thumbnail"), headers=tablet.headers)
    return file.status_code, thumbnail.status_code


async def assert_as_if_absent(tablet: Tablet, digest: str) -> None:
    """The caller cannot tell the file from one that was never uploaded."""
    nothing = unknown_hash()
    for part in ("", "/thumbnail"):
        hidden = await tablet.client.get(url(digest, part), headers=tablet.headers)
        absent = await tablet.client.get(url(nothing, part), headers=tablet.headers)
        assert hidden.status_code == 404
        assert answer(hidden) == answer(absent)


async def check(tablet: Tablet, *hashes: str) -> dict[str, list[str]]:
    response = await tablet.client.post(
        url("check"), json={"hashes": list(hashes)}, headers=tablet.headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def upload(tablet: Tablet, photo: bytes) -> httpx.Response:
    return await tablet.client.put(url(sha(photo)), content=photo, headers=tablet.headers)


async def push_with_evidence(
    tablet: Tablet, field: Programme, photo: bytes, *, participants: dict[str, int] | None = None
) -> dict[str, Any]:
    """A community group's scorecard with a photo of the notice board, pushed then uploaded."""
    data = submission(field)
    if participants is not None:
        data["group"] = {"type": "parents", "participants": participants}
    data["answers"]["budget_published"] |= {"evidence": [sha(photo)]}
    pushed = await tablet.push(tablet.mutation("submission", "create", uuid.uuid4(), data))
    assert pushed["results"][0]["status"] == "applied", pushed
    return pushed["results"][0]


async def coordinator_of(client: AsyncClient, field: Programme) -> Tablet:
    return await Tablet(client, await field.user(Role.COORDINATOR)).sign_in()


async def mark(coordinator: Tablet, field: Programme, step: str) -> None:
    response = await coordinator.client.post(
        f"/cycles/v1/{field.cycle_id}/{step}", headers=coordinator.headers
    )
    assert response.status_code == 200, response.text


async def outsiders(client: AsyncClient, field: Programme) -> tuple[Tablet, Tablet]:
    provider = await Tablet(client, await field.user(Role.PROVIDER)).sign_in()
    viewer = await Tablet(client, await field.user(Role.VIEWER)).sign_in()
    return provider, viewer


async def test_community_evidence_waits_for_the_review_of_its_round(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    facilitator = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    provider, viewer = await outsiders(committed_client, field)
    photo = camera_photo((200, 40, 40))
    await push_with_evidence(facilitator, field, photo)  # a group of twelve
    assert (await upload(facilitator, photo)).status_code == 201
    # the round reaches its interface meeting: the comparison is the provider's too
    await field.cycle_phase("interface_meeting")

    for outsider in (provider, viewer):
        await assert_as_if_absent(outsider, sha(photo))
    await mark(coordinator, field, "publish")  # the viewer may see the round, still unreviewed
    for outsider in (provider, viewer):
        await assert_as_if_absent(outsider, sha(photo))
    assert await downloads(coordinator, sha(photo)) == (200, 200)

    await mark(coordinator, field, "review-reasons")

    assert await downloads(provider, sha(photo)) == (200, 200)
    assert await downloads(viewer, sha(photo)) == (200, 200)
    assert await downloads(coordinator, sha(photo)) == (200, 200)


async def test_a_small_groups_evidence_stays_hidden_after_review(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    facilitator = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    provider, viewer = await outsiders(committed_client, field)
    photo = camera_photo((40, 200, 40))
    await push_with_evidence(facilitator, field, photo, participants=SMALL_GROUP)
    await upload(facilitator, photo)

    await mark(coordinator, field, "publish")
    await mark(coordinator, field, "review-reasons")

    for outsider in (provider, viewer):
        await assert_as_if_absent(outsider, sha(photo))
    assert await downloads(coordinator, sha(photo)) == (200, 200)


async def test_the_same_photo_in_a_large_group_does_not_open_it_through_a_small_one(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    facilitator = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    provider, viewer = await outsiders(committed_client, field)
    small, large = camera_photo((1, 90, 180)), camera_photo((180, 90, 1))
    await push_with_evidence(facilitator, field, small, participants=SMALL_GROUP)
    await push_with_evidence(facilitator, field, large)
    await upload(facilitator, small)
    await upload(facilitator, large)
    await field.cycle_phase("interface_meeting")
    await mark(coordinator, field, "publish")
    await mark(coordinator, field, "review-reasons")

    for outsider in (provider, viewer):
        await assert_as_if_absent(outsider, sha(small))
        assert await downloads(outsider, sha(large)) == (200, 200)


async def test_an_action_update_photo_reaches_viewers_only_once_the_round_is_published(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    facilitator = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    photo = camera_photo((90, 60, 200))  # the repaired toilets
    meeting_id, item_id = str(uuid.uuid4()), str(uuid.uuid4())
    pushed = await facilitator.push(
        facilitator.mutation("interface_meeting", "create", meeting_id, meeting(field)),
        facilitator.mutation("action_item", "create", item_id, action_item(field, meeting_id)),
        facilitator.mutation(
            "action_update",
            "create",
            uuid.uuid4(),
            {
                "action_item_id": item_id,
                "status": "in_progress",
                "reported_on": "2026-12-01",
                "evidence": [sha(photo)],
            },
        ),
    )
    assert [r["status"] for r in pushed["results"]] == ["applied"] * 3, pushed
    await upload(facilitator, photo)

    await assert_as_if_absent(viewer, sha(photo))
    assert await downloads(coordinator, sha(photo)) == (200, 200)

    await mark(coordinator, field, "publish")

    assert await downloads(viewer, sha(photo)) == (200, 200)


async def test_a_copied_hash_opens_nothing_until_its_bytes_are_sent(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    victim_field = await programme(committed_database)  # a school in Uvs
    victim = await Tablet(committed_client, await victim_field.user(Role.FACILITATOR)).sign_in()
    photo = camera_photo((10, 120, 240))
    await push_with_evidence(victim, victim_field, photo)
    await upload(victim, photo)
    # a facilitator in Songinokhairkhan learns the hash and puts it in their own scorecard
    own_field = await programme(committed_database, area_code="MN-1-SK")
    attacker = await Tablet(
        committed_client, await own_field.user(Role.FACILITATOR, areas=["MN-1-SK"])
    ).sign_in()
    their_coordinator = await Tablet(
        committed_client, await own_field.user(Role.COORDINATOR, areas=["MN-1-SK"])
    ).sign_in()

    result = await push_with_evidence(attacker, own_field, photo)
    missing = await committed_client.get(url("missing"), headers=attacker.headers)
    progress = await committed_client.get(url(sha(photo), "/upload"), headers=attacker.headers)

    assert result["missing_attachments"] == [sha(photo)]
    assert missing.json() == {"missing": [sha(photo)]}
    assert progress.json()["stored"] is False
    assert progress.json()["received"] == 0
    assert await check(attacker, sha(photo)) == {"stored": [], "missing": [sha(photo)]}
    await assert_as_if_absent(attacker, sha(photo))
    await assert_as_if_absent(their_coordinator, sha(photo))
    # nor does their own round's scorecard list it, or inline its thumbnail in the page
    card = f"/reports/v1/cycles/{own_field.cycle_id}/scorecard"
    for tablet in (attacker, their_coordinator):
        body = (await committed_client.get(card, headers=tablet.headers)).json()
        assert all(sha(photo) not in i["evidence"] for i in body["indicators"])
        page = await committed_client.get(f"{card}.html", headers=tablet.headers)
        assert sha(photo) not in page.text

    # with the bytes in hand, the file is theirs too: kept once, sent by both; the upload is
    # answered exactly as for bytes nobody had sent, so it does not tell that the file existed
    again = await upload(attacker, photo)
    fresh = await upload(attacker, camera_photo((200, 10, 10)))

    assert (again.status_code, fresh.status_code) == (201, 201)
    assert again.json()["stored"] is True
    assert await check(attacker, sha(photo)) == {"stored": [sha(photo)], "missing": []}
    assert (await committed_client.get(url("missing"), headers=attacker.headers)).json() == {
        "missing": []
    }
    assert await downloads(attacker, sha(photo)) == (200, 200)
    assert await downloads(their_coordinator, sha(photo)) == (200, 200)
    assert await downloads(victim, sha(photo)) == (200, 200)


async def test_check_and_progress_tell_nothing_of_other_peoples_files(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    owner = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    photo = camera_photo((250, 250, 0))
    await upload(owner, photo)
    prober = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    nothing = unknown_hash()

    for caller in (prober, viewer):
        existing = await check(caller, sha(photo))
        absent = await check(caller, nothing)
        assert existing == {"stored": [], "missing": [sha(photo)]}
        assert absent == {"stored": [], "missing": [nothing]}
    existing_progress = await committed_client.get(
        url(sha(photo), "/upload"), headers=prober.headers
    )
    absent_progress = await committed_client.get(url(nothing, "/upload"), headers=prober.headers)
    assert existing_progress.json() | {"sha256": None} == absent_progress.json() | {"sha256": None}
    await assert_as_if_absent(prober, sha(photo))
    assert await check(owner, sha(photo), nothing) == {"stored": [sha(photo)], "missing": [nothing]}


async def test_an_edit_from_another_tablet_keeps_the_photo_open_to_the_team(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    facilitator = await field.user(Role.FACILITATOR)
    author = await Tablet(committed_client, facilitator).sign_in()
    # the same facilitator corrects a score on a second tablet, which never had the photo
    second_tablet = await Tablet(committed_client, facilitator).sign_in()
    coordinator = await coordinator_of(committed_client, field)
    photo = camera_photo((60, 60, 60))
    data = submission(field)
    data["answers"]["budget_published"] |= {"evidence": [sha(photo)]}
    record_id = uuid.uuid4()
    await author.push(author.mutation("submission", "create", record_id, data))
    await upload(author, photo)

    edited = await second_tablet.push(
        second_tablet.mutation(
            "submission",
            "update",
            record_id,
            {"answers": {"consulted_on_plan": {"value": 5, "reason": None}}},
            base_version=1,
        )
    )
    missing_there = await committed_client.get(url("missing"), headers=second_tablet.headers)

    assert edited["results"][0]["status"] == "applied"
    assert edited["results"][0]["missing_attachments"] == []
    assert missing_there.json() == {"missing": []}
    assert await downloads(coordinator, sha(photo)) == (200, 200)
