"""Each rule stated as a user would notice it, at its edge, so that a rule changed by one
character fails a test: a group of exactly five counts, an item due today is not late yet, a
passed photo of an unpublished round is not a viewer's, and conflicts and histories are only
for those who settle them. The numbers are the programme's (PRIVACY.md: five people; DOMAIN.md:
late after the due date), written here, not read from the code under test."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.integration.attachments.test_attachment_access import (
    assert_as_if_absent,
    downloads,
    mark,
    outsiders,
    push_with_evidence,
    upload,
)
from tests.support.field import Tablet, programme
from tests.support.photos import camera_photo, sha
from tests.support.sync_data import action_item, submission

pytestmark = pytest.mark.asyncio
TODAY = datetime.now(ZoneInfo("Asia/Ulaanbaatar")).date()


async def _community_n(client: AsyncClient, tablet: Tablet, cycle_id: Any) -> int:
    card = await client.get(f"/reports/v1/cycles/{cycle_id}/scorecard", headers=tablet.headers)
    assert card.status_code == 200, card.text
    (row,) = [i for i in card.json()["indicators"] if i["key"] == "consulted_on_plan"]
    return 0 if row["community"] is None else int(row["community"]["n"])


@pytest.mark.parametrize(("female", "male", "counted"), [(3, 2, 1), (2, 2, 0)])
async def test_a_group_of_five_counts_for_outsiders_and_of_four_does_not(
    committed_client: AsyncClient,
    committed_database: Database,
    female: int,
    male: int,
    counted: int,
) -> None:
    field = await programme(committed_database)
    await field.cycle_phase("community_scoring")
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    group = {"type": "parents", "participants": {"female": female, "male": male}}
    pushed = await team.push(
        team.mutation("submission", "create", uuid.uuid4(), submission(field, group=group))
    )
    assert pushed["results"][0]["status"] == "applied", pushed
    await field.cycle_phase("interface_meeting")
    provider, _ = await outsiders(committed_client, field)
    assert await _community_n(committed_client, provider, field.cycle_id) == counted
    assert await _community_n(committed_client, team, field.cycle_id) == 1


async def test_an_item_due_today_is_not_late_and_one_due_yesterday_is(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    today, yesterday = uuid.uuid4(), uuid.uuid4()
    await team.push(
        team.mutation("action_item", "create", today, action_item(field, due_on=TODAY.isoformat())),
        team.mutation(
            "action_item",
            "create",
            yesterday,
            action_item(field, due_on=(TODAY - timedelta(days=1)).isoformat()),
        ),
    )
    listed = await committed_client.get(
        "/action-plans/v1/items", params={"cycle_id": str(field.cycle_id)}, headers=team.headers
    )
    overdue = {item["id"]: item["overdue"] for item in listed.json()["items"]}
    assert overdue == {str(today): False, str(yesterday): True}
    late = await committed_client.get(
        "/action-plans/v1/items", params={"overdue": True}, headers=team.headers
    )
    assert [item["id"] for item in late.json()["items"]] == [str(yesterday)]


async def test_a_passed_photo_of_an_unpublished_round_is_not_the_viewers(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    _, viewer = await outsiders(committed_client, field)
    photo = camera_photo((90, 90, 20))
    await push_with_evidence(team, field, photo)  # a group of twelve
    await upload(team, photo)
    await field.cycle_phase("interface_meeting")
    await mark(coordinator, field, "review-reasons")  # the photo is passed
    await assert_as_if_absent(viewer, sha(photo))
    await mark(coordinator, field, "publish")
    assert await downloads(viewer, sha(photo)) == (200, 200)


async def test_conflicts_and_histories_are_only_for_those_who_settle_them(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    first = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    second = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    provider, viewer = await outsiders(committed_client, field)
    item = uuid.uuid4()
    await first.push(first.mutation("action_item", "create", item, action_item(field)))
    # two facilitators name a different person responsible, offline, from the same version
    for tablet, person in ((first, "Deputy director"), (second, "Soum governor")):
        answer = await tablet.push(
            tablet.mutation("action_item", "update", item, {"responsible": person}, base_version=1)
        )
    assert answer["results"][0]["status"] == "conflict", answer
    await mark(coordinator, field, "publish")

    async def reads(tablet: Tablet) -> tuple[int, int, int]:
        conflicts = await committed_client.get("/sync/v1/conflicts", headers=tablet.headers)
        history = await committed_client.get(
            f"/sync/v1/history/action_item/{item}", headers=tablet.headers
        )
        item_page = await committed_client.get(
            "/action-plans/v1/items",
            params={"cycle_id": str(field.cycle_id)},
            headers=tablet.headers,
        )
        return len(conflicts.json()), history.status_code, item_page.json()["total"]

    # both outsiders read the item itself, and neither its conflict nor its history
    assert await reads(coordinator) == (1, 200, 1)
    assert await reads(provider) == (0, 404, 1)
    assert await reads(viewer) == (0, 404, 1)
