"""A published round names the round before it. Tried as a viewer (a ministry reader) on every
surface that shows a round: until the earlier round is published too, the viewer is not told
that it exists, nor its id; the coordinator always is."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme

pytestmark = pytest.mark.asyncio


async def _second_round(client: AsyncClient, field: Programme, coordinator: Tablet) -> str:
    """The school's first round closed unpublished; a second one opened on it and published."""
    await field.cycle_phase("closed")
    opened = await client.post(
        "/cycles/v1",
        headers=coordinator.headers,
        json={
            "facility_id": str(field.facility_id),
            "template_version_id": str(field.template_version_id),
            "label": "2027 spring",
        },
    )
    assert opened.status_code == 201, opened.text
    assert opened.json()["previous_cycle_id"] == str(field.cycle_id)
    second: str = opened.json()["id"]
    published = await client.post(f"/cycles/v1/{second}/publish", headers=coordinator.headers)
    assert published.status_code == 200, published.text
    return second


async def _previous_everywhere(client: AsyncClient, reader: Tablet, cycle_id: str) -> list[Any]:
    """The previous round as each surface names it to the reader: the round, the list of
    rounds, the scorecard, and the round as the reader's tablet pulls it."""
    one = (await client.get(f"/cycles/v1/{cycle_id}", headers=reader.headers)).json()
    listed = (await client.get("/cycles/v1", headers=reader.headers)).json()["items"]
    card = await client.get(f"/reports/v1/cycles/{cycle_id}/scorecard", headers=reader.headers)
    assert card.status_code == 200, card.text
    pulled = [
        change["data"]
        for change in await reader.pull_all()
        if change["entity"] == "cycle" and change["id"] == cycle_id
    ]
    assert pulled, "the round reaches the reader's tablet"
    return [
        one["previous_cycle_id"],
        next(c["previous_cycle_id"] for c in listed if c["id"] == cycle_id),
        card.json()["previous_cycle_id"],
        pulled[-1]["previous_cycle_id"],
    ]


async def test_a_viewer_is_not_told_of_an_unpublished_previous_round(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    second = await _second_round(committed_client, field, coordinator)
    hidden = await committed_client.get(f"/cycles/v1/{field.cycle_id}", headers=viewer.headers)
    assert hidden.status_code == 404

    assert await _previous_everywhere(committed_client, viewer, second) == [None] * 4
    assert await _previous_everywhere(committed_client, coordinator, second) == (
        [str(field.cycle_id)] * 4
    )


async def test_once_the_previous_round_is_published_the_viewer_is_told_of_it(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    viewer = await Tablet(committed_client, await field.user(Role.VIEWER)).sign_in()
    second = await _second_round(committed_client, field, coordinator)
    assert await _previous_everywhere(committed_client, viewer, second) == [None] * 4

    published = await committed_client.post(
        f"/cycles/v1/{field.cycle_id}/publish", headers=coordinator.headers
    )
    assert published.status_code == 200, published.text

    # the tablet pulls on from the cursor it has: the later round comes again, naming it
    assert await _previous_everywhere(committed_client, viewer, second) == (
        [str(field.cycle_id)] * 4
    )
