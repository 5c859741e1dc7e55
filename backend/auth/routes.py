"""Sign-in, tokens, the current user and tablets (API.md, "Auth and devices")."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from litestar import Request, get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from backend.auth import devices, service
from backend.auth.models import Role
from backend.auth.policy import PUBLIC, SIGNED_IN, CurrentPrincipal, allow
from backend.auth.schemas import DeviceOut, LoginIn, MeOut, RefreshIn, TokenOut
from backend.database.session import DbSession
from backend.settings import Settings
from backend.users import service as users
from backend.users.schemas import Preferences, PreferencesUpdate


def _refresh_lifetime(state: State) -> timedelta:
    settings: Settings = state.settings
    return timedelta(days=settings.refresh_token_days)


def _client(request: Request[Any, Any, Any]) -> str | None:
    return request.client.host if request.client else None


@post("/auth/v1/login", opt=PUBLIC, tags=["auth"], status_code=200)
async def login(
    db: DbSession, state: State, request: Request[Any, Any, Any], data: JSONBody[LoginIn]
) -> TokenOut:
    """Sign in with username and password; a tablet signs in with a device id of its user's own.

    The first sign-in with a device id registers it to that user; another user signing in with
    it is refused (409 `auth.device_taken`)."""
    return await service.login(
        db,
        issuer=state.tokens,
        refresh_lifetime=_refresh_lifetime(state),
        username=data.username,
        password=data.password,
        device=data.device,
        client=_client(request),
    )


@post("/auth/v1/refresh", opt=PUBLIC, tags=["auth"], status_code=200)
async def refresh(
    db: DbSession, state: State, request: Request[Any, Any, Any], data: JSONBody[RefreshIn]
) -> TokenOut:
    """Spend a refresh token for a new pair. A spent token used again revokes the whole sign-in
    (except a retry within 60 seconds, which is taken for a lost response)."""
    return await service.refresh(
        db,
        issuer=state.tokens,
        refresh_lifetime=_refresh_lifetime(state),
        refresh_token=data.refresh_token,
        client=_client(request),
    )


@post("/auth/v1/logout", opt=SIGNED_IN, tags=["auth"], status_code=204)
async def logout(db: DbSession, principal: CurrentPrincipal) -> None:
    """Sign out: the caller's refresh tokens on this tablet (or this sign-in's) stop working."""
    await service.logout(db, principal=principal)


@get("/auth/v1/me", opt=SIGNED_IN, tags=["auth"])
async def me(db: DbSession, principal: CurrentPrincipal) -> MeOut:
    return await service.me(db, principal=principal)


@get("/auth/v1/me/preferences", opt=SIGNED_IN, tags=["auth"])
async def my_preferences(db: DbSession, principal: CurrentPrincipal) -> Preferences:
    """The caller's reminder settings: the address an admin set, language, on or off."""
    return await users.preferences(db, user_id=principal.user_id)


@patch("/auth/v1/me/preferences", opt=SIGNED_IN, tags=["auth"])
async def set_my_preferences(
    db: DbSession, principal: CurrentPrincipal, data: JSONBody[PreferencesUpdate]
) -> Preferences:
    """Turn one's own reminders off or on, or choose their language (mn or en)."""
    return await users.set_preferences(db, user_id=principal.user_id, data=data)


@get("/auth/v1/devices", opt=allow(Role.ADMIN, Role.COORDINATOR), tags=["auth"])
async def list_devices(db: DbSession, principal: CurrentPrincipal) -> list[DeviceOut]:
    """Tablets belonging to people in the caller's areas, most recently seen first."""
    return await devices.list_devices(db, principal=principal)


@post(
    "/auth/v1/devices/{device_id:uuid}/revoke",
    opt=allow(Role.ADMIN, Role.COORDINATOR),
    tags=["auth"],
    status_code=204,
)
async def revoke_device(
    db: DbSession, principal: CurrentPrincipal, device_id: FromPath[uuid.UUID]
) -> None:
    """Revoke a lost tablet: its tokens stop working at once, it can no longer sync."""
    await devices.revoke(db, principal=principal, device_id=device_id)


ROUTES = [
    login,
    refresh,
    logout,
    me,
    my_preferences,
    set_my_preferences,
    list_devices,
    revoke_device,
]
