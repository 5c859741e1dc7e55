"""Roll-up periods count a round by the date it was held (its first community scoring session,
in the programme's time zone), not the date it was opened."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.cycles.models import Cycle
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio

Q1 = {"since": "2026-01-01", "until": "2026-04-01"}
Q2 = {"since": "2026-04-01", "until": "2026-07-01"}


async def _opened_on(prog: Programme, opened: datetime) -> None:
    async with prog.database.sessionmaker() as db, db.begin():
        cycle = await db.get_one(Cycle, prog.cycle_id)
        cycle.opened_at = opened


async def _session(team: Tablet, prog: Programme, at: str, female: int, male: int) -> None:
    group = {"type": "parents", "participants": {"female": female, "male": male}}
    data = submission(prog, group=group, answers=school_answers(4), collected_at=at)
    result = await team.push(team.mutation("submission", "create", uuid.uuid4(), data))
    assert result["results"][0]["status"] == "applied", result["results"][0]["error"]


async def _facilities(client: AsyncClient, reader: Tablet, period: dict[str, str]) -> set[Any]:
    response = await client.get(
        "/reports/v1/rollup",
        params={"area": "MN-046", "template": "parent_engagement"} | period,
        headers=reader.headers,
    )
    assert response.status_code == 200, response.text
    return {row["unit"] for row in response.json()["rows"]}


async def test_a_round_opened_in_one_period_and_held_in_the_next_counts_in_the_next(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    held = await programme(committed_database)
    await _opened_on(held, datetime(2026, 3, 20, 3, tzinfo=UTC))
    team = await Tablet(committed_client, await held.user(Role.FACILITATOR)).sign_in()
    # 17:30 UTC on 31 March is 01:30 on 1 April in Ulaanbaatar: held in the second quarter
    await _session(team, held, "2026-03-31T17:30:00+00:00", 4, 3)
    await _session(team, held, "2026-04-03T10:00:00+08:00", 5, 4)

    # a round with no community session yet counts by the day it was opened
    waiting = await programme(committed_database)
    await _opened_on(waiting, datetime(2026, 3, 25, 3, tzinfo=UTC))
    provider = await Tablet(committed_client, await waiting.user(Role.PROVIDER)).sign_in()
    own = submission(waiting, respondent="provider", group=None)
    own["answers"] = {k: v for k, v in school_answers(3).items() if k != "informal_contributions"}
    own["answers"]["textbooks_per_pupil"] = {"value": {"entitled": 12, "actual": 9}}
    result = await provider.push(provider.mutation("submission", "create", uuid.uuid4(), own))
    assert result["results"][0]["status"] == "applied", result["results"][0]["error"]

    coordinator = await Tablet(committed_client, await held.user(Role.COORDINATOR)).sign_in()
    first = await _facilities(committed_client, coordinator, Q1)
    second = await _facilities(committed_client, coordinator, Q2)
    assert str(held.facility_id) in second
    assert str(held.facility_id) not in first
    assert str(waiting.facility_id) in first
    assert str(waiting.facility_id) not in second

    # its first session moves to March (local time): the round moves with it
    await _session(team, held, "2026-03-31T10:00:00+08:00", 6, 2)
    assert str(held.facility_id) in await _facilities(committed_client, coordinator, Q1)
    assert str(held.facility_id) not in await _facilities(committed_client, coordinator, Q2)


async def test_a_small_groups_session_never_moves_an_outsiders_round(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    """A provider's round is held when its first group they may count met: a group of three
    meeting earlier moves the round for the coordinator, who counts it, and not for them."""
    prog = await programme(committed_database)
    await _opened_on(prog, datetime(2026, 3, 2, 3, tzinfo=UTC))
    team = await Tablet(committed_client, await prog.user(Role.FACILITATOR)).sign_in()
    await _session(team, prog, "2026-03-30T10:00:00+08:00", 2, 1)
    await _session(team, prog, "2026-04-02T10:00:00+08:00", 4, 4)
    # at the interface meeting the provider reads the community's figures (it scores blind
    # before)
    await prog.cycle_phase("interface_meeting")

    coordinator = await Tablet(committed_client, await prog.user(Role.COORDINATOR)).sign_in()
    provider = await Tablet(committed_client, await prog.user(Role.PROVIDER)).sign_in()
    facility = str(prog.facility_id)
    assert facility in await _facilities(committed_client, coordinator, Q1)
    assert facility not in await _facilities(committed_client, coordinator, Q2)
    assert facility not in await _facilities(committed_client, provider, Q1)
    assert facility in await _facilities(committed_client, provider, Q2)
