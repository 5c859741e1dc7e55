"""Sign-in for people with a browser: a session cookie whose value is kept as its SHA-256 in
PostgreSQL, so that every worker and node serves it and signing out, a new password or a
deactivated account ends it at once.

Sessions are rows of our own beside the refresh tokens rather than a generic session store
(Advanced Alchemy's backend, Litestar's stores): the rule "a user's sessions end with their
password" needs the user on the row, and a store of opaque session data has none. The cookie is
HttpOnly, SameSite=Lax, Secure in production, and a new value at every sign-in.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import audit
from backend.auth.models import BrowserSession, User
from backend.auth.service import check_password

COOKIE = "scorecard_session"
LIFETIME = timedelta(hours=12)  # one working day; then the person signs in again


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def sign_in(
    db: AsyncSession, *, username: str, password: str, client: str | None
) -> tuple[str, User]:
    """Check the credentials as the API sign-in does; a new session and its cookie value."""
    user = await check_password(
        db, username=username, password=password, device_id=None, client=client
    )
    token = secrets.token_urlsafe(32)
    db.add(
        BrowserSession(
            token_hash=token_hash(token),
            user_id=user.id,
            expires_at=datetime.now(UTC) + LIFETIME,
            client=client,
        )
    )
    await db.flush()
    await audit.record(
        db, audit.LOGIN_OK, subject_id=user.id, username=user.username, client=client, browser=True
    )
    return token, user


async def sign_out(db: AsyncSession, *, session_id: uuid.UUID, user_id: uuid.UUID) -> None:
    await db.execute(
        update(BrowserSession)
        .where(BrowserSession.id == session_id, BrowserSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    await audit.record(db, audit.LOGOUT, actor_id=user_id, browser=True)


async def end_all(db: AsyncSession, user_id: uuid.UUID) -> None:
    """Every browser session of the account ends now (a new password, deactivation)."""
    await db.execute(
        update(BrowserSession)
        .where(BrowserSession.user_id == user_id, BrowserSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


def live_session(token: str) -> Select[uuid.UUID, uuid.UUID]:
    """(session id, user id) of a live session with this cookie value."""
    return select(BrowserSession.id, BrowserSession.user_id).where(
        BrowserSession.token_hash == token_hash(token),
        BrowserSession.revoked_at.is_(None),
        BrowserSession.expires_at > func.now(),
    )


async def end_by_token(db: AsyncSession, token: str) -> None:
    """The session a browser held before signing in again ends: one browser, one session."""
    await db.execute(
        update(BrowserSession)
        .where(BrowserSession.token_hash == token_hash(token), BrowserSession.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
