"""Turning a bearer token into a Principal, checked against the database on every request."""

from __future__ import annotations

from litestar.enums import ScopeType
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy import exists, false, func, select

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


def bearer_token(connection: Connection) -> str:
    header = connection.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthenticated()
    return token.strip()


async def authenticate(connection: Connection) -> Principal:
    """Verify the token, then that its user is active, its device not revoked, its session live."""
    issuer: TokenIssuer = connection.app.state.tokens
    try:
        claims = issuer.verify(bearer_token(connection))
    except InvalidToken:
        raise Unauthenticated("The access token is invalid or expired.") from None

    device_revoked = (
        select(Device.revoked_at.is_not(None))
        .where(Device.id == claims.device_id)
        .scalar_subquery()
        if claims.device_id
        else None
    )
    session_live = exists().where(
        RefreshToken.family_id == claims.session_id, RefreshToken.revoked_at.is_(None)
    )
    query = select(
        User.username,
        User.role,
        User.active,
        func.array(select(UserArea.area_code).where(UserArea.user_id == User.id).scalar_subquery()),
        func.array(
            select(UserFacility.facility_id)
            .where(UserFacility.user_id == User.id)
            .scalar_subquery()
        ),
        session_live,
        device_revoked if device_revoked is not None else select(false()).scalar_subquery(),
    ).where(User.id == claims.user_id)

    database: Database = connection.app.state.database
    async with database.sessionmaker() as session:
        row = (await session.execute(query)).one_or_none()
    if row is None:
        raise Unauthenticated("The access token is invalid or expired.")
    username, role, active, area_codes, facility_ids, live, revoked = row
    if not active:
        raise Unauthenticated("This account is deactivated.")
    if revoked or revoked is None:
        raise Unauthenticated("This device has been revoked.")
    if not live:
        raise Unauthenticated("This session has ended; sign in again.")
    return Principal(
        user_id=claims.user_id,
        username=username,
        role=Role(role),
        device_id=claims.device_id,
        session_id=claims.session_id,
        # a provider belongs to its facilities only: an area it was given once (before the
        # rule that refuses it) gives it nothing
        area_codes=() if role == Role.PROVIDER else tuple(area_codes),
        facility_ids=tuple(facility_ids),
    )


async def enforce_access(connection: Connection, handler: BaseRouteHandler) -> None:
    """App-wide guard: authenticate unless the route is public, then check the role."""
    access = declared_access(handler)
    if access == "public" or (access is None and _always_public(connection)):
        return
    if not isinstance(access, frozenset):
        raise UndeclaredAccess("This route declares no access policy.")
    principal = await authenticate(connection)
    if principal.role not in access:
        raise Forbidden(f"The {principal.role} role may not do this.")
    connection.scope["state"]["principal"] = principal


def _always_public(connection: Connection) -> bool:
    """The API documentation, and the OPTIONS answers Litestar makes for every path."""
    return connection.url.path.startswith(DOCS_PREFIX) or (
        connection.scope["type"] == ScopeType.HTTP and connection.scope["method"] == "OPTIONS"
    )
