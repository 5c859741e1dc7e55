"""Access tokens that must not open anything: each gets 401 problem+json."""

import base64
import json
import uuid
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from httpx import AsyncClient
from jose import jwt
from litestar import Litestar
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.keys import KeySet, generate_private_pem, key_id
from backend.auth.models import Role
from backend.auth.tokens import TokenIssuer
from tests.support.identity import bearer, device_payload, make_user, sign_in

pytestmark = pytest.mark.asyncio


def _b64(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(issuer: TokenIssuer, tokens: dict) -> dict:
    return jwt.get_unverified_claims(tokens["access_token"])


async def _expect_401(client: AsyncClient, token: str) -> None:
    response = await client.get("/auth/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == "auth.unauthenticated"


async def test_no_token_and_garbage_are_refused(client: AsyncClient) -> None:
    assert (await client.get("/auth/v1/me")).status_code == 401
    await _expect_401(client, "not.a.token")
    response = await client.get("/auth/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_alg_none_is_refused(client: AsyncClient, db: AsyncSession, app: Litestar) -> None:
    tokens = await sign_in(client, await make_user(db, Role.ADMIN))
    claims = _claims(app.state.tokens, tokens)
    header = _b64({"alg": "none", "typ": "JWT", "kid": app.state.tokens.keys.signing_kid})
    unsigned = f"{header}.{_b64(claims)}."
    await _expect_401(client, unsigned)


async def test_token_signed_with_another_key_is_refused(
    client: AsyncClient, db: AsyncSession, app: Litestar
) -> None:
    tokens = await sign_in(client, await make_user(db, Role.ADMIN))
    claims = _claims(app.state.tokens, tokens)
    other_key = generate_private_pem().decode()
    kid = app.state.tokens.keys.signing_kid
    forged = jwt.encode(claims, other_key, algorithm="ES256", headers={"kid": kid})
    await _expect_401(client, forged)


async def test_hs256_signed_with_the_public_key_is_refused(
    client: AsyncClient, db: AsyncSession, app: Litestar
) -> None:
    tokens = await sign_in(client, await make_user(db, Role.ADMIN))
    claims = _claims(app.state.tokens, tokens)
    keys: KeySet = app.state.tokens.keys
    public_pem = keys.verify_pems[keys.signing_kid]
    # python-jose refuses to HMAC with a PEM key, so sign the classic confusion attack by hand
    import hashlib
    import hmac

    header = _b64({"alg": "HS256", "typ": "JWT", "kid": keys.signing_kid})
    body = _b64(claims)
    mac = hmac.new(public_pem.encode(), f"{header}.{body}".encode(), hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(mac).rstrip(b"=").decode()
    await _expect_401(client, f"{header}.{body}.{signature}")


async def test_expired_token_is_refused(
    client: AsyncClient, db: AsyncSession, app: Litestar
) -> None:
    user = await make_user(db, Role.ADMIN)
    tokens = await sign_in(client, user)
    real: TokenIssuer = app.state.tokens
    expired_issuer = TokenIssuer(real.keys, real.issuer, real.audience, timedelta(minutes=-5))
    claims = _claims(real, tokens)
    token, _ = expired_issuer.issue(
        user_id=user.id, device_id=None, session_id=uuid.UUID(claims["sid"])
    )
    await _expect_401(client, token)


async def test_wrong_audience_or_issuer_is_refused(
    client: AsyncClient, db: AsyncSession, app: Litestar
) -> None:
    user = await make_user(db, Role.ADMIN)
    tokens = await sign_in(client, user)
    real: TokenIssuer = app.state.tokens
    sid = uuid.UUID(_claims(real, tokens)["sid"])
    for issuer in (
        TokenIssuer(real.keys, real.issuer, "another-api", real.lifetime),
        TokenIssuer(real.keys, "someone-else", real.audience, real.lifetime),
    ):
        token, _ = issuer.issue(user_id=user.id, device_id=None, session_id=sid)
        await _expect_401(client, token)


async def test_token_of_a_deactivated_user_stops_at_once(
    client: AsyncClient, db: AsyncSession
) -> None:
    user = await make_user(db, Role.COORDINATOR)
    tokens = await sign_in(client, user)
    assert (await client.get("/auth/v1/me", headers=bearer(tokens))).status_code == 200
    user.active = False
    await db.commit()
    await _expect_401(client, tokens["access_token"])


async def test_token_of_a_revoked_device_stops_at_once(
    client: AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    monitor = await make_user(db, Role.MONITOR, areas=["MN-046"])
    device = device_payload()
    tablet = await sign_in(client, monitor, device=device)
    assert (await client.get("/auth/v1/me", headers=bearer(tablet))).status_code == 200
    office = await sign_in(client, coordinator)
    revoked = await client.post(f"/auth/v1/devices/{device['id']}/revoke", headers=bearer(office))
    assert revoked.status_code == 204
    await _expect_401(client, tablet["access_token"])


async def test_rotated_key_keeps_verifying_old_tokens(
    client: AsyncClient, db: AsyncSession, app: Litestar
) -> None:
    user = await make_user(db, Role.ADMIN)
    tokens = await sign_in(client, user)
    old: TokenIssuer = app.state.tokens
    new_private = generate_private_pem()
    new_public = (
        serialization.load_pem_private_key(new_private, password=None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    new_kid = key_id(new_public)
    rotated = KeySet(
        signing_kid=new_kid,
        signing_pem=new_private.decode(),
        verify_pems={**old.keys.verify_pems, new_kid: new_public.decode()},
    )
    app.state.tokens = TokenIssuer(rotated, old.issuer, old.audience, old.lifetime)
    # issued before the rotation, signed with the old key: still good
    assert (await client.get("/auth/v1/me", headers=bearer(tokens))).status_code == 200
    fresh = await sign_in(client, user)
    assert jwt.get_unverified_header(fresh["access_token"])["kid"] == new_kid
    assert (await client.get("/auth/v1/me", headers=bearer(fresh))).status_code == 200
