"""Which way is better for a raised indicator: set on tablets when a facilitator selects it,
merged like any single value, and still set by coordinators once the set is frozen."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme

pytestmark = pytest.mark.asyncio


def cold(field: Programme, group: str = "parents", **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(field.cycle_id),
        "key": "classrooms_cold",
        "label": {"mn": "Анги танхим өвөл хүйтэн"},
        "kind": "scale",
        "raised_by": [group],
    } | extra


async def _team(client: AsyncClient, database: Database):  # type: ignore[no-untyped-def]
    field = await programme(database)
    a = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    b = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    return field, a, b


async def _listed(client: AsyncClient, field: Programme, tablet: Tablet) -> dict[str, Any]:
    answer = await client.get(f"/cycles/v1/{field.cycle_id}/indicators", headers=tablet.headers)
    assert answer.status_code == 200, answer.text
    return {i["key"]: i for i in answer.json()}


async def test_two_tablets_setting_different_directions_offline_conflict(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _team(committed_client, committed_database)
    record = uuid.uuid4()
    await a.push(a.mutation("cycle_indicator", "create", record, cold(field)))
    # both tablets hold version 1, direction unset, and go offline
    first = await a.push(
        a.mutation(
            "cycle_indicator",
            "update",
            record,
            {"status": "selected", "better": "lower"},
            base_version=1,
            base={"status": "proposed", "better": None},
        )
    )
    second = await b.push(
        b.mutation(
            "cycle_indicator",
            "update",
            record,
            {"status": "selected", "better": "higher"},
            base_version=1,
            base={"status": "proposed", "better": None},
        )
    )
    assert first["results"][0]["status"] == "applied"
    assert second["results"][0]["status"] == "conflict"
    conflicts = await committed_client.get(
        "/sync/v1/conflicts", params={"status": "open"}, headers=a.headers
    )
    (conflict,) = [c for c in conflicts.json() if c["record_id"] == str(record)]
    assert (conflict["field"], conflict["base_value"]) == ("better", None)
    assert (conflict["server_value"], conflict["device_value"]) == ("lower", "higher")
    # the first to reach the server stands until someone settles it
    assert (await _listed(committed_client, field, a))["classrooms_cold"]["better"] == "lower"


async def test_a_direction_set_on_one_tablet_stands_beside_another_tablets_edit(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _team(committed_client, committed_database)
    record = uuid.uuid4()
    await a.push(a.mutation("cycle_indicator", "create", record, cold(field)))
    await a.push(
        a.mutation("cycle_indicator", "update", record, {"better": "lower"}, base_version=1)
    )
    # the other tablet, still at version 1, selects without saying a direction
    merged = await b.push(
        b.mutation(
            "cycle_indicator",
            "update",
            record,
            {"status": "selected"},
            base_version=1,
            base={"status": "proposed"},
        )
    )
    assert merged["results"][0]["status"] == "merged"
    shown = (await _listed(committed_client, field, a))["classrooms_cold"]
    assert (shown["status"], shown["better"]) == ("selected", "lower")
    pulled = [c for c in await b.pull_all() if c["id"] == str(record)]
    assert pulled[-1]["data"]["better"] == "lower"


async def test_the_same_issue_raised_twice_keeps_the_standing_direction_or_takes_the_newcomers(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _team(committed_client, committed_database)
    unset, told, again = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await a.push(a.mutation("cycle_indicator", "create", unset, cold(field)))
    # raised again on another tablet, with a direction: the standing one takes it
    pushed = await b.push(
        b.mutation("cycle_indicator", "create", told, cold(field, "students", better="lower")),
        # and a third time, the other way: the direction now set stands
        b.mutation("cycle_indicator", "create", again, cold(field, "teachers", better="higher")),
    )
    assert [r["status"] for r in pushed["results"]] == ["applied", "applied"]
    (standing,) = (await _listed(committed_client, field, a)).values()
    assert standing["id"] == str(unset)
    assert (standing["better"], sorted(standing["raised_by"])) == (
        "lower",
        ["parents", "students", "teachers"],
    )
    # tablets receive the standing indicator's new version
    pulled = [c for c in await a.pull_all() if c["id"] == str(unset)]
    assert (pulled[-1]["version"], pulled[-1]["data"]["better"]) == (2, "lower")


async def test_a_coordinator_sets_the_direction_after_the_freeze_a_facilitator_may_not(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, _ = await _team(committed_client, committed_database)
    record = uuid.uuid4()
    await a.push(a.mutation("cycle_indicator", "create", record, cold(field, status="selected")))
    await field.cycle_phase("self_assessment")
    late = await a.push(
        a.mutation("cycle_indicator", "update", record, {"better": "lower"}, base_version=1)
    )
    assert late["results"][0]["error"]["code"] == "cycle_indicator.frozen"
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    set_late = await coordinator.push(
        coordinator.mutation(
            "cycle_indicator", "update", record, {"better": "lower"}, base_version=1
        ),
        # the direction, yes; the rest of the frozen set, no
        coordinator.mutation(
            "cycle_indicator",
            "update",
            record,
            {"better": "higher", "raised_by": ["parents", "pupils"]},
            base_version=2,
        ),
    )
    assert [r["status"] for r in set_late["results"]] == ["applied", "rejected"]
    assert set_late["results"][1]["error"]["code"] == "cycle_indicator.frozen"
    assert (await _listed(committed_client, field, a))["classrooms_cold"]["better"] == "lower"
