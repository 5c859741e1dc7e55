"""The table of who writes the fields that decide what a record says (backend/auth/writers.py),
tried both ways: every role, on every field of every record kind in it, by the route that
field is written by. Each role the table names may; each role it leaves out is refused."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.auth.writers import WRITERS
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme
from tests.support.sync_data import action_item

TODAY = datetime.now(ZoneInfo("Asia/Ulaanbaatar")).date().isoformat()
# a push refused as a whole (a viewer's: 403) or item by item; what each refusal said
Refusal = str
Attempt = Callable[[Role, Tablet], Awaitable[Refusal | None]]


def expected(kind: str, field: str) -> dict[Role, bool]:
    return {role: role in WRITERS[kind][field] for role in Role}


async def tablets(
    client: AsyncClient, field: Programme, facilities: list[uuid.UUID]
) -> dict[Role, Tablet]:
    """A signed-in tablet of each role, in scope of every facility given (all in Uvs)."""
    signed_in = {}
    for role in Role:
        scope: dict[str, Any] = (
            {"facilities": facilities} if role is Role.PROVIDER else {"areas": ["MN-046"]}
        )
        signed_in[role] = await Tablet(client, await field.user(role, **scope)).sign_in()
    return signed_in


async def pushed(tablet: Tablet, mutation: dict[str, Any]) -> Refusal | None:
    """None when the mutation was taken; else the refusal's code."""
    response = await tablet.push_raw([mutation])
    if response.status_code != 200:
        return f"{response.status_code} {response.json()['code']}"
    (result,) = response.json()["results"]
    if result["status"] in ("applied", "merged"):
        return None
    return str(result["error"]["code"])


def answered(response: httpx.Response, ok: int) -> Refusal | None:
    if response.status_code == ok:
        return None
    return f"{response.status_code} {response.json()['code']}"


async def walk(attempt: Attempt, signed_in: dict[Role, Tablet]) -> dict[Role, Refusal | None]:
    return {role: await attempt(role, tablet) for role, tablet in signed_in.items()}


def allowed(outcomes: dict[Role, Refusal | None]) -> dict[Role, bool]:
    return {role: refusal is None for role, refusal in outcomes.items()}


async def _setup(
    client: AsyncClient, database: Database, count: int, phase: str
) -> tuple[list[Programme], Tablet, dict[Role, Tablet]]:
    """`count` schools in Uvs, each with a round in `phase`; the team's tablet that prepares
    the records; a tablet of each role that tries."""
    fields = [await programme(database) for _ in range(count)]
    team = await Tablet(client, await fields[0].user(Role.FACILITATOR)).sign_in()
    signed_in = await tablets(client, fields[0], [f.facility_id for f in fields])
    for field in fields:
        await field.cycle_phase(phase)
    return fields, team, signed_in


def raised(field: Programme, key: str, **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(field.cycle_id),
        "key": key,
        "label": {"mn": "Жорлон түгжээтэй байдаг"},
        "kind": "scale",
        "raised_by": ["parents"],
    } | extra


@pytest.mark.asyncio
async def test_a_community_issues_outcome_and_groups(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    """Edited while the groups meet, on each role's own school."""
    roles = list(Role)
    fields, team, signed_in = await _setup(
        committed_client, committed_database, len(roles), "community_scoring"
    )
    issues: dict[Role, list[uuid.UUID]] = {}
    for role, field in zip(roles, fields, strict=True):
        issues[role] = [uuid.uuid4() for _ in range(3)]
        made = await team.push(
            *(
                team.mutation("cycle_indicator", "create", issue, raised(field, f"issue_{n}"))
                for n, issue in enumerate(issues[role])
            )
        )
        assert [r["status"] for r in made["results"]] == ["applied"] * 3

    changes = {
        "status": lambda role: (issues[role][0], {"status": "dropped"}),
        "merged_into": lambda role: (
            issues[role][1],
            {"status": "merged", "merged_into": str(issues[role][2])},
        ),
        "raised_by": lambda role: (issues[role][2], {"raised_by": ["parents", "teachers"]}),
    }
    for name, change in changes.items():

        async def edit(role: Role, tablet: Tablet, change: Any = change) -> Refusal | None:
            record, data = change(role)
            mutation = tablet.mutation("cycle_indicator", "update", record, data, base_version=1)
            return await pushed(tablet, mutation)

        outcomes = await walk(edit, signed_in)
        assert allowed(outcomes) == expected("community_indicator", name), (name, outcomes)
        assert outcomes[Role.PROVIDER] == "cycle_indicator.not_allowed"


@pytest.mark.asyncio
async def test_a_providers_own_issue_as_it_is_raised(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    (field,), _, signed_in = await _setup(
        committed_client, committed_database, 1, "self_assessment"
    )
    head = signed_in[Role.PROVIDER]
    first = uuid.uuid4()
    await head.push(
        head.mutation(
            "cycle_indicator", "create", first, raised(field, "provider_first", origin="provider")
        )
    )
    stated = {
        "status": {"status": "selected"},
        "merged_into": {"status": "merged", "merged_into": str(first)},
        "raised_by": {"raised_by": ["staff", "teachers"]},
    }
    for name, data in stated.items():

        async def raise_(role: Role, tablet: Tablet, name: str = name, data: Any = data):  # type: ignore[no-untyped-def]
            key = f"provider_{role.value}_{name}"
            values = raised(field, key, origin="provider") | data
            return await pushed(
                tablet, tablet.mutation("cycle_indicator", "create", uuid.uuid4(), values)
            )

        outcomes = await walk(raise_, signed_in)
        assert allowed(outcomes) == expected("provider_indicator", name), (name, outcomes)


async def _items(team: Tablet, field: Programme, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    made = await team.push(
        *(
            team.mutation("action_item", "create", item, action_item(field, cost_mnt=1_000_000))
            for item in ids
        )
    )
    assert [r["status"] for r in made["results"]] == ["applied"] * count, made
    return ids


@pytest.mark.asyncio
async def test_an_action_items_status_and_cost_before_the_plan_is_agreed(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    (field,), team, signed_in = await _setup(
        committed_client, committed_database, 1, "community_scoring"
    )
    items = dict(zip(Role, [await _items(team, field, 3) for _ in Role], strict=True))
    changes = {
        "status": (0, {"status": "in_progress"}),
        "cost_mnt": (1, {"cost_mnt": 1_250_000}),
        # nobody writes approval from a tablet: it is decided on the server (below)
        "approval": (2, {"approval": "approved"}),
    }
    for name, (which, data) in changes.items():

        async def edit(role: Role, tablet: Tablet, which: int = which, data: Any = data):  # type: ignore[no-untyped-def]
            mutation = tablet.mutation(
                "action_item", "update", items[role][which], data, base_version=1
            )
            return await pushed(tablet, mutation)

        outcomes = await walk(edit, signed_in)
        if name == "approval":
            assert set(outcomes.values()) == {"sync.invalid_data", "403 auth.forbidden"}
        else:
            assert allowed(outcomes) == expected("action_item", name), (name, outcomes)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "phase"), [("action_item", "interface_meeting"), ("agreed_action_item", "action_plan")]
)
async def test_a_plans_approval(
    committed_client: AsyncClient, committed_database: Database, kind: str, phase: str
) -> None:
    """Decided on each role's own school's plan, made by the team (four eyes hold)."""
    roles = list(Role)
    fields, team, signed_in = await _setup(committed_client, committed_database, len(roles), phase)
    plans = {}
    for role, field in zip(roles, fields, strict=True):
        (item,) = await _items(team, field, 1)
        plans[role] = (field.cycle_id, item)

    async def decide(role: Role, tablet: Tablet) -> Refusal | None:
        cycle_id, item = plans[role]
        response = await tablet.client.post(
            f"/action-plans/v1/cycles/{cycle_id}/decisions",
            json={"decision": "approved", "items": [{"id": str(item), "version": 1}]},
            headers=tablet.headers,
        )
        return answered(response, 201)

    outcomes = await walk(decide, signed_in)
    assert allowed(outcomes) == expected(kind, "approval"), outcomes


@pytest.mark.asyncio
async def test_an_agreed_items_end_and_cost(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    (field,), team, signed_in = await _setup(
        committed_client, committed_database, 1, "interface_meeting"
    )
    items = dict(zip(Role, [await _items(team, field, 2) for _ in Role], strict=True))
    await field.cycle_phase("action_plan")

    async def drop(role: Role, tablet: Tablet) -> Refusal | None:
        report = {
            "action_item_id": str(items[role][0]),
            "status": "dropped",
            "reported_on": TODAY,
            "note": "The soum pays for it from its own fund",
        }
        return await pushed(
            tablet, tablet.mutation("action_update", "create", uuid.uuid4(), report)
        )

    async def revise(role: Role, tablet: Tablet) -> Refusal | None:
        response = await tablet.client.post(
            f"/action-plans/v1/items/{items[role][1]}/revisions",
            json={"cost_mnt": 1_500_000, "reason": "The plumber's quote came in higher"},
            headers=tablet.headers,
        )
        return answered(response, 201)

    dropped = await walk(drop, signed_in)
    revised = await walk(revise, signed_in)

    assert allowed(dropped) == expected("agreed_action_item", "status"), dropped
    assert dropped[Role.PROVIDER] == "action_update.drop_not_allowed"
    assert allowed(revised) == expected("agreed_action_item", "cost_mnt"), revised


def test_the_table_is_walked_whole() -> None:
    """Every field of the table is tried above; a field added to it needs its attempt here."""
    tried = {
        "community_indicator": {"status", "merged_into", "raised_by"},
        "provider_indicator": {"status", "merged_into", "raised_by"},
        "action_item": {"status", "cost_mnt", "approval"},
        "agreed_action_item": {"status", "cost_mnt", "approval"},
    }
    assert {kind: set(fields) for kind, fields in WRITERS.items()} == tried
    # viewers read results; they write none of it
    assert not any(Role.VIEWER in roles for fields in WRITERS.values() for roles in fields.values())
