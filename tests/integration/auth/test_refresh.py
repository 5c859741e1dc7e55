"""Refresh tokens: rotation, reuse detection, the grace window, sign-out."""

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import service
from backend.auth.models import AuditEvent, RefreshToken, Role
from tests.support.identity import bearer, device_payload, make_user, sign_in

pytestmark = pytest.mark.asyncio


async def _refresh(client: AsyncClient, token: str):  # type: ignore[no-untyped-def]
    return await client.post("/auth/v1/refresh", json={"refresh_token": token})


async def test_refresh_rotates_the_token(client: AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, Role.MONITOR)
    first = await sign_in(client, user, device=device_payload())
    second = await _refresh(client, first["refresh_token"])
    assert second.status_code == 200
    body = second.json()
    assert body["refresh_token"] != first["refresh_token"]
    assert body["device_id"] == first["device_id"]
    assert (await client.get("/auth/v1/me", headers=bearer(body))).status_code == 200
    third = await _refresh(client, body["refresh_token"])
    assert third.status_code == 200


async def test_refresh_tokens_are_stored_hashed(client: AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, Role.MONITOR)
    tokens = await sign_in(client, user)
    hashes = list(await db.scalars(select(RefreshToken.token_hash)))
    assert tokens["refresh_token"] not in hashes


async def test_reuse_of_a_spent_token_revokes_the_family(
    client: AsyncClient, db: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "REFRESH_GRACE", service.timedelta(0))
    user = await make_user(db, Role.MONITOR)
    first = await sign_in(client, user)
    second = (await _refresh(client, first["refresh_token"])).json()

    stolen = await _refresh(client, first["refresh_token"])
    assert stolen.status_code == 401
    assert stolen.json()["code"] == "auth.invalid_refresh_token"
    # the legitimate holder's newer tokens are gone too: the whole sign-in is revoked
    assert (await _refresh(client, second["refresh_token"])).status_code == 401
    assert (await client.get("/auth/v1/me", headers=bearer(second))).status_code == 401
    reuse = await db.scalar(select(AuditEvent).where(AuditEvent.kind == "refresh.reused"))
    assert reuse is not None
    assert reuse.subject_id == user.id


async def test_retry_after_a_lost_response_is_allowed_within_the_grace_window(
    client: AsyncClient, db: AsyncSession
) -> None:
    user = await make_user(db, Role.MONITOR)
    first = await sign_in(client, user)
    lost = (await _refresh(client, first["refresh_token"])).json()  # the tablet never got this
    retry = await _refresh(client, first["refresh_token"])
    assert retry.status_code == 200
    # the answer that never arrived is withdrawn; the retried one carries on
    assert (await _refresh(client, lost["refresh_token"])).status_code == 401
    assert (await _refresh(client, retry.json()["refresh_token"])).status_code == 200


async def test_unknown_refresh_token_is_refused(client: AsyncClient) -> None:
    response = await _refresh(client, "made-up-token")
    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_refresh_token"


async def test_logout_revokes_the_tablets_refresh_tokens(
    client: AsyncClient, db: AsyncSession
) -> None:
    user = await make_user(db, Role.FACILITATOR)
    device = device_payload()
    tokens = await sign_in(client, user, device=device)
    other_sign_in = await sign_in(client, user, device=device)
    assert (await client.post("/auth/v1/logout", headers=bearer(tokens))).status_code == 204
    assert (await _refresh(client, tokens["refresh_token"])).status_code == 401
    assert (await _refresh(client, other_sign_in["refresh_token"])).status_code == 401
    assert (await client.get("/auth/v1/me", headers=bearer(tokens))).status_code == 401


async def test_refresh_on_a_revoked_device_is_refused(
    client: AsyncClient, db: AsyncSession
) -> None:
    admin = await make_user(db, Role.ADMIN)
    monitor = await make_user(db, Role.MONITOR)
    device = device_payload()
    tablet = await sign_in(client, monitor, device=device)
    office = await sign_in(client, admin)
    await client.post(f"/auth/v1/devices/{device['id']}/revoke", headers=bearer(office))
    assert (await _refresh(client, tablet["refresh_token"])).status_code == 401
    again = await client.post(
        "/auth/v1/login",
        json={"username": monitor.username, "password": "correct horse battery", "device": device},
    )
    assert again.status_code == 403
    assert again.json()["code"] == "auth.device_revoked"


async def test_refresh_lifetime_follows_settings(client: AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, Role.MONITOR)
    await sign_in(client, user)
    token = await db.scalar(select(RefreshToken).where(RefreshToken.user_id == user.id))
    assert token is not None
    lifetime = token.expires_at - token.issued_at
    assert 44.9 < lifetime.total_seconds() / 86400 < 45.1
