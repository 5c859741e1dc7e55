"""Community-raised indicators: raised on tablets offline, consolidated, scored, then frozen."""

import asyncio
import uuid
from typing import Any

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio


def raised(field: Programme, key: str, group: str, **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(field.cycle_id),
        "key": key,
        "label": {"mn": "Жорлон түгжээтэй байдаг"},
        "kind": "scale",
        "raised_by": [group],
    } | extra


async def _team(client: AsyncClient, database: Database):  # type: ignore[no-untyped-def]
    field = await programme(database)
    await field.cycle_phase("community_scoring")
    a = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    b = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    return field, a, b


async def test_two_tablets_raising_one_issue_offline_end_as_one_indicator_raised_by_both(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _team(committed_client, committed_database)
    first, second = uuid.uuid4(), uuid.uuid4()
    # offline, each tablet's group raises locked toilets
    pushed_a = await a.push(
        a.mutation("cycle_indicator", "create", first, raised(field, "toilets_locked", "parents"))
    )
    pushed_b = await b.push(
        b.mutation("cycle_indicator", "create", second, raised(field, "toilets_locked", "pupils"))
    )
    assert [pushed_a["results"][0]["status"], pushed_b["results"][0]["status"]] == [
        "applied",
        "applied",
    ]
    selected = await a.push(
        a.mutation("cycle_indicator", "update", first, {"status": "selected"}, base_version=1)
    )
    assert selected["results"][0]["status"] == "applied"

    listed = await committed_client.get(
        f"/cycles/v1/{field.cycle_id}/indicators", headers=a.headers
    )
    assert listed.status_code == 200, listed.text
    (indicator,) = listed.json()
    assert (indicator["key"], indicator["status"]) == ("toilets_locked", "selected")
    assert indicator["raised_by"] == ["parents", "pupils"]
    assert indicator["absorbed"] == ["toilets_locked"]
    pulled = {c["id"]: c for c in await b.pull_all() if c["entity"] == "cycle_indicator"}
    assert pulled[str(second)]["data"]["status"] == "merged"
    assert pulled[str(second)]["data"]["merged_into"] == str(first)


async def test_only_a_selected_indicator_is_answered_and_like_a_template_one(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, _ = await _team(committed_client, committed_database)
    kept, dropped = uuid.uuid4(), uuid.uuid4()
    await a.push(
        a.mutation("cycle_indicator", "create", kept, raised(field, "toilets_locked", "parents")),
        a.mutation("cycle_indicator", "create", dropped, raised(field, "bus_late", "parents")),
        a.mutation("cycle_indicator", "update", kept, {"status": "selected"}, base_version=1),
        a.mutation("cycle_indicator", "update", dropped, {"status": "dropped"}, base_version=1),
    )

    def scored(**answers: Any) -> dict[str, Any]:
        return submission(field) | {"answers": school_answers(3) | answers}

    pushed = await a.push(
        a.mutation(
            "submission",
            "create",
            uuid.uuid4(),
            scored(toilets_locked={"value": 2, "reason": "Locked at break"}),
        ),
        a.mutation("submission", "create", uuid.uuid4(), scored(bus_late={"value": 2})),
        a.mutation("submission", "create", uuid.uuid4(), scored(toilets_locked={"value": 9})),
        a.mutation("submission", "create", uuid.uuid4(), scored(never_raised={"value": 2})),
    )
    results = pushed["results"]
    assert results[0]["status"] == "applied", results[0]
    assert [r["error"]["errors"][0]["code"] for r in results[1:]] == [
        "answer.indicator_not_selected",
        "answer.out_of_range",
        "answer.unknown_indicator",
    ]
    assert [r["error"]["errors"][0]["field"] for r in results[1:]] == [
        "data.answers.bus_late",
        "data.answers.toilets_locked.value",
        "data.answers.never_raised",
    ]


async def test_the_set_freezes_when_community_scoring_ends(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, _ = await _team(committed_client, committed_database)
    record_id = uuid.uuid4()
    await a.push(
        a.mutation(
            "cycle_indicator", "create", record_id, raised(field, "toilets_locked", "parents")
        )
    )
    await field.cycle_phase("self_assessment")
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    provider = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    late = await a.push(
        a.mutation("cycle_indicator", "update", record_id, {"status": "selected"}, base_version=1),
        a.mutation("cycle_indicator", "create", uuid.uuid4(), raised(field, "bus_late", "pupils")),
        a.mutation("cycle_indicator", "delete", record_id, base_version=1),
    )
    assert [r["error"]["code"] for r in late["results"]] == [
        "cycle_indicator.frozen",
        "cycle_indicator.frozen",
        "sync.not_deletable",
    ]
    translated = await coordinator.push(
        coordinator.mutation(
            "cycle_indicator",
            "update",
            record_id,
            {
                "label": {"mn": "Жорлон түгжээтэй байдаг", "en": "Toilets are locked"},
                "tag": "toilets",
            },
            base_version=1,
        ),
        coordinator.mutation(
            "cycle_indicator", "update", record_id, {"status": "dropped"}, base_version=2
        ),
    )
    assert [r["status"] for r in translated["results"]] == ["applied", "rejected"]
    assert translated["results"][1]["error"]["code"] == "cycle_indicator.frozen"
    # the provider raises its own during self-assessment, and never the community's
    own = await provider.push(
        provider.mutation(
            "cycle_indicator",
            "create",
            uuid.uuid4(),
            raised(field, "provider_no_budget", "staff", origin="provider"),
        ),
        provider.mutation(
            "cycle_indicator", "create", uuid.uuid4(), raised(field, "rude_staff", "staff")
        ),
    )
    assert [r["status"] for r in own["results"]] == ["applied", "rejected"]
    assert own["results"][1]["error"]["code"] == "cycle_indicator.not_allowed"


async def test_a_raised_key_never_shadows_a_template_indicator_and_merges_name_a_standing_one(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, _ = await _team(committed_client, committed_database)
    target = uuid.uuid4()
    pushed = await a.push(
        a.mutation(
            "cycle_indicator", "create", uuid.uuid4(), raised(field, "inclusion", "parents")
        ),
        a.mutation("cycle_indicator", "create", target, raised(field, "bus_late", "parents")),
        a.mutation(
            "cycle_indicator",
            "create",
            uuid.uuid4(),
            raised(field, "late_bus", "pupils", status="merged"),
        ),
        a.mutation(
            "cycle_indicator",
            "create",
            uuid.uuid4(),
            raised(field, "late_buses", "pupils", status="merged", merged_into=str(target)),
        ),
    )
    assert [(r["status"], (r.get("error") or {}).get("code")) for r in pushed["results"]] == [
        ("rejected", "cycle_indicator.key_taken"),
        ("applied", None),
        ("rejected", "cycle_indicator.bad_merge"),
        ("applied", None),
    ]


async def test_two_tablets_merging_two_indicators_into_each_other_lose_neither(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _team(committed_client, committed_database)
    c = await Tablet(committed_client, a.user).sign_in()
    first, second = uuid.uuid4(), uuid.uuid4()
    await a.push(
        a.mutation("cycle_indicator", "create", first, raised(field, "ka", "parents")),
        a.mutation("cycle_indicator", "create", second, raised(field, "kb", "pupils")),
    )
    pushes = [
        (b, b.mutation("cycle_indicator", "update", first, into(second), base_version=1)),
        (c, c.mutation("cycle_indicator", "update", second, into(first), base_version=1)),
    ]
    for _ in range(3):
        answers = await asyncio.gather(*(t.push_raw([m]) for t, m in pushes))
        if all(r.status_code == 200 for r in answers):
            break
        assert {r.status_code for r in answers} <= {200, 503}
    statuses = sorted(r.json()["results"][0]["status"] for r in answers)
    assert statuses == ["applied", "rejected"], [r.json() for r in answers]
    (standing,) = (
        await committed_client.get(f"/cycles/v1/{field.cycle_id}/indicators", headers=a.headers)
    ).json()
    assert sorted(standing["raised_by"]) == ["parents", "pupils"]


def into(target: uuid.UUID) -> dict[str, Any]:
    return {"status": "merged", "merged_into": str(target)}


async def test_keys_are_held_by_standing_indicators_only_and_never_across_sides(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field, a, b = await _team(committed_client, committed_database)
    dropped, again, twin = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    await a.push(
        a.mutation("cycle_indicator", "create", dropped, raised(field, "ke", "parents")),
        a.mutation("cycle_indicator", "update", dropped, {"status": "dropped"}, base_version=1),
    )
    pushed = await b.push(
        # raised anew after the facilitators dropped it: it stands again
        b.mutation("cycle_indicator", "create", again, raised(field, "ke", "pupils")),
        # raised a third time: merged into the one that holds the key
        b.mutation("cycle_indicator", "create", twin, raised(field, "ke", "teachers")),
        # the dropped one brought back while another holds its key
        b.mutation("cycle_indicator", "update", dropped, {"status": "proposed"}, base_version=2),
        # the selected one stays selected
        b.mutation("cycle_indicator", "update", again, {"status": "selected"}, base_version=1),
        b.mutation("cycle_indicator", "update", again, {"status": "dropped"}, base_version=2),
    )
    assert [(r["status"], (r.get("error") or {}).get("code")) for r in pushed["results"]] == [
        ("applied", None),
        ("applied", None),
        ("rejected", "cycle_indicator.key_taken"),
        ("applied", None),
        ("rejected", "cycle_indicator.selected"),
    ]
    listed = (
        await committed_client.get(f"/cycles/v1/{field.cycle_id}/indicators", headers=a.headers)
    ).json()
    assert sorted((i["status"], tuple(i["raised_by"])) for i in listed) == [
        ("dropped", ("parents",)),
        ("selected", ("pupils", "teachers")),
    ]
    await field.cycle_phase("self_assessment")
    provider = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    theirs = await provider.push(
        provider.mutation(
            "cycle_indicator",
            "create",
            uuid.uuid4(),
            raised(field, "ke", "staff", origin="provider"),
        )
    )
    # the provider's keys are of a space of their own: a community key answers the same
    # whether the community raised it or not, and tells nothing of the community's issues
    assert theirs["results"][0]["error"]["code"] == "cycle_indicator.key_side"
