"""What a roll-up pools and shows: by default each facility's latest published round (not every
round ever held), a period or a campaign when asked; plan rates once per unit; the monitors'
findings; the medicines' availability and price ratios over outlets; the area page says all of
it in words."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.cycles.models import Cycle
from backend.database.session import Database
from tests.integration.reports.test_medicines import _check, _visit
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.rounds import open_round
from tests.support.sync_data import action_item, submission

pytestmark = pytest.mark.asyncio
ALL_ROUNDS = {"since": "2000-01-01"}


async def _round(prog: Programme, *, opened: datetime, published: bool) -> uuid.UUID:
    """Another round of the template at the programme's school."""
    async with prog.database.sessionmaker() as db, db.begin():
        first = await db.get_one(Cycle, prog.cycle_id)
        cycle = Cycle(
            facility_id=prog.facility_id,
            template_version_id=prog.template_version_id,
            label="later round",
            phase="community_scoring",
            opened_by=first.opened_by,
            opened_at=opened,
            published_at=opened if published else None,
        )
        db.add(cycle)
        await db.flush()
        return cycle.id


async def _publish(prog: Programme, cycle_id: uuid.UUID, at: datetime) -> None:
    async with prog.database.sessionmaker() as db, db.begin():
        cycle = await db.get_one(Cycle, cycle_id)
        cycle.published_at = at
        cycle.opened_at = at


async def _scored(team: Tablet, prog: Programme, cycle_id: uuid.UUID, score: int, at: str) -> None:
    group = {"type": "parents", "participants": {"female": 4, "male": 4}}
    data = submission(prog, group=group, answers=school_answers(score), collected_at=at)
    data["cycle_id"] = str(cycle_id)
    result = await team.push(team.mutation("submission", "create", uuid.uuid4(), data))
    assert result["results"][0]["status"] == "applied", result["results"][0]["error"]


async def _rollup(client: AsyncClient, reader: Tablet, **params: Any) -> dict[str, Any]:
    response = await client.get(
        "/reports/v1/rollup",
        params={"area": "MN-046", "template": "parent_engagement", "by": "facility"} | params,
        headers=reader.headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _figure(body: dict[str, Any], unit: uuid.UUID, indicator: str) -> Any:
    return next(
        row["community"]
        for row in body["rows"]
        if row["unit"] == str(unit) and row["indicator"] == indicator
    )


async def test_by_default_each_facility_counts_its_latest_published_round(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    prog = await programme(committed_database)
    team = await Tablet(committed_client, await prog.user(Role.FACILITATOR)).sign_in()
    spring = datetime(2026, 4, 1, tzinfo=UTC)
    await _publish(prog, prog.cycle_id, spring)
    await _scored(team, prog, prog.cycle_id, 2, "2026-04-05T10:00:00+08:00")
    autumn = await _round(prog, opened=datetime(2026, 10, 1, tzinfo=UTC), published=True)
    await _scored(team, prog, autumn, 4, "2026-10-05T10:00:00+08:00")
    # a round still being scored: not what the public reads of the school yet
    later = await _round(prog, opened=datetime(2026, 11, 20, tzinfo=UTC), published=False)
    await _scored(team, prog, later, 5, "2026-11-25T10:00:00+08:00")

    for role in (Role.COORDINATOR, Role.VIEWER):
        reader = await Tablet(committed_client, await prog.user(role)).sign_in()
        latest = await _rollup(committed_client, reader)
        # the autumn round alone, as the school's own page of it shows
        assert _figure(latest, prog.facility_id, "teacher_attendance") == 4.0
        period = latest["period"]
        assert (period["kind"], period["rounds"]) == ("latest_published", 1)
        assert (period["first_held"], period["last_held"]) == ("2026-10-05", "2026-10-05")
        [unit] = [u for u in latest["units"] if u["unit"] == str(prog.facility_id)]
        assert unit["cycle_id"] == str(autumn)

    coordinator = await Tablet(committed_client, await prog.user(Role.COORDINATOR)).sign_in()
    every = await _rollup(committed_client, coordinator, **ALL_ROUNDS)
    # all three rounds: the school's mean over its three sessions (2, 4 and 5)
    assert _figure(every, prog.facility_id, "teacher_attendance") == round((2 + 4 + 5) / 3, 2)
    assert every["period"]["kind"] == "held"
    assert every["period"]["rounds"] == 3
    spring_only = await _rollup(
        committed_client, coordinator, since="2026-01-01", until="2026-07-01"
    )
    assert _figure(spring_only, prog.facility_id, "teacher_attendance") == 2.0


async def test_plan_rates_once_per_unit_and_the_page_links_each_facility(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    prog = await programme(committed_database)
    team = await Tablet(committed_client, await prog.user(Role.FACILITATOR)).sign_in()
    await _scored(team, prog, prog.cycle_id, 3, "2026-10-05T10:00:00+08:00")
    await team.push(
        team.mutation("action_item", "create", uuid.uuid4(), action_item(prog, status="done")),
        team.mutation(
            "action_item", "create", uuid.uuid4(), action_item(prog, status="in_progress")
        ),
    )
    coordinator = await Tablet(committed_client, await prog.user(Role.COORDINATOR)).sign_in()
    body = await _rollup(committed_client, coordinator, **ALL_ROUNDS)
    [unit] = [u for u in body["units"] if u["unit"] == str(prog.facility_id)]
    assert (unit["action_items"], unit["completion_rate"]) == (2, 0.5)

    page = await committed_client.get(
        "/reports/v1/rollup.html",
        params={"area": "MN-046", "template": "parent_engagement", "by": "facility", "lang": "en"}
        | ALL_ROUNDS,
        headers=coordinator.headers,
    )
    assert page.status_code == 200, page.text
    text = page.text
    link = f"/reports/v1/cycles/{prog.cycle_id}/scorecard.html?lang=en"
    assert link in text
    # the rates stand once, in the plans' table, not on every indicator's row
    plans = text.split("<table data-plans>")[1].split("</table>")[0]
    assert f'<tr data-unit="{prog.facility_id}">' in plans
    assert "50%" in plans
    scores = text.split("<table data-rollup>")[1].split("</table>")[0]
    assert "50%" not in scores
    assert "Rounds held from" in text
    # figures in their units: a yes/no in percent, a count as a whole number
    toilets = scores.split('data-indicator="toilets_and_water"')[1].split("</tr>")[0]
    assert "100%" in toilets
    meetings = scores.split('data-indicator="council_meetings"')[1].split("</tr>")[0]
    assert ">4<" in meetings


async def test_medicines_roll_up_over_outlets_with_the_monitors_findings(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    monitor = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    # metformin's reference price is 90 MNT: ratios 1.0, 2.0 and 4.0 at three pharmacies
    found = [
        (_check(True, False, 0, 2, 90), True),
        (_check(True, False, 3, 9, 180), False),
        (_check(False, False, 12, 30, None), False),
        (_check(True, True, 0, 0, 360), True),
    ]
    for check, above_ceiling in found:
        cycle_id = await open_round(
            committed_client,
            committed_database,
            coordinator,
            facility_type="pharmacy",
            template="medicine_availability",
            phase="input_tracking",
        )
        visit = _visit(cycle_id, {"metformin": check})
        visit["answers"]["sold_above_ceiling"]["value"] = above_ceiling
        result = await monitor.push(monitor.mutation("submission", "create", uuid.uuid4(), visit))
        assert result["results"][0]["status"] == "applied", result["results"][0]["error"]

    response = await committed_client.get(
        "/reports/v1/rollup",
        params={"area": "MN-046", "template": "medicine_availability", "by": "aimag"} | ALL_ROUNDS,
        headers=coordinator.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    metformin = next(m for m in body["medicines"] if m["medicine"] == "metformin")
    # two of four outlets had it in stock and not expired (one had it only expired)
    assert (metformin["outlets"], metformin["available"]) == (4, 0.5)
    assert metformin["stockout_days_30"] == round((0 + 3 + 12 + 0) / 4, 2)
    # on the shelf at three outlets (ratios 1, 2, 4): the median is 2
    assert metformin["median_price_ratio"] == 2.0
    [basket] = [m for m in body["medicines"] if m["medicine"] is None]
    assert basket["available"] == 0.5
    # the monitors found goods sold above the ceiling at two of four pharmacies
    ceiling = next(r for r in body["rows"] if r["indicator"] == "sold_above_ceiling")
    assert (ceiling["monitor"], ceiling["unit_kind"], ceiling["better"]) == (0.5, "share", "lower")
