"""A provider is a facility's head: it belongs to its facilities, never to an area. Tried as an
admin would misconfigure one and as that provider would then try its luck: the API and the CLI
refuse the area, and an area given to a provider before the rule gives it nothing (another
school's unpublished round, its head's self-assessment, its plan to approve or cut)."""

from __future__ import annotations

import uuid

import pytest
from click.testing import CliRunner
from httpx import AsyncClient

from backend.auth.models import Role, UserArea
from backend.cli import main
from backend.database.session import Database
from tests.support.field import Tablet, programme, school_answers
from tests.support.sync_data import action_item, submission

pytestmark = pytest.mark.asyncio


async def _admin(client: AsyncClient, prog: object) -> Tablet:
    return await Tablet(client, await prog.user(Role.ADMIN)).sign_in()  # type: ignore[attr-defined]


async def test_an_admin_cannot_give_a_provider_an_area(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    prog = await programme(committed_database)
    admin = await _admin(committed_client, prog)
    created = await committed_client.post(
        "/admin/v1/users",
        headers=admin.headers,
        json={
            "username": "head.with.area",
            "display_name": "Head",
            "role": "provider",
            "password": "a long password",
            "area_codes": ["MN-046"],
        },
    )
    assert created.status_code == 400, created.text
    assert (created.json()["code"], created.json()["field"]) == ("user.provider_area", "area_codes")

    head = await prog.user(Role.PROVIDER)
    widened = await committed_client.patch(
        f"/admin/v1/users/{head.id}", headers=admin.headers, json={"area_codes": ["MN-046"]}
    )
    assert widened.status_code == 400
    assert widened.json()["code"] == "user.provider_area"

    # a monitor of the aimag turned into a provider keeps the aimag unless it is taken away
    monitor = await prog.user(Role.MONITOR)
    turned = await committed_client.patch(
        f"/admin/v1/users/{monitor.id}", headers=admin.headers, json={"role": "provider"}
    )
    assert turned.status_code == 400
    assert turned.json()["code"] == "user.provider_area"
    reshaped = await committed_client.patch(
        f"/admin/v1/users/{monitor.id}",
        headers=admin.headers,
        json={"role": "provider", "area_codes": [], "facility_ids": [str(prog.facility_id)]},
    )
    assert reshaped.status_code == 200, reshaped.text


def test_the_cli_refuses_a_provider_with_an_area(committed_database_url: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "user",
            "create",
            "--username",
            "head.of.aimag",
            "--password",
            "field-season-2026",
            "--role",
            "provider",
            "--area",
            "MN-046",
        ],
        env={"DATABASE_URL": committed_database_url},
    )
    assert result.exit_code != 0
    assert "user.provider_area" in result.output


async def test_an_area_given_to_a_provider_before_the_rule_gives_it_nothing(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    own = await programme(committed_database)
    other = await programme(committed_database)
    head = await own.user(Role.PROVIDER)
    # as an older version of the service allowed: the aimag in the head's scope
    async with committed_database.sessionmaker() as db, db.begin():
        db.add(UserArea(user_id=head.id, area_code="MN-046"))

    other_head = await Tablet(committed_client, await other.user(Role.PROVIDER)).sign_in()
    self_score = submission(other, respondent="provider", group=None)
    self_score["answers"] = {
        k: v for k, v in school_answers(5).items() if k != "informal_contributions"
    }
    self_score["answers"]["textbooks_per_pupil"] = {"value": {"entitled": 12, "actual": 12}}
    await other.cycle_phase("self_assessment")
    pushed = await other_head.push(
        other_head.mutation("submission", "create", uuid.uuid4(), self_score)
    )
    assert pushed["results"][0]["status"] == "applied", pushed["results"][0]
    team = await Tablet(committed_client, await other.user(Role.FACILITATOR)).sign_in()
    await other.cycle_phase("interface_meeting")
    item = uuid.uuid4()
    made = await team.push(
        team.mutation("action_item", "create", item, action_item(other, cost_mnt=5_000_000))
    )
    assert made["results"][0]["status"] == "applied", made["results"][0]

    reader = await Tablet(committed_client, head).sign_in()
    for path in (
        f"/cycles/v1/{other.cycle_id}",
        f"/reports/v1/cycles/{other.cycle_id}/scorecard",
        f"/reports/v1/cycles/{other.cycle_id}/scorecard.html",
        f"/action-plans/v1/cycles/{other.cycle_id}/decisions",
    ):
        response = await committed_client.get(path, headers=reader.headers)
        assert response.status_code == 404, (path, response.status_code)
    listed = await committed_client.get(
        "/action-plans/v1/items", params={"area": "MN-046"}, headers=reader.headers
    )
    assert all(i["cycle_id"] != str(other.cycle_id) for i in listed.json()["items"])
    approve = await committed_client.post(
        f"/action-plans/v1/cycles/{other.cycle_id}/decisions",
        headers=reader.headers,
        json={"decision": "approved", "items": [{"id": str(item), "version": 1}]},
    )
    assert approve.status_code == 404
    revise = await committed_client.post(
        f"/action-plans/v1/items/{item}/revisions",
        headers=reader.headers,
        json={"reason": "too dear", "cost_mnt": 0},
    )
    assert revise.status_code in (403, 404)
    pulled = await reader.pull_all()
    assert str(other.facility_id) not in str(pulled)
