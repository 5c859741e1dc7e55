"""Accounts, facilities and sign-ins for tests."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role, User
from backend.facilities.models import Facility
from backend.users import service as users
from backend.users.schemas import UserCreate

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


async def make_user(
    db: AsyncSession,
    role: Role,
    *,
    username: str | None = None,
    areas: list[str] | None = None,
    facilities: list[uuid.UUID] | None = None,
    password: str = PASSWORD,
) -> User:
    user = await users.create(
        db,
        data=UserCreate(
            username=username or f"{role.value}{next(_numbers)}",
            display_name=f"Test {role.value}",
            role=role,
            password=password,
            area_codes=areas or [],
            facility_ids=facilities or [],
        ),
        by=None,
    )
    await db.commit()
    return user


async def make_facility(
    db: AsyncSession, *, area_code: str, kind: str = "school", name: str = "Test school"
) -> Facility:
    facility = Facility(type=kind, name_mn=name, name_en=name, area_code=area_code)
    db.add(facility)
    await db.commit()
    return facility


def device_payload(device_id: uuid.UUID | None = None) -> dict[str, Any]:
    return {
        "id": str(device_id or uuid.uuid4()),
        "name": "Parent council tablet",
        "platform": "android 13",
        "app_version": "1.4.0",
    }


async def sign_in(
    client: httpx.AsyncClient,
    user: User,
    *,
    password: str = PASSWORD,
    device: dict[str, Any] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {"username": user.username, "password": password}
    if device is not None:
        body["device"] = device
    response = await client.post("/auth/v1/login", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def headers_for(
    client: httpx.AsyncClient, db: AsyncSession, role: Role, **scope: Any
) -> dict[str, str]:
    user = await make_user(db, role, **scope)
    return bearer(await sign_in(client, user))
