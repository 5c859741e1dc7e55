"""A round's raised indicators in its scorecard: scored beside the template's, with the groups
that raised them, under the same disclosure rule cell by cell."""

import uuid

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Tablet, programme, school_answers
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio


def _group(kind: str, people: int, score: int) -> dict:
    answers = school_answers(3) | {"toilets_locked": {"value": score, "reason": None}}
    return {
        "group": {"type": kind, "participants": {"female": people - 1, "male": 1}},
        "answers": answers,
    }


async def test_a_raised_indicator_is_scored_and_a_small_group_cell_hidden_from_a_viewer(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    await field.cycle_phase("community_scoring")
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    indicator = uuid.uuid4()
    pushed = await team.push(
        team.mutation(
            "cycle_indicator",
            "create",
            indicator,
            {
                "cycle_id": str(field.cycle_id),
                "key": "toilets_locked",
                "label": {"mn": "Жорлон цоожтой", "en": "Toilets are locked"},
                "kind": "scale",
                "raised_by": ["parents"],
                "status": "selected",
            },
        ),
        team.mutation(
            "submission", "create", uuid.uuid4(), submission(field, **_group("parents", 9, 2))
        ),
        team.mutation(
            "submission", "create", uuid.uuid4(), submission(field, **_group("parents", 6, 3))
        ),
        team.mutation(
            "submission", "create", uuid.uuid4(), submission(field, **_group("teachers", 3, 5))
        ),
    )
    assert [r["status"] for r in pushed["results"]] == ["applied"] * 4, pushed
    for step in ("publish", "review-reasons"):
        answer = await committed_client.post(
            f"/cycles/v1/{field.cycle_id}/{step}", headers=coordinator.headers
        )
        assert answer.status_code == 200, answer.text

    async def row(tablet: Tablet) -> dict:
        card = await committed_client.get(
            f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=tablet.headers
        )
        assert card.status_code == 200, card.text
        (found,) = [i for i in card.json()["indicators"] if i["key"] == "toilets_locked"]
        return found

    inside, outside = await row(coordinator), await row(viewer)
    # the round had a group of three: naming the parents would point at it as the other
    # group of the round, so outsiders read "raised by the community"
    for seen, raised_by in ((inside, ["parents"]), (outside, ["community"])):
        assert (seen["origin"], seen["raised_by"], seen["label_en"]) == (
            "community",
            raised_by,
            "Toilets are locked",
        )
    # the coordinator sees all three groups; the viewer never the group of three, in no cell
    # and in no total: 2 and 3 from 15 parents, mean 2.5
    assert sorted(c["group"] for c in inside["community_groups"]) == ["parents", "teachers"]
    assert (inside["community"]["n"], inside["community"]["mean"]) == (3, 3.33)
    # on the common 0-100 scale: (10/3 - 1) / (5 - 1) = 58.3
    assert (inside["unit"], inside["community_100"]) == ("scale", 58.3)
    assert [c["group"] for c in outside["community_groups"]] == ["parents"]
    assert (outside["community"]["n"], outside["community"]["mean"]) == (2, 2.5)
    assert outside["community"]["participants"] == 15
    assert outside["community"]["max"] == 3
    # the page and the download say "raised by the community", and name no group at all
    for language, said in (("en", "Raised by the community"), ("mn", "Иргэд өөрсдөө дэвшүүлсэн")):
        page = await committed_client.get(
            f"/reports/v1/cycles/{field.cycle_id}/scorecard.html",
            params={"lang": language},
            headers=viewer.headers,
        )
        raised_line = page.text.split('data-origin="community">')[1].split("</div>")[0]
        assert raised_line == said, raised_line
        table = await committed_client.get(
            f"/reports/v1/cycles/{field.cycle_id}/scorecard.csv",
            params={"lang": language},
            headers=viewer.headers,
        )
        assert f"{said}:" not in table.content.decode("utf-8-sig")


async def test_the_demo_autumn_page_shows_the_groups_own_indicators(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    from backend.seed import demo

    async with committed_database.sessionmaker() as db, db.begin():
        await demo.seed(db, password="demo-password")
    login = await committed_client.post(
        "/auth/v1/login", json={"username": "demo_coordinator", "password": "demo-password"}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    cycles = await committed_client.get("/cycles/v1", params={"limit": 200}, headers=headers)
    autumn = [c for c in cycles.json()["items"] if c["phase"] == "follow_up"]
    assert autumn
    page = await committed_client.get(
        f"/reports/v1/cycles/{autumn[0]['id']}/scorecard.html",
        params={"lang": "en"},
        headers=headers,
    )
    assert page.status_code == 200, page.text
    assert "Raised by the community" in page.text


async def test_choice_answers_are_shown_as_how_often_each_option_was_chosen(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    checked = [["heating", "food"], ["heating"], ["heating", "hot_water"]]
    pushed = await team.push(
        *(
            team.mutation(
                "submission",
                "create",
                uuid.uuid4(),
                submission(
                    field,
                    respondent="monitor",
                    group=None,
                    answers={
                        "budget_published": {"value": True},
                        "textbooks_per_pupil": {"value": {"entitled": 10, "actual": 8}},
                        "toilets_and_water": {"value": True},
                        "dormitory_checklist": {"value": options},
                    },
                ),
            )
            for options in checked
        )
    )
    assert {r["status"] for r in pushed["results"]} == {"applied"}, pushed
    card = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=team.headers
    )
    (row,) = [i for i in card.json()["indicators"] if i["key"] == "dormitory_checklist"]
    assert {c["option"]: c["count"] for c in row["choices"]} == {
        "heating": 3,
        "hot_water": 1,
        "food": 1,
        "supervision": 0,
    }
