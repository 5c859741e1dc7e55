"""Tags on raised indicators come from the programme's list: coordinators keep it, tablets
receive it, and a push refuses a tag that is not on it (a typo would break the link between
rounds); a retired tag is no longer offered and still accepted."""

import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme
from tests.support.identity import headers_for

pytestmark = pytest.mark.asyncio


def raised(field: Programme, key: str, **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(field.cycle_id),
        "key": key,
        "label": {"mn": "Анги өвөл хүйтэн"},
        "kind": "scale",
        "raised_by": ["parents"],
    } | extra


async def test_coordinators_keep_the_list_and_everyone_reads_it(
    client: AsyncClient, db: Any
) -> None:
    coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    facilitator = await headers_for(client, db, Role.FACILITATOR, areas=["MN-046"])
    added = await client.post(
        "/cycles/v1/raised-tags",
        json={"key": "bus_late", "label_mn": "Автобус хоцордог", "label_en": "Late bus"},
        headers=coordinator,
    )
    assert added.status_code == 201, added.text
    again = await client.post(
        "/cycles/v1/raised-tags",
        json={"key": "bus_late", "label_mn": "Автобус", "label_en": "Bus"},
        headers=coordinator,
    )
    assert (again.status_code, again.json()["code"]) == (409, "raised_tag.key_taken")
    refused = await client.post(
        "/cycles/v1/raised-tags",
        json={"key": "bus", "label_mn": "Автобус", "label_en": "Bus"},
        headers=facilitator,
    )
    assert refused.status_code == 403
    renamed = await client.patch(
        "/cycles/v1/raised-tags/bus_late",
        json={"label_en": "School bus late", "retired": True},
        headers=coordinator,
    )
    assert renamed.json() == {
        "key": "bus_late",
        "label_mn": "Автобус хоцордог",
        "label_en": "School bus late",
        "retired": True,
    }
    listed = await client.get("/cycles/v1/raised-tags", headers=facilitator)
    by_key = {tag["key"]: tag for tag in listed.json()}
    assert by_key["heating"]["retired"] is False
    assert by_key["bus_late"]["retired"] is True
    unknown = await client.patch(
        "/cycles/v1/raised-tags/nothing_here", json={"retired": True}, headers=coordinator
    )
    assert unknown.status_code == 404


async def test_a_push_refuses_a_tag_off_the_list_and_accepts_a_retired_one(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    retired = await committed_client.patch(
        "/cycles/v1/raised-tags/transport", json={"retired": True}, headers=coordinator.headers
    )
    assert retired.status_code == 200
    typo, listed, old, later = (uuid.uuid4() for _ in range(4))
    pushed = await tablet.push(
        tablet.mutation("cycle_indicator", "create", typo, raised(field, "cold", tag="heatng")),
        tablet.mutation("cycle_indicator", "create", listed, raised(field, "cold", tag="heating")),
        tablet.mutation("cycle_indicator", "create", old, raised(field, "bus", tag="transport")),
        tablet.mutation("cycle_indicator", "create", later, raised(field, "dark")),
        tablet.mutation("cycle_indicator", "update", later, {"tag": "lightning"}, base_version=1),
    )
    results = pushed["results"]
    assert [r["status"] for r in results] == [
        "rejected",
        "applied",
        "applied",
        "applied",
        "rejected",
    ]
    assert {(r["error"]["code"], r["error"]["field"]) for r in results if r["error"]} == {
        ("sync.not_listed", "data.tag")
    }
    pulled = {c["id"]: c["data"] for c in await tablet.pull_all() if c["entity"] == "raised_tag"}
    assert pulled["heating"] == {
        "label_mn": "Халаалт, дулаан",
        "label_en": "Heating and warmth",
        "retired": False,
    }
    assert pulled["transport"]["retired"] is True
