"""Turning a bearer token or a browser session into a Principal, checked against the database
on every request."""

from __future__ import annotations

import uuid

from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy import exists, false, func, select, true

from backend.auth import browser
from backend.auth.models import Device, RefreshToken, Role, User, UserArea, UserFacility
from backend.auth.policy import (
    DOCS_PREFIX,
    Connection,
    Forbidden,
    Principal,
    Unauthenticated,
    UndeclaredAccess,
    declared_access,
)
from backend.auth.tokens import InvalidToken, TokenIssuer
from backend.database.session import Database

# paths whose every method a browser session may call: the console, whose forms carry a CSRF
# token; elsewhere a session opens only what a link opens (GET: pages and downloads)
CONSOLE_PREFIX = "/console/"
LINK_METHODS = frozenset({"GET", "HEAD"})


def bearer_token(connection: Connection) -> str:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated()
    return token.strip()


def session_cookie(connection: Connection) -> str | None:
    """The browser session's cookie where it may open this request, else None."""
    if "authorization" in connection.headers:
        return None
    token = connection.cookies.get(browser.COOKIE)
    if not token:
        return None
    method = connection.scope.get("method", "GET")
    if connection.url.path.startswith(CONSOLE_PREFIX) or method in LINK_METHODS:
        return token
    return None


async def authenticate(connection: Connection) -> Principal:
    """A bearer token (tablets, API clients) or a browser session, then, checked in the
    database on every request: the user active, the device not revoked, the session live."""
    database: Database = connection.app.state.database
    cookie = session_cookie(connection)
    if cookie is not None:
        async with database.sessionmaker() as session:
            found = (await session.execute(browser.live_session(cookie))).one_or_none()
        if found is None:
            raise Unauthenticated("This session has ended; sign in again.")
        session_id, user_id = found
        return await _principal(
            database, user_id=user_id, device_id=None, session_id=session_id, by_browser=True
        )
    issuer: TokenIssuer = connection.app.state.tokens
    try:
        claims = issuer.verify(bearer_token(connection))
    except InvalidToken:
        raise Unauthenticated("The access token is invalid or expired.") from None
    return await _principal(
        database,
        user_id=claims.user_id,
        device_id=claims.device_id,
        session_id=claims.session_id,
        by_browser=False,
    )


async def _principal(
    database: Database,
    *,
    user_id: uuid.UUID,
    device_id: uuid.UUID | None,
    session_id: uuid.UUID,
    by_browser: bool,
) -> Principal:
    device_revoked = (
        select(Device.revoked_at.is_not(None)).where(Device.id == device_id).scalar_subquery()
        if device_id
        else select(false()).scalar_subquery()
    )
    # a browser session was found live a moment ago; a token's sign-in is its refresh family
    session_live = (
        true()
        if by_browser
        else exists().where(RefreshToken.family_id == session_id, RefreshToken.revoked_at.is_(None))
    )
    query = select(
        User.username,
        User.role,
        User.active,
        User.language,
        func.array(select(UserArea.area_code).where(UserArea.user_id == User.id).scalar_subquery()),
        func.array(
            select(UserFacility.facility_id)
            .where(UserFacility.user_id == User.id)
            .scalar_subquery()
        ),
        session_live,
        device_revoked,
    ).where(User.id == user_id)
    async with database.sessionmaker() as session:
        row = (await session.execute(query)).one_or_none()
    if row is None:
        raise Unauthenticated("The access token is invalid or expired.")
    username, role, active, language, area_codes, facility_ids, live, revoked = row
    if not active:
        raise Unauthenticated("This account is deactivated.")
    if revoked or revoked is None:
        raise Unauthenticated("This device has been revoked.")
    if not live:
        raise Unauthenticated("This session has ended; sign in again.")
    return Principal(
        user_id=user_id,
        username=username,
        role=Role(role),
        device_id=device_id,
        session_id=session_id,
        # a provider belongs to its facilities only: an area it was given once (before the
        # rule that refuses it) gives it nothing
        area_codes=() if role == Role.PROVIDER else tuple(area_codes),
        facility_ids=tuple(facility_ids),
        language=language,
        browser=by_browser,
    )


async def enforce_access(connection: Connection, handler: BaseRouteHandler) -> None:
    """App-wide guard: authenticate unless the route is public, then check the role."""
    access = declared_access(handler)
    if access == "public" or (access is None and _always_public(connection)):
        return
    if not isinstance(access, frozenset):
        raise UndeclaredAccess("This route declares no access policy.")
    principal = await authenticate(connection)
    # known before a refusal too: a refused console screen still shows who is signed in
    connection.scope["state"]["principal"] = principal
    if principal.role not in access:
        raise Forbidden(f"The {principal.role} role may not do this.")


def _always_public(connection: Connection) -> bool:
    """The API documentation, and the OPTIONS answers Litestar makes for every path."""
    return connection.url.path.startswith(DOCS_PREFIX) or (
        connection.scope["type"] == ScopeType.HTTP and connection.scope["method"] == "OPTIONS"
    )
