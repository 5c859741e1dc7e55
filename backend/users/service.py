"""Account administration: create, change role and scope, deactivate, reset a password."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable

import msgspec
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth import audit, browser
from backend.auth.models import RefreshToken, Role, User, UserArea, UserFacility
from backend.auth.passwords import hash_password
from backend.auth.policy import Principal, user_in_scope
from backend.errors import Conflict, FieldError, InvalidInput, NotFound
from backend.facilities.models import Facility
from backend.users.schemas import (
    Preferences,
    PreferencesUpdate,
    UserCreate,
    UserDetail,
    UserUpdate,
)


class UsernameTaken(Conflict):
    code = "user.username_taken"


class UnknownScope(InvalidInput):
    code = "user.unknown_scope"


class ProviderArea(InvalidInput):
    """A provider (a facility's head) belongs to facilities, never to an area."""

    code = "user.provider_area"


async def _check_scope(
    db: AsyncSession, role: str, area_codes: list[str], facility_ids: list[uuid.UUID]
) -> None:
    if role == Role.PROVIDER and area_codes:
        raise ProviderArea(
            "A provider belongs to its facilities, never to an area: give it facility_ids.",
            field="area_codes",
        )
    errors = []
    if area_codes:
        known = set(await db.scalars(select(Area.code).where(Area.code.in_(area_codes))))
        errors += [
            FieldError(field=f"area_codes[{i}]", message=f"no area with code {code!r}")
            for i, code in enumerate(area_codes)
            if code not in known
        ]
    if facility_ids:
        known_ids = set(await db.scalars(select(Facility.id).where(Facility.id.in_(facility_ids))))
        errors += [
            FieldError(field=f"facility_ids[{i}]", message=f"no facility with id {fid}")
            for i, fid in enumerate(facility_ids)
            if fid not in known_ids
        ]
    if errors:
        raise UnknownScope(errors[0].message, field=errors[0].field, errors=errors)


async def _set_scope(
    db: AsyncSession, user_id: uuid.UUID, area_codes: list[str], facility_ids: list[uuid.UUID]
) -> None:
    await db.execute(delete(UserArea).where(UserArea.user_id == user_id))
    await db.execute(delete(UserFacility).where(UserFacility.user_id == user_id))
    db.add_all(UserArea(user_id=user_id, area_code=code) for code in dict.fromkeys(area_codes))
    db.add_all(
        UserFacility(user_id=user_id, facility_id=fid) for fid in dict.fromkeys(facility_ids)
    )
    await db.flush()


async def details(db: AsyncSession, users: list[User]) -> list[UserDetail]:
    """Users with their scope, two queries whatever the number of users."""
    ids = [user.id for user in users]
    areas: dict[uuid.UUID, list[str]] = {user_id: [] for user_id in ids}
    facilities: dict[uuid.UUID, list[uuid.UUID]] = {user_id: [] for user_id in ids}
    for user_id, code in await db.execute(
        select(UserArea.user_id, UserArea.area_code)
        .where(UserArea.user_id.in_(ids))
        .order_by(UserArea.area_code)
    ):
        areas[user_id].append(code)
    for user_id, facility_id in await db.execute(
        select(UserFacility.user_id, UserFacility.facility_id)
        .where(UserFacility.user_id.in_(ids))
        .order_by(UserFacility.facility_id)
    ):
        facilities[user_id].append(facility_id)
    return [
        UserDetail(
            id=user.id,
            username=user.username,
            display_name=user.display_name,
            role=user.role,
            active=user.active,
            area_codes=areas[user.id],
            facility_ids=facilities[user.id],
            email=user.email,
            language=user.language,
            reminders=user.reminders,
        )
        for user in users
    ]


async def detail(db: AsyncSession, user: User) -> UserDetail:
    return (await details(db, [user]))[0]


async def create(db: AsyncSession, *, data: UserCreate, by: uuid.UUID | None) -> User:
    taken = await db.scalar(
        select(User.id).where(func.lower(User.username) == data.username.lower())
    )
    if taken:
        raise UsernameTaken(f"The username {data.username!r} is taken.", field="username")
    await _check_scope(db, data.role.value, data.area_codes, data.facility_ids)
    user = User(
        username=data.username,
        display_name=data.display_name,
        role=data.role.value,
        password_hash=await hash_password(data.password),
        email=data.email,
        language=data.language,
        reminders=data.reminders,
    )
    db.add(user)
    await db.flush()
    await _set_scope(db, user.id, data.area_codes, data.facility_ids)
    await audit.record(
        db,
        audit.USER_CREATED,
        actor_id=by,
        subject_id=user.id,
        username=user.username,
        role=user.role,
    )
    return user


async def get(db: AsyncSession, user_id: uuid.UUID) -> User:
    user = await db.get(User, user_id)
    if user is None:
        raise NotFound("No such user.")
    return user


async def names(db: AsyncSession, user_ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    """People's display names by id, to say who did what on a screen."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = await db.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


async def list_users(db: AsyncSession, *, limit: int, offset: int) -> list[User]:
    rows = await db.scalars(
        select(User).order_by(func.lower(User.username)).limit(limit).offset(offset)
    )
    return list(rows)


async def _revoke_sessions(db: AsyncSession, user_id: uuid.UUID) -> None:
    """Every sign-in of the account ends: its tablets' and API tokens, its browser sessions."""
    await db.execute(
        update(RefreshToken)
        .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )
    await browser.end_all(db, user_id)


async def update_user(
    db: AsyncSession, *, user_id: uuid.UUID, data: UserUpdate, by: uuid.UUID
) -> User:
    user = await db.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound("No such user.")
    if data.display_name is not msgspec.UNSET:
        user.display_name = data.display_name
    if data.email is not msgspec.UNSET:
        user.email = data.email
    if data.language is not msgspec.UNSET:
        user.language = data.language
    if data.reminders is not msgspec.UNSET:
        user.reminders = data.reminders
    current = await detail(db, user)
    role = user.role if data.role is msgspec.UNSET else data.role.value
    area_codes = current.area_codes if data.area_codes is msgspec.UNSET else data.area_codes
    facility_ids = current.facility_ids if data.facility_ids is msgspec.UNSET else data.facility_ids
    # the account's shape after the change: a provider never keeps or gains an area
    await _check_scope(db, role, area_codes, facility_ids)
    if data.role is not msgspec.UNSET and data.role.value != user.role:
        await audit.record(
            db,
            audit.ROLE_CHANGED,
            actor_id=by,
            subject_id=user.id,
            old=user.role,
            new=data.role.value,
        )
        user.role = data.role.value
    if data.active is not msgspec.UNSET and data.active != user.active:
        user.active = data.active
        kind = audit.USER_REACTIVATED if data.active else audit.USER_DEACTIVATED
        await audit.record(db, kind, actor_id=by, subject_id=user.id)
        if not data.active:
            await _revoke_sessions(db, user.id)
    if data.area_codes is not msgspec.UNSET or data.facility_ids is not msgspec.UNSET:
        await _set_scope(db, user.id, area_codes, facility_ids)
        await audit.record(
            db,
            audit.SCOPE_CHANGED,
            actor_id=by,
            subject_id=user.id,
            area_codes=area_codes,
            facility_ids=[str(fid) for fid in facility_ids],
        )
    await db.flush()
    return user


async def reset_password(
    db: AsyncSession, *, user_id: uuid.UUID, password: str, by: uuid.UUID | None
) -> None:
    """Set a new password and end every session of the account."""
    user = await db.get(User, user_id, with_for_update=True)
    if user is None:
        raise NotFound("No such user.")
    user.password_hash = await hash_password(password)
    await _revoke_sessions(db, user.id)
    await audit.record(db, audit.PASSWORD_RESET, actor_id=by, subject_id=user.id)


def preferences_of(user: User) -> Preferences:
    return Preferences(email=user.email, language=user.language, reminders=user.reminders)


async def preferences(db: AsyncSession, *, user_id: uuid.UUID) -> Preferences:
    """The user's own reminder settings."""
    return preferences_of(await db.get_one(User, user_id))


async def set_preferences(
    db: AsyncSession, *, user_id: uuid.UUID, data: PreferencesUpdate
) -> Preferences:
    """A user turns their reminders off or on, or changes their language."""
    user = await db.get_one(User, user_id, with_for_update=True)
    if data.language is not msgspec.UNSET:
        user.language = data.language
    if data.reminders is not msgspec.UNSET:
        user.reminders = data.reminders
    await db.flush()
    return preferences_of(user)


async def list_in_scope(
    db: AsyncSession, *, principal: Principal, limit: int, offset: int
) -> tuple[list[User], int]:
    """The accounts a principal may see (an admin: all; a coordinator: those who work inside
    their areas), a page of them and how many there are."""
    visible = user_in_scope(principal, User.id)
    total = await db.scalar(select(func.count()).select_from(User).where(visible)) or 0
    rows = await db.scalars(
        select(User).where(visible).order_by(func.lower(User.username)).limit(limit).offset(offset)
    )
    return list(rows), total


async def get_in_scope(db: AsyncSession, *, principal: Principal, user_id: uuid.UUID) -> User:
    """The account, if the principal may see it; otherwise 404 as if it did not exist."""
    user = await db.scalar(
        select(User).where(User.id == user_id, user_in_scope(principal, User.id))
    )
    if user is None:
        raise NotFound("No such user.")
    return user


async def usernames(db: AsyncSession, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, str]:
    """Who did something, by account id, to name them beside what they did."""
    if not ids:
        return {}
    rows = await db.execute(select(User.id, User.username).where(User.id.in_(list(ids))))
    return {user_id: name for user_id, name in rows}
