"""The cycle scorecard: hand-computed means, medians and gaps, and who may see what."""

import uuid

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Tablet, programme, school_answers
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio


def _group(kind: str, female: int, male: int, score: int, reason: str | None = None) -> dict:
    answers = school_answers(score)
    answers["teacher_attendance"] = {"value": score, "reason": reason, "suggestion": None}
    return {"type": kind, "participants": {"female": female, "male": male}}, answers


async def _cycle_with_scores(client: AsyncClient, database: Database):  # type: ignore[no-untyped-def]
    field = await programme(database)
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    provider = await Tablet(client, await field.user(Role.PROVIDER)).sign_in()
    mutations = []
    # teacher_attendance: parents 2 (9 people), parents 3 (6), teachers 5 (3 people)
    for kind, female, male, score, reason in (
        ("parents", 5, 4, 2, "Lessons are often cancelled"),
        ("parents", 3, 3, 3, None),
        ("teachers", 2, 1, 5, None),
    ):
        group, answers = _group(kind, female, male, score, reason)
        mutations.append(
            team.mutation(
                "submission",
                "create",
                uuid.uuid4(),
                submission(field, group=group, answers=answers),
            )
        )
    await team.push(*mutations)
    own = submission(field, respondent="provider", group=None)
    own["answers"] = {k: v for k, v in school_answers(4).items() if k != "informal_contributions"}
    own["answers"]["textbooks_per_pupil"] = {"value": {"entitled": 12, "actual": 9}}
    result = await provider.push(provider.mutation("submission", "create", uuid.uuid4(), own))
    assert result["results"][0]["status"] == "applied", result
    return field, team, provider


def _indicator(body: dict, key: str) -> dict:
    return next(i for i in body["indicators"] if i["key"] == key)


async def test_means_medians_and_gap_match_a_hand_count(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, _ = await _cycle_with_scores(committed_client, committed_database)
    response = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=team.headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    teachers = _indicator(body, "teacher_attendance")
    # community: scores 2, 3, 5 → mean 3.33, median 3; provider 4 → gap -0.67
    assert teachers["community"]["n"] == 3
    assert teachers["community"]["participants"] == 18
    assert teachers["community"]["mean"] == 3.33
    assert teachers["community"]["median"] == 3.0
    assert (teachers["community"]["min"], teachers["community"]["max"]) == (2.0, 5.0)
    assert (teachers["provider_mean"], teachers["provider_n"]) == (4.0, 1)
    assert teachers["gap"] == -0.67
    groups = {g["group"]: g for g in teachers["community_groups"]}
    assert groups["parents"]["mean"] == 2.5
    assert groups["parents"]["participants"] == 15
    assert groups["teachers"]["suppressed"] is False  # the team sees everything
    # yes/no: share answering yes
    toilets = _indicator(body, "toilets_and_water")
    assert toilets["community"]["mean"] == 1.0
    assert [r["reason"] for r in teachers["reasons"]] == ["Lessons are often cancelled"]
    assert body["suppressed_cells"] == 0


async def test_the_provider_sees_its_comparison_before_publication_without_small_groups(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, _, provider = await _cycle_with_scores(committed_client, committed_database)
    response = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=provider.headers
    )
    assert response.status_code == 200
    body = response.json()
    teachers = _indicator(body, "teacher_attendance")
    groups = {g["group"]: g for g in teachers["community_groups"]}
    # the teachers' group (3 people) never enters the provider's figures: not as a group,
    # not in the overall, so nothing is left to subtract
    assert set(groups) == {"parents"}
    assert (groups["parents"]["mean"], groups["parents"]["participants"]) == (2.5, 15)
    overall = teachers["community"]
    assert (overall["n"], overall["participants"], overall["mean"]) == (2, 15, 2.5)
    assert (overall["min"], overall["max"]) == (2.0, 3.0)
    assert teachers["gap"] == -1.5
    assert teachers["reasons"] == []  # not yet reviewed
    # told that a group too small to show existed, never its size or its scores
    assert body["suppressed_cells"] == 1


async def test_viewers_see_results_only_after_publication(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, _, _ = await _cycle_with_scores(committed_client, committed_database)
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    path = f"/reports/v1/cycles/{field.cycle_id}/scorecard"
    assert (await committed_client.get(path, headers=viewer.headers)).status_code == 404
    published = await committed_client.post(
        f"/cycles/v1/{field.cycle_id}/publish", headers=coordinator.headers
    )
    assert published.status_code == 200
    assert published.json()["published_at"] is not None
    seen = await committed_client.get(path, headers=viewer.headers)
    assert seen.status_code == 200
    assert _indicator(seen.json(), "teacher_attendance")["reasons"] == []
    await committed_client.post(
        f"/cycles/v1/{field.cycle_id}/review-reasons", headers=coordinator.headers
    )
    reviewed = await committed_client.get(path, headers=viewer.headers)
    reasons = _indicator(reviewed.json(), "teacher_attendance")["reasons"]
    assert [r["reason"] for r in reasons] == ["Lessons are often cancelled"]


async def test_nobody_sees_another_facilitys_scorecard(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, _, _ = await _cycle_with_scores(committed_client, committed_database)
    other = await programme(committed_database)
    foreign_provider = await Tablet(committed_client, await other.user(Role.PROVIDER)).sign_in()
    khovd = await Tablet(
        committed_client, await field.user(Role.FACILITATOR, areas=["MN-043"])
    ).sign_in()
    path = f"/reports/v1/cycles/{field.cycle_id}/scorecard"
    assert (await committed_client.get(path, headers=foreign_provider.headers)).status_code == 404
    assert (await committed_client.get(path, headers=khovd.headers)).status_code == 404


async def test_change_since_the_previous_round(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, team, _ = await _cycle_with_scores(committed_client, committed_database)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    await committed_client.post(
        f"/cycles/v1/{field.cycle_id}/advance", json={"to": "closed"}, headers=coordinator.headers
    )
    opened = await committed_client.post(
        "/cycles/v1",
        headers=coordinator.headers,
        json={
            "facility_id": str(field.facility_id),
            "template_version_id": str(field.template_version_id),
            "label": "2027 spring",
        },
    )
    next_cycle = opened.json()["id"]
    await committed_client.post(
        f"/cycles/v1/{next_cycle}/advance",
        json={"to": "community_scoring"},
        headers=coordinator.headers,
    )
    await team.pull_all()
    group, answers = _group("parents", 6, 6, 4)
    data = submission(field, group=group, answers=answers) | {"cycle_id": next_cycle}
    await team.push(team.mutation("submission", "create", uuid.uuid4(), data))
    body = (
        await committed_client.get(
            f"/reports/v1/cycles/{next_cycle}/scorecard", headers=team.headers
        )
    ).json()
    teachers = _indicator(body, "teacher_attendance")
    assert (teachers["previous_mean"], teachers["change"]) == (3.33, 0.67)
