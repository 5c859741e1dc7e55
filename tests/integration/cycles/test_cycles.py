"""Cycles: opened on published templates, phases only forward, campaigns, scope."""

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import AuditEvent, Role
from backend.scorecards.models import Template, TemplateVersion
from tests.support.identity import headers_for, make_facility

pytestmark = pytest.mark.asyncio


async def _published(db: AsyncSession, key: str) -> str:
    return str(
        await db.scalar(
            select(TemplateVersion.id)
            .join(Template, Template.id == TemplateVersion.template_id)
            .where(Template.key == key, TemplateVersion.status == "published")
        )
    )


async def _open(client: AsyncClient, headers, facility_id, version_id, label="2026 spring"):  # type: ignore[no-untyped-def]
    return await client.post(
        "/cycles/v1",
        json={
            "facility_id": str(facility_id),
            "template_version_id": version_id,
            "label": label,
            "planned_groups": [{"type": "parents"}, {"type": "teachers"}],
        },
        headers=headers,
    )


async def test_open_and_advance_a_cycle(client: AsyncClient, db: AsyncSession) -> None:
    school = await make_facility(db, area_code="MN-046")
    coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    opened = await _open(client, coordinator, school.id, await _published(db, "parent_engagement"))
    assert opened.status_code == 201, opened.text
    cycle = opened.json()
    assert (cycle["phase"], cycle["previous_cycle_id"]) == ("preparation", None)
    assert [g["type"] for g in cycle["planned_groups"]] == ["parents", "teachers"]

    facilitator = await headers_for(client, db, Role.FACILITATOR, areas=["MN-046"])
    moved = await client.post(
        f"/cycles/v1/{cycle['id']}/advance", json={"to": "community_scoring"}, headers=facilitator
    )
    assert moved.status_code == 200
    assert moved.json()["phase"] == "community_scoring"


async def test_a_round_is_labelled_in_mongolian_and_english_english_falling_back(
    client: AsyncClient, db: AsyncSession
) -> None:
    school = await make_facility(db, area_code="MN-046")
    coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    version_id = await _published(db, "parent_engagement")
    opened = await client.post(
        "/cycles/v1",
        json={
            "facility_id": str(school.id),
            "template_version_id": version_id,
            "label": "2026 оны хаврын үе",
            "label_en": "2026 spring round",
        },
        headers=coordinator,
    )
    assert opened.status_code == 201, opened.text
    cycle = opened.json()
    assert (cycle["label"], cycle["label_en"]) == ("2026 оны хаврын үе", "2026 spring round")
    card = (
        await client.get(f"/reports/v1/cycles/{cycle['id']}/scorecard", headers=coordinator)
    ).json()
    assert (card["label"], card["label_mn"], card["label_en"]) == (
        "2026 оны хаврын үе",
        "2026 оны хаврын үе",
        "2026 spring round",
    )

    # a round opened with its Mongolian label only reads the same in English
    await client.post(
        f"/cycles/v1/{cycle['id']}/advance", json={"to": "closed"}, headers=coordinator
    )
    mongolian_only = (
        await _open(client, coordinator, school.id, version_id, "2026 оны намрын үе")
    ).json()
    assert mongolian_only["label_en"] is None
    card = (
        await client.get(
            f"/reports/v1/cycles/{mongolian_only['id']}/scorecard", headers=coordinator
        )
    ).json()
    assert (card["label_mn"], card["label_en"]) == ("2026 оны намрын үе", "2026 оны намрын үе")


async def test_phases_refuse_to_move_backwards(client: AsyncClient, db: AsyncSession) -> None:
    school = await make_facility(db, area_code="MN-046")
    coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    cycle = (
        await _open(client, coordinator, school.id, await _published(db, "parent_engagement"))
    ).json()
    await client.post(
        f"/cycles/v1/{cycle['id']}/advance", json={"to": "interface_meeting"}, headers=coordinator
    )
    for target in ("community_scoring", "interface_meeting"):
        back = await client.post(
            f"/cycles/v1/{cycle['id']}/advance", json={"to": target}, headers=coordinator
        )
        assert back.status_code == 409
        assert back.json()["code"] == "cycle.phase_backwards"
    current = await client.get(f"/cycles/v1/{cycle['id']}", headers=coordinator)
    assert current.json()["phase"] == "interface_meeting"


async def test_coordinator_may_reopen_with_a_reason_and_it_is_audited(
    client: AsyncClient, db: AsyncSession
) -> None:
    school = await make_facility(db, area_code="MN-046")
    coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    cycle = (
        await _open(client, coordinator, school.id, await _published(db, "parent_engagement"))
    ).json()
    await client.post(
        f"/cycles/v1/{cycle['id']}/advance", json={"to": "interface_meeting"}, headers=coordinator
    )

    facilitator = await headers_for(client, db, Role.FACILITATOR, areas=["MN-046"])
    refused = await client.post(
        f"/cycles/v1/{cycle['id']}/reopen",
        json={"to": "community_scoring", "reason": "the youth group was missed"},
        headers=facilitator,
    )
    assert refused.status_code == 403

    reopened = await client.post(
        f"/cycles/v1/{cycle['id']}/reopen",
        json={"to": "community_scoring", "reason": "the youth group was missed"},
        headers=coordinator,
    )
    assert reopened.status_code == 200
    assert reopened.json()["phase"] == "community_scoring"
    history = (await client.get(f"/cycles/v1/{cycle['id']}/phases", headers=coordinator)).json()
    assert [(h["to_phase"], h["reopened"]) for h in history] == [
        ("preparation", False),
        ("interface_meeting", False),
        ("community_scoring", True),
    ]
    event = await db.scalar(select(AuditEvent).where(AuditEvent.kind == "cycle.reopened"))
    assert event is not None
    assert event.detail["reason"] == "the youth group was missed"


async def test_only_published_fitting_templates_open_cycles(
    client: AsyncClient, db: AsyncSession
) -> None:
    school = await make_facility(db, area_code="MN-046")
    pharmacy = await make_facility(db, area_code="MN-046", kind="pharmacy", name="Pharmacy")
    coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    version_id = await _published(db, "parent_engagement")
    draft = (
        await client.post(f"/templates/v1/versions/{version_id}/drafts", headers=coordinator)
    ).json()

    not_published = await _open(client, coordinator, school.id, draft["id"])
    assert not_published.status_code == 409
    assert not_published.json()["code"] == "template.not_published"
    wrong_type = await _open(client, coordinator, pharmacy.id, version_id)
    assert wrong_type.status_code == 400
    assert wrong_type.json()["code"] == "cycle.template_not_for_facility"

    assert (await _open(client, coordinator, school.id, version_id)).status_code == 201
    twice = await _open(client, coordinator, school.id, version_id)
    assert twice.status_code == 409
    assert twice.json()["code"] == "cycle.already_open"


async def test_next_round_links_to_the_previous_one(client: AsyncClient, db: AsyncSession) -> None:
    school = await make_facility(db, area_code="MN-046")
    coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    version_id = await _published(db, "parent_engagement")
    first = (await _open(client, coordinator, school.id, version_id, "2026 spring")).json()
    await client.post(
        f"/cycles/v1/{first['id']}/advance", json={"to": "closed"}, headers=coordinator
    )
    second = (await _open(client, coordinator, school.id, version_id, "2026 autumn")).json()
    assert second["previous_cycle_id"] == first["id"]


async def test_campaign_opens_a_cycle_at_every_school_in_the_area(
    client: AsyncClient, db: AsyncSession
) -> None:
    schools = [await make_facility(db, area_code="MN-046", name=f"School {i}") for i in range(3)]
    await make_facility(db, area_code="MN-046", kind="pharmacy", name="Not a school")
    await make_facility(db, area_code="MN-043", name="Khovd school")
    coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    version_id = await _published(db, "parent_engagement")
    await _open(client, coordinator, schools[0].id, version_id)

    campaign = await client.post(
        "/cycles/v1/campaigns",
        json={
            "template_version_id": version_id,
            "area_code": "MN-046",
            "facility_type": "school",
            "label": "2026 оны намрын үе",
            "label_en": "2026 autumn round",
        },
        headers=coordinator,
    )
    assert campaign.status_code == 201, campaign.text
    assert len(campaign.json()["opened"]) == 2
    assert campaign.json()["skipped_open_already"] == [str(schools[0].id)]
    listed = await client.get("/cycles/v1", params={"open_only": True}, headers=coordinator)
    assert listed.json()["total"] == 3
    opened = {c["id"]: c for c in listed.json()["items"]}
    for cycle_id in campaign.json()["opened"]:
        assert (opened[cycle_id]["label"], opened[cycle_id]["label_en"]) == (
            "2026 оны намрын үе",
            "2026 autumn round",
        )


async def test_cycles_of_another_aimag_are_invisible(client: AsyncClient, db: AsyncSession) -> None:
    school = await make_facility(db, area_code="MN-046")
    uvs = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    cycle = (await _open(client, uvs, school.id, await _published(db, "parent_engagement"))).json()

    khovd_monitor = await headers_for(client, db, Role.MONITOR, areas=["MN-043"])
    assert (await client.get(f"/cycles/v1/{cycle['id']}", headers=khovd_monitor)).status_code == 404
    assert (await client.get("/cycles/v1", headers=khovd_monitor)).json()["total"] == 0
    khovd_coordinator = await headers_for(client, db, Role.COORDINATOR, areas=["MN-043"])
    moved = await client.post(
        f"/cycles/v1/{cycle['id']}/advance", json={"to": "closed"}, headers=khovd_coordinator
    )
    assert moved.status_code == 404
    foreign = await _open(
        client, khovd_coordinator, school.id, await _published(db, "parent_engagement")
    )
    assert foreign.status_code == 404
    unknown = await client.get(f"/cycles/v1/{uuid.uuid4()}", headers=uvs)
    assert unknown.status_code == 404
