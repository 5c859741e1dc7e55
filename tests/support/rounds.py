"""A round opened through the API, as a coordinator opens one: a new facility of a type, a
round on the published version of a template, moved on to a phase."""

from __future__ import annotations

from httpx import AsyncClient
from sqlalchemy import select

from backend.cycles.phases import PHASES
from backend.database.session import Database
from backend.scorecards.models import Template, TemplateVersion
from tests.support.field import Tablet


async def open_round(
    client: AsyncClient,
    database: Database,
    coordinator: Tablet,
    *,
    facility_type: str,
    template: str,
    phase: str,
) -> str:
    """The new round's id."""
    facility = await client.post(
        "/facilities/v1",
        headers=coordinator.headers,
        json={
            "type": facility_type,
            "name_mn": "Шинэ байгууллага",
            "name_en": "New facility",
            "area_code": "MN-046",
        },
    )
    assert facility.status_code == 201, facility.text
    async with database.sessionmaker() as db:
        version_id = await db.scalar(
            select(TemplateVersion.id)
            .join(Template, Template.id == TemplateVersion.template_id)
            .where(Template.key == template)
        )
    cycle = await client.post(
        "/cycles/v1",
        headers=coordinator.headers,
        json={
            "facility_id": facility.json()["id"],
            "template_version_id": str(version_id),
            "label": "2026 autumn",
        },
    )
    assert cycle.status_code == 201, cycle.text
    cycle_id: str = cycle.json()["id"]
    for step in PHASES[1 : PHASES.index(phase) + 1]:
        moved = await client.post(
            f"/cycles/v1/{cycle_id}/advance", json={"to": step}, headers=coordinator.headers
        )
        assert moved.status_code == 200, moved.text
    return cycle_id
