"""Wire types of account administration."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

import msgspec

from backend.auth.models import Role
from backend.auth.schemas import ShortText
from backend.wire import Wire

Username = Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9._-]{3,64}$")]
NewPassword = Annotated[str, msgspec.Meta(min_length=8, max_length=1024)]
AreaCodes = Annotated[list[str], msgspec.Meta(max_length=200)]
FacilityIds = Annotated[list[uuid.UUID], msgspec.Meta(max_length=200)]
# where reminders go; a simple shape check, the mail server is the judge of the rest
Email = Annotated[str, msgspec.Meta(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", max_length=254)]
# the language of the user's reminders
Language = Literal["mn", "en"]


class UserCreate(Wire):
    """A new account; areas cover everything below them, facilities are a provider's own."""

    username: Username
    display_name: ShortText
    role: Role
    password: NewPassword
    area_codes: AreaCodes = msgspec.field(default_factory=list)
    facility_ids: FacilityIds = msgspec.field(default_factory=list)
    email: Email | None = None
    language: Language = "mn"
    reminders: bool = True


class UserUpdate(Wire):
    """Only the fields sent are changed; `email: null` removes the address."""

    display_name: ShortText | msgspec.UnsetType = msgspec.UNSET
    role: Role | msgspec.UnsetType = msgspec.UNSET
    active: bool | msgspec.UnsetType = msgspec.UNSET
    area_codes: AreaCodes | msgspec.UnsetType = msgspec.UNSET
    facility_ids: FacilityIds | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType | None = msgspec.UNSET
    language: Language | msgspec.UnsetType = msgspec.UNSET
    reminders: bool | msgspec.UnsetType = msgspec.UNSET


class PasswordReset(Wire):
    password: NewPassword


class UserDetail(Wire):
    id: uuid.UUID
    username: str
    display_name: str
    role: str
    active: bool
    area_codes: list[str]
    facility_ids: list[uuid.UUID]
    email: str | None = None
    language: str = "mn"
    reminders: bool = True


class Preferences(Wire):
    """The signed-in user's reminder settings; an admin sets the address."""

    email: str | None
    language: str
    reminders: bool


class PreferencesUpdate(Wire):
    """Only the fields sent are changed."""

    language: Language | msgspec.UnsetType = msgspec.UNSET
    reminders: bool | msgspec.UnsetType = msgspec.UNSET
