"""Wire types of sign-in, tokens, devices and the current user."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import msgspec

from backend.wire import Wire

ShortText = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Secret = Annotated[str, msgspec.Meta(min_length=1, max_length=1024)]


class DeviceIn(Wire):
    """The tablet signing in, with the id it made for itself."""

    id: uuid.UUID
    name: ShortText
    platform: ShortText
    app_version: ShortText


class LoginIn(Wire):
    username: ShortText
    password: Secret
    device: DeviceIn | None = None


class RefreshIn(Wire):
    refresh_token: Secret


class UserOut(Wire):
    id: uuid.UUID
    username: str
    display_name: str
    role: str
    active: bool


class TokenOut(Wire):
    """Tokens for one sign-in; the refresh token is spent by its next use."""

    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int
    device_id: uuid.UUID | None
    user: UserOut
    token_type: str = "bearer"  # noqa: S105 (the OAuth token type)


class AreaRef(Wire):
    code: str
    level: str
    name_mn: str
    name_en: str


class FacilityRef(Wire):
    id: uuid.UUID
    type: str
    name_mn: str
    name_en: str
    area_code: str


class MeOut(Wire):
    """The signed-in user, their role and what they may see."""

    user: UserOut
    device_id: uuid.UUID | None
    areas: list[AreaRef]
    facilities: list[FacilityRef]


class DeviceOut(Wire):
    """A tablet's device id; it belongs to the user who registered it."""

    id: uuid.UUID
    name: str
    platform: str
    app_version: str
    registered_by: uuid.UUID
    last_user_id: uuid.UUID
    registered_at: datetime
    last_seen_at: datetime
    revoked_at: datetime | None
