"""Signing in: credentials, tablets, throttling and the audit trail."""

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import AuditEvent, Device, Role, User
from backend.auth.service import MAX_FAILURES_PER_USERNAME
from tests.support.identity import (
    PASSWORD,
    bearer,
    device_payload,
    make_facility,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.asyncio


async def test_login_returns_tokens_that_open_me(client: AsyncClient, db: AsyncSession) -> None:
    school = await make_facility(db, area_code="MN-046")
    user = await make_user(db, Role.PROVIDER, facilities=[school.id])
    tokens = await sign_in(client, user)
    assert tokens["token_type"] == "bearer"
    assert tokens["expires_in"] == 15 * 60
    assert tokens["refresh_expires_in"] == 45 * 24 * 3600
    assert tokens["user"]["role"] == "provider"

    me = await client.get("/auth/v1/me", headers=bearer(tokens))
    assert me.status_code == 200
    body = me.json()
    assert body["user"]["username"] == user.username
    assert [f["id"] for f in body["facilities"]] == [str(school.id)]


async def test_me_lists_the_areas_in_scope(client: AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, Role.MONITOR, areas=["MN-046", "MN-1-SK"])
    me = await client.get("/auth/v1/me", headers=bearer(await sign_in(client, user)))
    areas = {area["code"]: area for area in me.json()["areas"]}
    assert set(areas) == {"MN-046", "MN-1-SK"}
    assert areas["MN-046"]["name_mn"] == "Увс"


async def test_passwords_are_stored_as_argon2id(db: AsyncSession) -> None:
    user = await make_user(db, Role.VIEWER)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


async def test_unknown_user_and_wrong_password_get_the_same_answer(
    client: AsyncClient, db: AsyncSession
) -> None:
    user = await make_user(db, Role.MONITOR)
    wrong = await client.post(
        "/auth/v1/login", json={"username": user.username, "password": "not it at all"}
    )
    unknown = await client.post(
        "/auth/v1/login", json={"username": "nobody-here", "password": "not it at all"}
    )
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda body: {k: v for k, v in body.items() if k != "request_id"}  # noqa: E731
    assert strip(wrong.json()) == strip(unknown.json())
    assert wrong.json()["code"] == "auth.invalid_credentials"


async def test_username_is_case_insensitive(client: AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, Role.MONITOR, username="Bold.Monitor")
    response = await client.post(
        "/auth/v1/login", json={"username": "bold.monitor", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["user"]["id"] == str(user.id)


async def test_deactivated_user_cannot_sign_in(client: AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, Role.MONITOR)
    user.active = False
    await db.commit()
    response = await client.post(
        "/auth/v1/login", json={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_credentials"


async def test_tablet_is_registered_at_login(client: AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, Role.FACILITATOR)
    device = device_payload()
    tokens = await sign_in(client, user, device=device)
    assert tokens["device_id"] == device["id"]
    stored = await db.get(Device, uuid.UUID(device["id"]))
    assert stored is not None
    assert (stored.name, stored.platform, stored.app_version) == (
        "Parent council tablet",
        "android 13",
        "1.4.0",
    )
    assert stored.registered_by == stored.last_user_id == user.id


async def test_shared_tablet_signs_each_user_in_with_a_device_id_of_their_own(
    client: AsyncClient, db: AsyncSession
) -> None:
    first = await make_user(db, Role.MONITOR)
    second = await make_user(db, Role.MONITOR)
    device, seconds = device_payload(), device_payload()
    await sign_in(client, first, device=device)
    refused = await client.post(
        "/auth/v1/login",
        json={"username": second.username, "password": PASSWORD, "device": device},
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "auth.device_taken"
    await sign_in(client, second, device=seconds)
    await sign_in(client, first, device=device | {"app_version": "1.5.0"})
    stored = await db.get(Device, uuid.UUID(device["id"]), populate_existing=True)
    assert stored is not None
    assert (stored.registered_by, stored.last_user_id, stored.app_version) == (
        first.id,
        first.id,
        "1.5.0",
    )


async def test_failed_logins_are_throttled_per_username(
    client: AsyncClient, db: AsyncSession
) -> None:
    user = await make_user(db, Role.MONITOR)
    for _ in range(MAX_FAILURES_PER_USERNAME):
        response = await client.post(
            "/auth/v1/login", json={"username": user.username, "password": "guess-guess"}
        )
        assert response.status_code == 401
    throttled = await client.post(
        "/auth/v1/login", json={"username": user.username, "password": PASSWORD}
    )
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "auth.throttled"
    assert int(throttled.headers["retry-after"]) > 0
    # another account on the same tablet is not locked out by it
    other = await make_user(db, Role.MONITOR)
    assert (await sign_in(client, other))["user"]["id"] == str(other.id)


async def test_sign_ins_are_audited_even_when_refused(
    client: AsyncClient, db: AsyncSession
) -> None:
    user = await make_user(db, Role.MONITOR)
    await sign_in(client, user)
    await client.post("/auth/v1/login", json={"username": user.username, "password": "nope-nope"})
    kinds = list(
        await db.scalars(
            select(AuditEvent.kind)
            .where(AuditEvent.username == user.username, AuditEvent.kind.like("login.%"))
            .order_by(AuditEvent.id)
        )
    )
    assert kinds == ["login.ok", "login.failed"]


async def test_login_body_is_validated_with_the_field(client: AsyncClient) -> None:
    response = await client.post("/auth/v1/login", json={"username": "x", "password": ""})
    assert response.status_code == 400
    assert response.json()["field"] == "password"
    device = await client.post(
        "/auth/v1/login",
        json={"username": "x", "password": "y", "device": {"id": "not-a-uuid"}},
    )
    assert device.status_code == 400
    assert device.json()["field"].startswith("device")


async def test_user_row_is_not_changed_by_a_failed_login(
    client: AsyncClient, db: AsyncSession
) -> None:
    user = await make_user(db, Role.MONITOR)
    before = user.password_hash
    await client.post("/auth/v1/login", json={"username": user.username, "password": "wrong-one"})
    reloaded = await db.scalar(
        select(User).where(User.id == user.id).execution_options(populate_existing=True)
    )
    assert reloaded is not None
    assert reloaded.password_hash == before
