"""No password and no token ever reaches a log line."""

import logging

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from tests.support.identity import PASSWORD, bearer, device_payload, make_user, sign_in

pytestmark = pytest.mark.asyncio


async def test_sign_in_refresh_and_failures_log_no_secrets(
    client: AsyncClient, db: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    user = await make_user(db, Role.FACILITATOR)
    tokens = await sign_in(client, user, device=device_payload())
    refreshed = (
        await client.post("/auth/v1/refresh", json={"refresh_token": tokens["refresh_token"]})
    ).json()
    await client.get("/auth/v1/me", headers=bearer(refreshed))
    await client.post(
        "/auth/v1/login", json={"username": user.username, "password": "wrong-pass-1"}
    )
    await client.post("/auth/v1/refresh", json={"refresh_token": "forged-refresh-token"})
    await client.get("/auth/v1/me", headers={"Authorization": "Bearer forged.access.token"})

    logged = "\n".join(
        f"{record.getMessage()} {record.__dict__.get('msg')}" for record in caplog.records
    )
    assert "/auth/v1/login" in logged  # the access lines were captured
    secrets = [
        PASSWORD,
        "wrong-pass-1",
        tokens["access_token"],
        tokens["refresh_token"],
        refreshed["access_token"],
        refreshed["refresh_token"],
        "forged-refresh-token",
        "forged.access.token",
    ]
    for secret in secrets:
        assert secret not in logged
