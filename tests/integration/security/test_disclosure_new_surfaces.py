"""The surfaces added with the method's own steps, attacked as an outsider would: which groups
raised which issue, and how often each option of a choice was chosen, reveal nothing of a
group too small to count, nor anything the community said before its words are reviewed."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Tablet, programme
from tests.support.rounds import open_round
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio


async def test_which_groups_raised_an_issue_waits_for_the_review_and_never_names_a_small_group(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    await field.cycle_phase("community_scoring")
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    provider = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    raised = uuid.uuid4()
    await team.push(
        team.mutation(
            "cycle_indicator",
            "create",
            raised,
            {
                "cycle_id": str(field.cycle_id),
                "key": "no_sign_language",
                "label": {"mn": "Дохионы хэл байхгүй"},
                "kind": "yes_no",
                "raised_by": ["women", "people_with_disabilities"],
                "status": "selected",
            },
        ),
        # the women met twelve strong; the three people with disabilities, as a small group
        team.mutation(
            "submission",
            "create",
            uuid.uuid4(),
            submission(field, group={"type": "women", "participants": {"female": 12}}),
        ),
        team.mutation(
            "submission",
            "create",
            uuid.uuid4(),
            submission(
                field,
                group={
                    "type": "people_with_disabilities",
                    "participants": {"female": 2, "male": 1},
                },
            ),
        ),
    )
    url = f"/cycles/v1/{field.cycle_id}/indicators"
    card_url = f"/reports/v1/cycles/{field.cycle_id}/scorecard"

    async def seen(tablet: Tablet) -> tuple[Any, ...]:
        """Which groups raised the issue, and its words, as the list, the scorecard and the
        pull give them to this reader."""
        (listed,) = (await committed_client.get(url, headers=tablet.headers)).json()
        card = (await committed_client.get(card_url, headers=tablet.headers)).json()
        (row,) = [i for i in card["indicators"] if i["origin"] == "community"]
        # a tablet signed in as this user pulls the record itself
        tablet.cursor = None
        (pulled,) = [
            change["data"]
            for change in await tablet.pull_all()
            if change["entity"] == "cycle_indicator" and change["id"] == str(raised)
        ]
        return (
            (listed["raised_by"], row["raised_by"], pulled["raised_by"]),
            {listed["label_mn"], row["label_mn"], pulled["label"]["mn"]},
            {listed["key"], row["key"], pulled["key"]},
        )

    everyone = ["women", "people_with_disabilities"]
    assert await seen(team) == (
        (everyone, everyone, everyone),
        {"Дохионы хэл байхгүй"},
        {"no_sign_language"},
    )
    # before the review: the provider reads neither the words (nor the key made of them) nor
    # any group, however it asks (a pull too), and never an empty list
    community = ["community"]
    assert await seen(provider) == (
        (community, community, community),
        {"Иргэдийн дэвшүүлсэн асуудал (хянагдаж байна)"},
        {f"raised-{raised.hex[:8]}"},
    )
    answer = await committed_client.post(
        f"/cycles/v1/{field.cycle_id}/review-reasons", headers=coordinator.headers
    )
    assert answer.status_code == 200, answer.text
    # after it: the words, but still no group type: naming the women's would single out the
    # small group as the other raiser
    assert await seen(provider) == (
        (community, community, community),
        {"Дохионы хэл байхгүй"},
        {"no_sign_language"},
    )
    assert (await seen(coordinator))[0] == (everyone, everyone, everyone)


def _interview(cycle_id: str, people: int, choice: str) -> dict[str, Any]:
    def a(value: Any) -> dict[str, Any]:
        return {"value": value, "reason": None, "suggestion": None}

    return {
        "cycle_id": cycle_id,
        "respondent": "community",
        "collected_at": "2026-11-20T10:00:00Z",
        "group": {"type": "herders", "participants": {"female": people - 1, "male": 1}},
        "answers": {
            "knows_coverage": a(3),
            "knows_where_to_complain": a(True),
            "status_verified": a(True),
            "discounted_medicine": a(choice),
            "official_copay": a(2000),
            "waiting_minutes": a(30),
            "ease_of_use": a(3),
            "services_adequate": a(3),
            "overall_satisfaction": a(3),
        },
    }


async def test_a_small_groups_choice_is_in_no_count_an_outsider_sees(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    cycle_id = await open_round(
        committed_client,
        committed_database,
        coordinator,
        facility_type="soum_health_centre",
        template="health_insurance",
        phase="community_scoring",
    )
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    pushed = await team.push(
        team.mutation("submission", "create", uuid.uuid4(), _interview(cycle_id, 8, "full")),
        team.mutation("submission", "create", uuid.uuid4(), _interview(cycle_id, 6, "full")),
        # three herders: too few to be counted by anyone outside the team
        team.mutation("submission", "create", uuid.uuid4(), _interview(cycle_id, 3, "none")),
    )
    assert {r["status"] for r in pushed["results"]} == {"applied"}, pushed
    for step in ("publish", "review-reasons"):
        answer = await committed_client.post(
            f"/cycles/v1/{cycle_id}/{step}", headers=coordinator.headers
        )
        assert answer.status_code == 200, answer.text
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()

    async def counts(tablet: Tablet) -> dict[str, int]:
        card = (
            await committed_client.get(
                f"/reports/v1/cycles/{cycle_id}/scorecard", headers=tablet.headers
            )
        ).json()
        (row,) = [i for i in card["indicators"] if i["key"] == "discounted_medicine"]
        return {c["option"]: c["count"] for c in row["choices"]}

    assert await counts(coordinator) == {"full": 2, "partial": 0, "none": 1}
    assert await counts(viewer) == {"full": 2, "partial": 0, "none": 0}
