"""Which groups raised an issue, and what became of it, are the community's word. Tried as a
facility head during its self-assessment: filing its own indicator as merged into the parents'
issue would add its groups to those the issue shows as raising it, and its key to the issue's.
Refused with a code; the issue reads as the groups raised it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme

pytestmark = pytest.mark.asyncio


def indicator(field: Programme, key: str, groups: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(field.cycle_id),
        "key": key,
        "label": {"mn": "Хичээлийн байр хүйтэн"},
        "kind": "scale",
        "raised_by": groups,
    } | extra


def outcome(answer: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    return [
        (r["status"], (r.get("error") or {}).get("code"), (r.get("error") or {}).get("field"))
        for r in answer["results"]
    ]


async def test_a_provider_cannot_merge_its_indicator_into_a_community_issue(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    head = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    issue = uuid.uuid4()
    raised = await team.push(
        team.mutation("cycle_indicator", "create", issue, indicator(field, "cold", ["parents"])),
        team.mutation("cycle_indicator", "update", issue, {"status": "selected"}, base_version=1),
    )
    assert outcome(raised) == [("applied", None, None)] * 2
    # while the groups meet, the head cannot add its staff to the parents' issue either
    added = await head.push(
        head.mutation(
            "cycle_indicator", "update", issue, {"raised_by": ["parents", "staff"]}, base_version=2
        )
    )
    assert outcome(added) == [("rejected", "cycle_indicator.not_allowed", None)]

    await field.cycle_phase("self_assessment")
    own = uuid.uuid4()
    attempt = await head.push(
        head.mutation(
            "cycle_indicator",
            "create",
            uuid.uuid4(),
            indicator(
                field,
                "provider_heating_budget",
                ["staff", "pupils"],
                origin="provider",
                status="merged",
                merged_into=str(issue),
            ),
        ),
        head.mutation(
            "cycle_indicator",
            "create",
            own,
            indicator(field, "provider_no_fuel", ["staff"], origin="provider"),
        ),
        head.mutation(
            "cycle_indicator",
            "create",
            uuid.uuid4(),
            indicator(
                field,
                "provider_fuel_late",
                ["staff"],
                origin="provider",
                status="merged",
                merged_into=str(own),
            ),
        ),
    )

    assert outcome(attempt) == [
        ("rejected", "cycle_indicator.not_allowed", "data.merged_into"),
        ("applied", None, None),  # its own indicators it raises and merges as it likes
        ("applied", None, None),
    ]
    listed = await committed_client.get(
        f"/cycles/v1/{field.cycle_id}/indicators", headers=team.headers
    )
    shown = {i["key"]: (i["raised_by"], i["absorbed"]) for i in listed.json()}
    assert shown["cold"] == (["parents"], [])
    assert shown["provider_no_fuel"] == (["staff"], ["provider_fuel_late"])


async def test_the_community_side_still_merges_into_a_community_issue(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    team = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    issue, twin = uuid.uuid4(), uuid.uuid4()
    merged = await team.push(
        team.mutation("cycle_indicator", "create", issue, indicator(field, "cold", ["parents"])),
        team.mutation("cycle_indicator", "create", twin, indicator(field, "chilly", ["pupils"])),
        team.mutation(
            "cycle_indicator",
            "update",
            twin,
            {"status": "merged", "merged_into": str(issue)},
            base_version=1,
        ),
    )

    assert outcome(merged) == [("applied", None, None)] * 3
    listed = await committed_client.get(
        f"/cycles/v1/{field.cycle_id}/indicators", headers=team.headers
    )
    assert [(i["key"], i["raised_by"]) for i in listed.json()] == [("cold", ["parents", "pupils"])]
