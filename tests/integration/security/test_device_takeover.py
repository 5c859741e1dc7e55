"""A device id belongs to the user who registered it: a colleague with a legitimate account
cannot sign in with a facilitator's tablet id to take over its numbering, hide it from its
coordinator or end the facilitator's session."""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from alembic.script import ScriptDirectory
from httpx import AsyncClient
from litestar import Litestar
from sqlalchemy import select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import AuditEvent, Device, RefreshToken, Role, User
from backend.database import migrate
from backend.database.session import Database
from tests.support import databases
from tests.support.field import Tablet, programme
from tests.support.identity import PASSWORD, bearer, device_payload, make_user, sign_in
from tests.support.sync_data import meeting, submission

OWNER_REVISION = "a6d3f0e8c215"


async def _login(client: AsyncClient, user: User, device: dict[str, Any] | None):  # type: ignore[no-untyped-def]
    body: dict[str, Any] = {"username": user.username, "password": PASSWORD}
    if device is not None:
        body["device"] = device
    return await client.post("/auth/v1/login", json=body)


async def _refresh(client: AsyncClient, token: str):  # type: ignore[no-untyped-def]
    return await client.post("/auth/v1/refresh", json={"refresh_token": token})


async def _session_on(
    app: Litestar, db: AsyncSession, user: User, device_id: uuid.UUID
) -> dict[str, str]:
    """A session opened with a device id before device ids had owners (a takeover then)."""
    family, refresh = uuid.uuid4(), secrets.token_urlsafe(32)
    db.add(
        RefreshToken(
            family_id=family,
            token_hash=hashlib.sha256(refresh.encode()).hexdigest(),
            user_id=user.id,
            device_id=device_id,
            expires_at=datetime.now(UTC) + timedelta(days=1),
        )
    )
    await db.commit()
    access, _ = app.state.tokens.issue(user_id=user.id, device_id=device_id, session_id=family)
    return {"access_token": access, "refresh_token": refresh}


@pytest.mark.asyncio
async def test_sign_in_with_a_facilitators_device_id_is_refused_and_audited(
    client: AsyncClient, db: AsyncSession
) -> None:
    facilitator = await make_user(db, Role.FACILITATOR, areas=["MN-046"])
    intruder = await make_user(db, Role.MONITOR, areas=["MN-046"])
    tablet = device_payload()
    await sign_in(client, facilitator, device=tablet)

    refused = await _login(client, intruder, tablet | {"name": "My tablet now"})

    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    problem = refused.json()
    assert (problem["code"], problem["field"]) == ("auth.device_taken", "device.id")
    assert "access_token" not in problem
    event = await db.scalar(select(AuditEvent).where(AuditEvent.kind == "login.device_taken"))
    assert event is not None
    assert (event.actor_id, event.subject_id, str(event.device_id), event.username) == (
        intruder.id,
        facilitator.id,
        tablet["id"],
        intruder.username,
    )
    stored = await db.get(Device, uuid.UUID(tablet["id"]), populate_existing=True)
    assert stored is not None
    assert (stored.registered_by, stored.last_user_id, stored.name) == (
        facilitator.id,
        facilitator.id,
        tablet["name"],
    )


@pytest.mark.asyncio
async def test_a_wrong_password_with_a_taken_device_id_says_only_wrong_password(
    client: AsyncClient, db: AsyncSession
) -> None:
    facilitator = await make_user(db, Role.FACILITATOR, areas=["MN-046"])
    intruder = await make_user(db, Role.MONITOR, areas=["MN-046"])
    tablet = device_payload()
    await sign_in(client, facilitator, device=tablet)
    response = await client.post(
        "/auth/v1/login",
        json={"username": intruder.username, "password": "not-my-password", "device": tablet},
    )
    assert response.status_code == 401
    assert response.json()["code"] == "auth.invalid_credentials"


@pytest.mark.asyncio
async def test_owners_next_push_applies_after_a_refused_takeover(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    owner = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    first = await owner.push(
        owner.mutation("submission", "create", uuid.uuid4(), submission(field))
    )
    assert first["last_mutation_id"] == 1

    intruder = await field.user(Role.MONITOR)
    refused = await _login(committed_client, intruder, device_payload(owner.device_id))
    assert refused.status_code == 409
    assert refused.json()["code"] == "auth.device_taken"
    # the intruder's own tablet cannot push into the facilitator's numbering either
    own = await Tablet(committed_client, intruder).sign_in()
    stolen_numbers = [own.mutation("interface_meeting", "create", uuid.uuid4(), meeting(field))]
    mismatch = await own.push_raw(stolen_numbers, device_id=str(owner.device_id))
    assert mismatch.status_code == 403
    assert mismatch.json()["code"] == "sync.device_mismatch"

    second = await owner.push(
        owner.mutation("interface_meeting", "create", uuid.uuid4(), meeting(field))
    )
    assert [r["status"] for r in second["results"]] == ["applied"]
    assert second["last_mutation_id"] == 2


@pytest.mark.asyncio
async def test_tablet_stays_in_its_coordinators_list_and_can_be_revoked(
    client: AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    facilitator = await make_user(db, Role.FACILITATOR, areas=["MN-046"])
    intruder = await make_user(db, Role.MONITOR, areas=["MN-043"])  # another aimag
    tablet = device_payload()
    owner = await sign_in(client, facilitator, device=tablet)
    assert (await _login(client, intruder, tablet)).status_code == 409

    office = bearer(await sign_in(client, coordinator))
    listed = (await client.get("/auth/v1/devices", headers=office)).json()
    assert [(d["id"], d["registered_by"]) for d in listed] == [(tablet["id"], str(facilitator.id))]

    revoked = await client.post(f"/auth/v1/devices/{tablet['id']}/revoke", headers=office)
    assert revoked.status_code == 204
    assert (await client.get("/auth/v1/me", headers=bearer(owner))).status_code == 401


@pytest.mark.asyncio
async def test_intruders_sign_out_leaves_the_owners_session_working(
    client: AsyncClient, db: AsyncSession
) -> None:
    facilitator = await make_user(db, Role.FACILITATOR, areas=["MN-046"])
    intruder = await make_user(db, Role.MONITOR, areas=["MN-046"])
    tablet = device_payload()
    owner = await sign_in(client, facilitator, device=tablet)
    assert (await _login(client, intruder, tablet)).status_code == 409
    own = await sign_in(client, intruder, device=device_payload())

    assert (await client.post("/auth/v1/logout", headers=bearer(own))).status_code == 204

    assert (await client.get("/auth/v1/me", headers=bearer(owner))).status_code == 200
    assert (await _refresh(client, owner["refresh_token"])).status_code == 200


@pytest.mark.asyncio
async def test_a_session_opened_on_someone_elses_tablet_neither_refreshes_nor_signs_it_out(
    client: AsyncClient, db: AsyncSession, app: Litestar
) -> None:
    facilitator = await make_user(db, Role.FACILITATOR, areas=["MN-046"])
    intruder = await make_user(db, Role.MONITOR, areas=["MN-046"])
    tablet = device_payload()
    owner = await sign_in(client, facilitator, device=tablet)
    stolen = await _session_on(app, db, intruder, uuid.UUID(tablet["id"]))

    refused = await _refresh(client, stolen["refresh_token"])
    assert refused.status_code == 401
    assert refused.json()["code"] == "auth.invalid_refresh_token"
    assert (await client.post("/auth/v1/logout", headers=bearer(stolen))).status_code == 204

    assert (await client.get("/auth/v1/me", headers=bearer(owner))).status_code == 200
    assert (await _refresh(client, owner["refresh_token"])).status_code == 200


@pytest.mark.asyncio
async def test_two_first_sign_ins_with_one_new_device_id_register_it_once(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    facilitator = await field.user(Role.FACILITATOR)
    intruder = await field.user(Role.MONITOR)
    tablet = device_payload()

    answers = await asyncio.gather(
        _login(committed_client, facilitator, tablet), _login(committed_client, intruder, tablet)
    )

    assert sorted(a.status_code for a in answers) == [200, 409]
    winner = next(a for a in answers if a.status_code == 200).json()["user"]["id"]
    async with committed_database.sessionmaker() as db:
        stored = await db.get_one(Device, uuid.UUID(tablet["id"]))
    assert str(stored.registered_by) == winner == str(stored.last_user_id)


def _insert_before_owners(url: str, statements: list[tuple[str, tuple[Any, ...]]]) -> None:
    async def run() -> None:
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            for statement, args in statements:
                await connection.execute(statement, *args)
        finally:
            await connection.close()

    asyncio.run(run())


def _fetch(url: str, query: str) -> list[asyncpg.Record]:
    async def run() -> list[asyncpg.Record]:
        dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        connection = await asyncpg.connect(dsn)
        try:
            return await connection.fetch(query)
        finally:
            await connection.close()

    return asyncio.run(run())


def test_upgrade_gives_a_taken_over_tablet_back_to_who_registered_it(server_url: str) -> None:
    name = databases.new_name("scorecard_owner")
    url = databases.create_database(server_url, name)
    try:
        before = ScriptDirectory(str(migrate.ROOT / "migrations")).get_revision(OWNER_REVISION)
        migrate.upgrade(url, str(before.down_revision))
        owner, intruder = uuid.uuid4(), uuid.uuid4()
        taken, lone = uuid.uuid4(), uuid.uuid4()
        now = datetime.now(UTC)
        user = (
            "INSERT INTO user_account (id, username, display_name, role, password_hash) "
            "VALUES ($1, $2, $2, $3, 'x')"
        )
        device = (
            "INSERT INTO device (id, name, platform, app_version, last_user_id) "
            "VALUES ($1, 'Tablet', 'android', '1.4.0', $2)"
        )
        login = (
            "INSERT INTO audit_event (kind, subject_id, device_id, at) "
            "VALUES ('login.ok', $1, $2, $3)"
        )
        session = (
            "INSERT INTO refresh_token (family_id, token_hash, user_id, device_id, expires_at) "
            "VALUES (gen_random_uuid(), $1, $2, $3, $4)"
        )
        _insert_before_owners(
            url,
            [
                (user, (owner, "owner", "facilitator")),
                (user, (intruder, "intruder", "monitor")),
                # the intruder signed in last with the facilitator's id: last_user_id is theirs
                (device, (taken, intruder)),
                (device, (lone, intruder)),
                (login, (owner, taken, now - timedelta(days=2))),
                (login, (intruder, taken, now - timedelta(days=1))),
                (session, ("owner-token", owner, taken, now + timedelta(days=1))),
                (session, ("intruder-token", intruder, taken, now + timedelta(days=1))),
            ],
        )

        migrate.upgrade(url)

        owners = dict(_fetch(url, "SELECT id, registered_by FROM device"))
        assert owners == {taken: owner, lone: intruder}
        live = _fetch(url, "SELECT token_hash FROM refresh_token WHERE revoked_at IS NULL")
        assert [row["token_hash"] for row in live] == ["owner-token"]
    finally:
        databases.drop_database(server_url, name)
