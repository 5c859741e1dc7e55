"""Coordinators list and revoke the tablets of their own areas only."""

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import AuditEvent, Role
from tests.support.identity import bearer, device_payload, make_user, sign_in

pytestmark = pytest.mark.asyncio


async def test_coordinator_lists_only_tablets_of_their_areas(
    client: AsyncClient, db: AsyncSession
) -> None:
    uvs_monitor = await make_user(db, Role.MONITOR, areas=["MN-046"])
    khovd_monitor = await make_user(db, Role.MONITOR, areas=["MN-043"])
    uvs_tablet, khovd_tablet = device_payload(), device_payload()
    await sign_in(client, uvs_monitor, device=uvs_tablet)
    await sign_in(client, khovd_monitor, device=khovd_tablet)
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    listed = await client.get(
        "/auth/v1/devices", headers=bearer(await sign_in(client, coordinator))
    )
    assert listed.status_code == 200
    assert [d["id"] for d in listed.json()] == [uvs_tablet["id"]]


async def test_device_out_of_scope_answers_404(client: AsyncClient, db: AsyncSession) -> None:
    khovd_monitor = await make_user(db, Role.MONITOR, areas=["MN-043"])
    tablet = device_payload()
    monitor_tokens = await sign_in(client, khovd_monitor, device=tablet)
    uvs_coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    office = await sign_in(client, uvs_coordinator)
    response = await client.post(f"/auth/v1/devices/{tablet['id']}/revoke", headers=bearer(office))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    # and the tablet still works
    assert (await client.get("/auth/v1/me", headers=bearer(monitor_tokens))).status_code == 200


async def test_revocation_is_audited(client: AsyncClient, db: AsyncSession) -> None:
    monitor = await make_user(db, Role.MONITOR, areas=["MN-1-SK"])
    tablet = device_payload()
    await sign_in(client, monitor, device=tablet)
    # a coordinator of all Ulaanbaatar covers its districts
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-1"])
    office = await sign_in(client, coordinator)
    response = await client.post(f"/auth/v1/devices/{tablet['id']}/revoke", headers=bearer(office))
    assert response.status_code == 204
    event = await db.scalar(select(AuditEvent).where(AuditEvent.kind == "device.revoked"))
    assert event is not None
    assert (event.actor_id, str(event.device_id)) == (coordinator.id, tablet["id"])
