"""The four breaks a second outside probe found where a tablet's work meets the office or the
raised-indicator lifecycle (issue: sync checked against a model), each as the people who met
it would tell it."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.auth.models import Role
from backend.database.session import Database
from backend.submissions.models import Submission
from backend.tablet.client import NumberingWentBack, TabletClient
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.http import serve
from tests.support.identity import PASSWORD
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio


def raised(field: Programme, key: str, group: str, **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(field.cycle_id),
        "key": key,
        "label": {"mn": "Анги хүйтэн байна"},
        "kind": "scale",
        "raised_by": [group],
    } | extra


async def _two_tablets(client: AsyncClient, database: Database) -> tuple[Programme, Tablet, Tablet]:
    field = await programme(database)
    a = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    b = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    return field, a, b


def scored_sheet(field: Programme, **answers: Any) -> dict[str, Any]:
    return submission(field) | {"answers": school_answers(3) | answers}


@pytest.mark.parametrize("selected_at_create", [True, False])
async def test_a_focus_group_scoring_an_issue_another_tablet_raised_too_is_stored(
    committed_client: AsyncClient, committed_database: Database, selected_at_create: bool
) -> None:
    """Parallel focus groups raise the same concern offline; the second tablet also selects it
    and its group scores it. Its whole session (every answer and reason) is stored, the one
    indicator is selected, and it counts both groups."""
    field, a, b = await _two_tablets(committed_client, committed_database)
    first, second = uuid.uuid4(), uuid.uuid4()
    await a.push(
        a.mutation("cycle_indicator", "create", first, raised(field, "cold_classrooms", "parents"))
    )
    if selected_at_create:
        select_it = [
            b.mutation(
                "cycle_indicator",
                "create",
                second,
                raised(field, "cold_classrooms", "pupils", status="selected", better="lower"),
            )
        ]
    else:
        select_it = [
            b.mutation(
                "cycle_indicator", "create", second, raised(field, "cold_classrooms", "pupils")
            ),
            b.mutation(
                "cycle_indicator",
                "update",
                second,
                {"status": "selected", "better": "lower"},
                base_version=1,
            ),
        ]
    sheet = uuid.uuid4()
    pushed = await b.push(
        *select_it,
        b.mutation(
            "submission",
            "create",
            sheet,
            scored_sheet(field, cold_classrooms={"value": 2, "reason": "No heating in March"}),
        ),
    )
    assert [r["status"] for r in pushed["results"]] == ["applied"] * len(pushed["results"]), pushed
    listed = await committed_client.get(
        f"/cycles/v1/{field.cycle_id}/indicators", headers=a.headers
    )
    (indicator,) = listed.json()
    assert (indicator["key"], indicator["status"], indicator["better"]) == (
        "cold_classrooms",
        "selected",
        "lower",
    )
    assert indicator["raised_by"] == ["parents", "pupils"]
    pulled = {c["id"]: c for c in await b.pull_all()}
    answer = pulled[str(sheet)]["data"]["answers"]["cold_classrooms"]
    assert (answer["value"], answer["reason"]) == (2, "No heating in March")


async def test_dropping_an_issue_and_raising_its_key_again_in_one_batch_moves_the_queue_on(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    """A facilitator drops a raised issue offline and a group raises it again in other words:
    one batch, answered at once, never a 503 asked to be retried forever."""
    field, a, _ = await _two_tablets(committed_client, committed_database)
    old, new = uuid.uuid4(), uuid.uuid4()
    await a.push(a.mutation("cycle_indicator", "create", old, raised(field, "bus_late", "parents")))
    answer = await a.push_raw(
        [
            a.mutation("cycle_indicator", "update", old, {"status": "dropped"}, base_version=1),
            a.mutation("cycle_indicator", "create", new, raised(field, "bus_late", "pupils")),
        ]
    )
    assert answer.status_code == 200, answer.text
    assert [r["status"] for r in answer.json()["results"]] == ["applied", "applied"]
    listed = await committed_client.get(
        f"/cycles/v1/{field.cycle_id}/indicators", headers=a.headers
    )
    by_id = {i["id"]: i["status"] for i in listed.json()}
    assert by_id.get(str(new)) == "proposed"


async def test_a_tablet_restored_from_its_own_backup_loses_nothing_unsent(
    committed_app: Any, committed_database: Database
) -> None:
    """The tablet's storage is restored from an older backup of itself: it numbers new work
    with numbers the server settled with other content. Its pull drops nothing unsent; its
    push is told its numbering went back, it takes a new device id, signs in again, and the
    sheet is stored."""
    field = await programme(committed_database)
    user = await field.user(Role.FACILITATOR)
    async with serve(committed_app) as http:
        tablet = TabletClient(http)
        await tablet.login(user.username, PASSWORD)
        tablet.create("submission", submission(field, score=2))
        await tablet.sync()
        backup = copy.deepcopy((tablet.outbox, tablet.store, tablet.device_id))
        tablet.create("submission", submission(field, score=1))
        await tablet.sync()

        tablet.outbox, tablet.store, tablet.device_id = backup  # restored from its backup
        again = tablet.create("submission", submission(field, score=5))
        await tablet.pull()
        assert [m["id"] for m in tablet.outbox.pending] == [again]
        with pytest.raises(NumberingWentBack):
            await tablet.push()
        assert [(m["mutation_id"], m["id"]) for m in tablet.outbox.pending] == [(1, again)]
        await tablet.login(user.username, PASSWORD)
        report = await tablet.sync()
    assert [r["status"] for r in report.results] == ["applied"]
    async with committed_database.sessionmaker() as db:
        scores = sorted(
            s.answers["consulted_on_plan"]["value"] for s in await db.scalars(select(Submission))
        )
    assert scores == [1, 2, 5]


async def test_a_facility_moved_to_another_area_goes_with_its_records(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    """A school entered under the wrong aimag is moved: its rounds, sheets and the school
    itself leave the old aimag's tablets, and the new aimag's tablets receive them, those
    that synced before the move and those starting afresh, later edits included."""
    field = await programme(committed_database)  # a school in Uvs (MN-046)
    old_side = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    new_side = await Tablet(
        committed_client, await field.user(Role.FACILITATOR, areas=["MN-041"])
    ).sign_in()
    sheet = uuid.uuid4()
    await old_side.push(old_side.mutation("submission", "create", sheet, submission(field)))
    await old_side.pull_all()
    await new_side.pull_all()

    admin = await Tablet(committed_client, await field.user(Role.ADMIN, areas=[])).sign_in()
    moved = await committed_client.patch(
        f"/facilities/v1/{field.facility_id}", json={"area_code": "MN-041"}, headers=admin.headers
    )
    assert moved.status_code == 200, moved.text

    facility, cycle = str(field.facility_id), str(field.cycle_id)
    left = {(c["entity"], c["id"]): c for c in await old_side.pull_all()}
    for key in (("facility", facility), ("cycle", cycle), ("submission", str(sheet))):
        assert left[key]["op"] == "delete", key
        assert left[key]["reason"] == "out_of_scope", key
    arrived = {(c["entity"], c["id"]): c["op"] for c in await new_side.pull_all()}
    for key in (("facility", facility), ("cycle", cycle), ("submission", str(sheet))):
        assert arrived.get(key) == "upsert", key

    fresh = await Tablet(committed_client, new_side.user).sign_in()
    from_scratch = {(c["entity"], c["id"]) for c in await fresh.pull_all()}
    assert ("submission", str(sheet)) in from_scratch
    assert ("cycle", cycle) in from_scratch

    # the round moves on after the move: only the new aimag's tablets hear of it
    advanced = await committed_client.post(
        f"/cycles/v1/{cycle}/advance", json={"to": "self_assessment"}, headers=admin.headers
    )
    assert advanced.status_code == 200, advanced.text
    later = {(c["entity"], c["id"]): c for c in await new_side.pull_all()}
    assert later[("cycle", cycle)]["data"]["phase"] == "self_assessment"

    def held(changes: list[dict[str, Any]]) -> set[tuple[str, str]]:
        """What a tablet holds after applying the changes in order."""
        holding: set[tuple[str, str]] = set()
        for change in changes:
            key = (change["entity"], change["id"])
            (holding.add if change["op"] == "upsert" else holding.discard)(key)
        return holding

    assert ("submission", str(sheet)) not in held(await old_side.pull_all())
    old_fresh = await Tablet(committed_client, old_side.user).sign_in()
    assert ("submission", str(sheet)) not in held(await old_fresh.pull_all())
