"""Attacks on the disclosure and access rules, as a viewer, a provider or a facilitator of
another aimag would try them with their own accounts and the public API.

The scene: school A in Uvs with parents' groups of 9 and 6 people and a teachers' group of 3
(too small for anyone outside the team), with reasons; school B in Uvs with one group of 8.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.cycles.models import Cycle
from backend.database.session import Database
from backend.sync.models import Conflict
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.sync_data import action_item, submission

pytestmark = pytest.mark.asyncio

ATTENDANCE = "teacher_attendance"


@dataclass
class Scene:
    school: Programme
    other: Programme
    team: Tablet
    coordinator: Tablet
    viewer: Tablet
    provider: Tablet
    small_group: str  # the id of the teachers' submission


def _group(kind: str, people: int, score: int) -> dict:
    answers = school_answers(score)
    answers[ATTENDANCE] = {"value": score, "reason": f"{kind} say {score}", "suggestion": None}
    female = people // 2
    return {
        "group": {"type": kind, "participants": {"female": female, "male": people - female}},
        "answers": answers,
    }


async def _scene(client: AsyncClient, database: Database) -> Scene:
    school, other = await programme(database), await programme(database)
    team = await Tablet(client, await school.user(Role.FACILITATOR)).sign_in()
    ids = [str(uuid.uuid4()) for _ in range(4)]
    pushed = await team.push(
        team.mutation(
            "submission", "create", ids[0], submission(school, **_group("parents", 9, 2))
        ),
        team.mutation(
            "submission", "create", ids[1], submission(school, **_group("parents", 6, 3))
        ),
        team.mutation(
            "submission", "create", ids[2], submission(school, **_group("teachers", 3, 5))
        ),
        team.mutation("submission", "create", ids[3], submission(other, **_group("parents", 8, 4))),
    )
    assert [r["status"] for r in pushed["results"]] == ["applied"] * 4, pushed
    return Scene(
        school=school,
        other=other,
        team=team,
        coordinator=await Tablet(client, await school.user(Role.COORDINATOR)).sign_in(),
        viewer=await Tablet(client, await school.user(Role.VIEWER)).sign_in(),
        provider=await Tablet(client, await school.user(Role.PROVIDER)).sign_in(),
        small_group=ids[2],
    )


async def _publish(client: AsyncClient, scene: Scene, *cycles: uuid.UUID) -> None:
    """The rounds reach the interface meeting (the comparison is the provider's to read too),
    and are published with their reasons reviewed."""
    for cycle_id in cycles:
        async with scene.school.database.sessionmaker() as db, db.begin():
            (await db.get_one(Cycle, cycle_id)).phase = "interface_meeting"
        for step in ("publish", "review-reasons"):
            response = await client.post(
                f"/cycles/v1/{cycle_id}/{step}", headers=scene.coordinator.headers
            )
            assert response.status_code == 200, response.text


async def _rollup(client: AsyncClient, tablet: Tablet, by: str) -> dict[str, dict]:
    response = await client.get(
        "/reports/v1/rollup",
        params={"area": "MN-046", "template": "parent_engagement", "by": by},
        headers=tablet.headers,
    )
    assert response.status_code == 200, response.text
    return {row["unit"]: row for row in response.json()["rows"] if row["indicator"] == ATTENDANCE}


async def test_the_aimag_figure_minus_the_visible_schools_leaves_nothing(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    scene = await _scene(committed_client, committed_database)
    await _publish(committed_client, scene, scene.school.cycle_id, scene.other.cycle_id)
    for outsider in (scene.viewer, scene.provider):
        schools = await _rollup(committed_client, outsider, "facility")
        aimag = (await _rollup(committed_client, outsider, "aimag"))["MN-046"]
        # every person and every score in the aimag's figure is in a school's figure it shows
        assert aimag["community_scores"] == sum(r["community_scores"] for r in schools.values())
        # the aimag's figure is the mean of the schools' figures it shows (each school
        # weighing the same), so it holds nothing they do not
        assert aimag["facilities"] == len(schools)
        shown = sum(r["community"] for r in schools.values()) / len(schools)
        assert aimag["community"] == pytest.approx(shown, abs=0.01)
        # and the three teachers' 5 is in none of them
        assert schools[str(scene.school.facility_id)]["community"] == 2.5
    viewer_aimag = (await _rollup(committed_client, scene.viewer, "aimag"))["MN-046"]
    # school A: parents 2 and 3 → 2.5; school B: 4 → (2.5 + 4) / 2
    assert (viewer_aimag["community_scores"], viewer_aimag["community"]) == (3, 3.25)
    # the team that collected the round counts the teachers: A (2 + 3 + 5) / 3, B 4
    inside = (await _rollup(committed_client, scene.coordinator, "aimag"))["MN-046"]
    assert (inside["community_scores"], inside["community"]) == (4, 3.67)


async def test_min_median_and_max_never_pin_a_hidden_group(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    scene = await _scene(committed_client, committed_database)
    await _publish(committed_client, scene, scene.school.cycle_id)
    path = f"/reports/v1/cycles/{scene.school.cycle_id}/scorecard"
    for outsider in (scene.viewer, scene.provider):
        card = (await committed_client.get(path, headers=outsider.headers)).json()
        attendance = next(i for i in card["indicators"] if i["key"] == ATTENDANCE)
        overall = attendance["community"]
        assert (overall["n"], overall["min"], overall["median"], overall["max"]) == (
            2,
            2.0,
            2.5,
            3.0,
        )
        assert [g["group"] for g in attendance["community_groups"]] == ["parents"]
        # reviewed reasons of the groups that count, never the small group's
        assert sorted(r["reason"] for r in attendance["reasons"]) == [
            "parents say 2",
            "parents say 3",
        ]
        for export in ("scorecard.csv", "scorecard.html?lang=en"):
            page = await committed_client.get(
                f"/reports/v1/cycles/{scene.school.cycle_id}/{export}", headers=outsider.headers
            )
            assert page.status_code == 200
            assert "teachers say 5" not in page.text
            # no row of the small group in the CSV, which names groups
            assert ",teachers," not in page.text
            assert ",Багш нар," not in page.text


async def test_a_later_round_does_not_carry_a_hidden_earlier_one(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    scene = await _scene(committed_client, committed_database)
    coordinator = scene.coordinator.headers
    await committed_client.post(
        f"/cycles/v1/{scene.school.cycle_id}/advance", json={"to": "closed"}, headers=coordinator
    )
    opened = await committed_client.post(
        "/cycles/v1",
        headers=coordinator,
        json={
            "facility_id": str(scene.school.facility_id),
            "template_version_id": str(scene.school.template_version_id),
            "label": "2027 spring",
        },
    )
    later = opened.json()["id"]
    await committed_client.post(
        f"/cycles/v1/{later}/advance", json={"to": "community_scoring"}, headers=coordinator
    )
    await scene.team.pull_all()
    data = submission(scene.school, **_group("parents", 10, 4)) | {"cycle_id": later}
    await scene.team.push(scene.team.mutation("submission", "create", uuid.uuid4(), data))
    await _publish(committed_client, scene, uuid.UUID(later))  # the earlier round stays unpublished

    path = f"/reports/v1/cycles/{later}/scorecard"
    viewer = (await committed_client.get(path, headers=scene.viewer.headers)).json()
    attendance = next(i for i in viewer["indicators"] if i["key"] == ATTENDANCE)
    # the viewer may not see the earlier round: no previous mean, no change
    assert (attendance["previous_mean"], attendance["change"]) == (None, None)
    earlier = f"/reports/v1/cycles/{scene.school.cycle_id}/scorecard"
    assert (await committed_client.get(earlier, headers=scene.viewer.headers)).status_code == 404
    # the provider sees its own earlier round, without the teachers: (2 + 3) / 2
    provider = (await committed_client.get(path, headers=scene.provider.headers)).json()
    attendance = next(i for i in provider["indicators"] if i["key"] == ATTENDANCE)
    assert (attendance["previous_mean"], attendance["change"]) == (2.5, 1.5)
    team = (await committed_client.get(path, headers=scene.team.headers)).json()
    attendance = next(i for i in team["indicators"] if i["key"] == ATTENDANCE)
    assert attendance["previous_mean"] == 3.33


async def test_unpublished_rounds_do_not_exist_for_a_viewer(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    scene = await _scene(committed_client, committed_database)
    item = str(uuid.uuid4())
    pushed = await scene.team.push(
        scene.team.mutation("action_item", "create", item, action_item(scene.school))
    )
    assert pushed["results"][0]["status"] == "applied", pushed
    headers = scene.viewer.headers
    cycle = f"/cycles/v1/{scene.school.cycle_id}"

    async def seen() -> tuple[int, set[str], set[str]]:
        one = (await committed_client.get(cycle, headers=headers)).status_code
        listed = (await committed_client.get("/cycles/v1", headers=headers)).json()["items"]
        items = (await committed_client.get("/action-plans/v1/items", headers=headers)).json()
        return one, {c["id"] for c in listed}, {i["id"] for i in items["items"]}

    assert await seen() == (404, set(), set())
    await _publish(committed_client, scene, scene.school.cycle_id)
    assert await seen() == (200, {str(scene.school.cycle_id)}, {item})


async def test_conflicts_and_histories_are_for_those_who_settle_them(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    scene = await _scene(committed_client, committed_database)
    async with committed_database.sessionmaker() as db, db.begin():
        db.add(
            Conflict(
                entity="submission",
                record_id=uuid.UUID(scene.small_group),
                facility_id=scene.school.facility_id,
                field=f"answers.{ATTENDANCE}",
                base_value={"value": 5},
                server_value={"value": 4, "reason": "the teachers' words"},
                device_value={"value": 1},
                base_version=1,
                server_version=2,
                user_id=scene.team.user.id,
            )
        )
    await _publish(committed_client, scene, scene.school.cycle_id)
    history = f"/sync/v1/history/submission/{scene.small_group}"
    unknown = f"/sync/v1/history/submission/{uuid.uuid4()}"
    for outsider in (scene.viewer, scene.provider):
        conflicts = await committed_client.get("/sync/v1/conflicts", headers=outsider.headers)
        assert conflicts.json() == []
        mine = await committed_client.get(history, headers=outsider.headers)
        never = await committed_client.get(unknown, headers=outsider.headers)
        assert (mine.status_code, mine.json()["code"]) == (never.status_code, never.json()["code"])
        assert mine.status_code == 404
    listed = await committed_client.get("/sync/v1/conflicts", headers=scene.coordinator.headers)
    assert [c["record_id"] for c in listed.json()] == [scene.small_group]
    seen = await committed_client.get(history, headers=scene.coordinator.headers)
    assert seen.status_code == 200


async def test_the_integrity_check_answers_a_foreign_id_like_an_unknown_one(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    scene = await _scene(committed_client, committed_database)
    khovd = await Tablet(
        committed_client, await scene.school.user(Role.FACILITATOR, areas=["MN-043"])
    ).sign_in()
    random_id = str(uuid.uuid4())
    for asker in (khovd, scene.provider, scene.viewer):
        response = await committed_client.post(
            "/sync/v1/integrity",
            json={"entity": "submission", "ids": [scene.small_group, random_id]},
            headers=asker.headers,
        )
        assert response.status_code == 200, response.text
        assert response.json() == {
            "deleted": [],
            "out_of_scope": [],
            "unknown": [scene.small_group, random_id],
        }


async def test_a_push_answers_a_hidden_record_like_one_that_does_not_exist(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    scene = await _scene(committed_client, committed_database)
    # the provider learned the id of the teachers' group (at its own school) somewhere
    edit = {"answers": {ATTENDANCE: {"value": 1, "reason": None, "suggestion": None}}}
    answers = []
    for record_id in (scene.small_group, str(uuid.uuid4())):
        pushed = await scene.provider.push(
            scene.provider.mutation("submission", "update", record_id, edit, base_version=1),
            scene.provider.mutation("submission", "delete", record_id, base_version=1),
        )
        answers.append([(r["status"], r["error"]["code"]) for r in pushed["results"]])
    hidden, unknown = answers
    assert hidden == unknown == [("rejected", "sync.unknown_record")] * 2


async def test_a_viewers_pulled_versions_do_not_count_what_happens_elsewhere(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    scene = await _scene(committed_client, committed_database)
    await _publish(committed_client, scene, scene.school.cycle_id)

    async def round_version() -> int:
        changes = await scene.viewer.pull_all()
        return next(
            c["version"]
            for c in changes
            if c["entity"] == "cycle" and c["id"] == str(scene.school.cycle_id)
        )

    before = await round_version()
    # busy work the viewer may not see: submissions at the other school's unpublished round
    await scene.team.push(
        *(
            scene.team.mutation(
                "submission",
                "create",
                uuid.uuid4(),
                submission(scene.other, **_group("parents", 9, 3)),
            )
            for _ in range(3)
        )
    )
    await committed_client.post(
        f"/cycles/v1/{scene.school.cycle_id}/advance",
        json={"to": "action_plan"},
        headers=scene.coordinator.headers,
    )
    # the round changed once more; nothing else shows in its version
    assert await round_version() == before + 1
