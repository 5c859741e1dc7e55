"""Admins create accounts, change role and scope, deactivate them and reset passwords."""

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import AuditEvent, Role
from tests.support.identity import bearer, headers_for, make_facility, make_user, sign_in

pytestmark = pytest.mark.asyncio


async def _admin(client: AsyncClient, db: AsyncSession) -> dict[str, str]:
    return await headers_for(client, db, Role.ADMIN)


async def test_admin_creates_a_scoped_account_that_can_sign_in(
    client: AsyncClient, db: AsyncSession
) -> None:
    school = await make_facility(db, area_code="MN-046")
    created = await client.post(
        "/admin/v1/users",
        headers=await _admin(client, db),
        json={
            "username": "tsetseg.provider",
            "display_name": "Цэцэг",
            "role": "provider",
            "password": "a long password",
            "facility_ids": [str(school.id)],
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["facility_ids"] == [str(school.id)]
    assert "password" not in created.text
    login = await client.post(
        "/auth/v1/login", json={"username": "tsetseg.provider", "password": "a long password"}
    )
    assert login.status_code == 200


async def test_duplicate_username_in_another_case_is_409(
    client: AsyncClient, db: AsyncSession
) -> None:
    await make_user(db, Role.MONITOR, username="Bat.Monitor")
    response = await client.post(
        "/admin/v1/users",
        headers=await _admin(client, db),
        json={
            "username": "bat.monitor",
            "display_name": "B",
            "role": "monitor",
            "password": "a long password",
        },
    )
    assert response.status_code == 409
    assert response.json()["code"] == "user.username_taken"
    assert response.json()["field"] == "username"


async def test_unknown_area_and_short_password_name_their_field(
    client: AsyncClient, db: AsyncSession
) -> None:
    admin = await _admin(client, db)
    unknown = await client.post(
        "/admin/v1/users",
        headers=admin,
        json={
            "username": "new.one",
            "display_name": "N",
            "role": "monitor",
            "password": "a long password",
            "area_codes": ["MN-046", "MN-999"],
        },
    )
    assert unknown.status_code == 400
    assert unknown.json()["code"] == "user.unknown_scope"
    assert unknown.json()["field"] == "area_codes[1]"
    short = await client.post(
        "/admin/v1/users",
        headers=admin,
        json={"username": "new.two", "display_name": "N", "role": "monitor", "password": "short"},
    )
    assert short.status_code == 400
    assert short.json()["field"] == "password"


async def test_role_and_scope_changes_are_audited(client: AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, Role.MONITOR, areas=["MN-046"])
    response = await client.patch(
        f"/admin/v1/users/{user.id}",
        headers=await _admin(client, db),
        json={"role": "facilitator", "area_codes": ["MN-046", "MN-043"]},
    )
    assert response.status_code == 200
    assert response.json()["role"] == "facilitator"
    assert response.json()["area_codes"] == ["MN-043", "MN-046"]
    kinds = set(await db.scalars(select(AuditEvent.kind).where(AuditEvent.subject_id == user.id)))
    assert {"user.role_changed", "user.scope_changed"} <= kinds


async def test_deactivation_ends_every_session(client: AsyncClient, db: AsyncSession) -> None:
    user = await make_user(db, Role.MONITOR)
    tokens = await sign_in(client, user)
    response = await client.patch(
        f"/admin/v1/users/{user.id}", headers=await _admin(client, db), json={"active": False}
    )
    assert response.status_code == 200
    assert (await client.get("/auth/v1/me", headers=bearer(tokens))).status_code == 401
    refresh = await client.post("/auth/v1/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401


async def test_password_reset_ends_sessions_and_sets_the_new_password(
    client: AsyncClient, db: AsyncSession
) -> None:
    user = await make_user(db, Role.MONITOR)
    tokens = await sign_in(client, user)
    response = await client.post(
        f"/admin/v1/users/{user.id}/password",
        headers=await _admin(client, db),
        json={"password": "brand new secret"},
    )
    assert response.status_code == 204
    refresh = await client.post("/auth/v1/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401
    assert (await sign_in(client, user, password="brand new secret"))["user"]["id"] == str(user.id)
    event = await db.scalar(
        select(AuditEvent).where(
            AuditEvent.kind == "user.password_reset", AuditEvent.subject_id == user.id
        )
    )
    assert event is not None


async def test_server_owned_fields_cannot_be_set_by_the_client(
    client: AsyncClient, db: AsyncSession
) -> None:
    response = await client.post(
        "/admin/v1/users",
        headers=await _admin(client, db),
        json={
            "username": "sneaky",
            "display_name": "S",
            "role": "viewer",
            "password": "a long password",
            "id": "00000000-0000-4000-8000-000000000001",
            "password_hash": "$argon2id$forged",
            "active": False,
        },
    )
    assert response.status_code == 201
    body = response.json()
    assert body["id"] != "00000000-0000-4000-8000-000000000001"
    assert body["active"] is True


async def test_unknown_user_is_404(client: AsyncClient, db: AsyncSession) -> None:
    response = await client.get(
        "/admin/v1/users/00000000-0000-4000-8000-000000000099", headers=await _admin(client, db)
    )
    assert response.status_code == 404
