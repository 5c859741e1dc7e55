"""Admins set a user's address, language and reminders; users turn their own off and on."""

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from tests.support.identity import bearer, headers_for, make_user, sign_in

pytestmark = pytest.mark.asyncio


async def test_admin_sets_address_language_and_reminders(
    client: AsyncClient, db: AsyncSession
) -> None:
    admin = await headers_for(client, db, Role.ADMIN)
    created = await client.post(
        "/admin/v1/users",
        headers=admin,
        json={
            "username": "bolormaa",
            "display_name": "Bolormaa",
            "role": "coordinator",
            "password": "long enough password",
            "area_codes": ["MN-046"],
            "email": "bolormaa@uvs.gov.mn",
            "language": "en",
        },
    )
    assert created.status_code == 201, created.text
    user = created.json()
    assert (user["email"], user["language"], user["reminders"]) == (
        "bolormaa@uvs.gov.mn",
        "en",
        True,
    )

    changed = await client.patch(
        f"/admin/v1/users/{user['id']}",
        headers=admin,
        json={"email": None, "language": "mn", "reminders": False},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["email"], body["language"], body["reminders"]) == (None, "mn", False)
    assert body["area_codes"] == ["MN-046"]  # the rest stays

    for bad in ({"email": "not an address"}, {"language": "ru"}):
        refused = await client.patch(f"/admin/v1/users/{user['id']}", headers=admin, json=bad)
        assert refused.status_code == 400, refused.text


async def test_users_turn_their_own_reminders_off_and_choose_the_language(
    client: AsyncClient, db: AsyncSession
) -> None:
    provider = await make_user(db, Role.PROVIDER)
    provider.email = "director@school.mn"
    await db.commit()
    headers = bearer(await sign_in(client, provider))

    mine = await client.get("/auth/v1/me/preferences", headers=headers)
    assert mine.status_code == 200
    assert mine.json() == {"email": "director@school.mn", "language": "mn", "reminders": True}

    changed = await client.patch(
        "/auth/v1/me/preferences",
        headers=headers,
        # the address is an admin's to set: sent here, it is not taken
        json={"reminders": False, "language": "en", "email": "someone@else.mn"},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"email": "director@school.mn", "language": "en", "reminders": False}
    back_on = await client.patch(
        "/auth/v1/me/preferences", headers=headers, json={"reminders": True}
    )
    assert back_on.json() == {"email": "director@school.mn", "language": "en", "reminders": True}
    assert (await client.get("/auth/v1/me/preferences")).status_code == 401
