"""Sign-in, refresh-token rotation, sign-out, the current user and tablet revocation."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth import audit
from backend.auth.models import AuditEvent, Device, RefreshToken, User, UserArea, UserFacility
from backend.auth.passwords import verify_password
from backend.auth.policy import Principal
from backend.auth.schemas import (
    AreaRef,
    DeviceIn,
    FacilityRef,
    MeOut,
    TokenOut,
    UserOut,
)
from backend.auth.tokens import TokenIssuer
from backend.errors import DomainError
from backend.facilities.models import Facility

# Failed sign-ins counted over this window; past a limit, further attempts get 429.
THROTTLE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_USERNAME = 10
MAX_FAILURES_PER_CLIENT = 50
# A refresh token used again this soon after its first use is taken for a retry after a lost
# response: the unused successor is withdrawn and a new one issued. Later reuse is theft.
REFRESH_GRACE = timedelta(seconds=60)


class InvalidCredentials(DomainError):
    code, status, title = "auth.invalid_credentials", 401, "Wrong username or password"
    keeps_writes = True


class LoginThrottled(DomainError):
    code, status, title = "auth.throttled", 429, "Too many failed sign-ins"
    keeps_writes = True


class InvalidRefreshToken(DomainError):
    code, status, title = "auth.invalid_refresh_token", 401, "Refresh token not valid"
    keeps_writes = True


class DeviceRevoked(DomainError):
    code, status, title = "auth.device_revoked", 403, "This device has been revoked"


class DeviceTaken(DomainError):
    code, status, title = "auth.device_taken", 409, "This device id belongs to another user"
    keeps_writes = True


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def user_out(user: User) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        active=user.active,
    )


async def _failures_since(
    db: AsyncSession, since: datetime, *, username: str, client: str | None
) -> tuple[int, int]:
    by_user = select(func.count()).where(
        AuditEvent.kind == audit.LOGIN_FAILED,
        AuditEvent.at >= since,
        func.lower(AuditEvent.username) == username.lower(),
    )
    by_client = select(func.count()).where(
        AuditEvent.kind == audit.LOGIN_FAILED,
        AuditEvent.at >= since,
        AuditEvent.client == client,
    )
    return (await db.scalar(by_user) or 0), (await db.scalar(by_client) or 0) if client else 0


async def _throttle(db: AsyncSession, *, username: str, client: str | None) -> None:
    since = datetime.now(UTC) - THROTTLE_WINDOW
    per_user, per_client = await _failures_since(db, since, username=username, client=client)
    if per_user >= MAX_FAILURES_PER_USERNAME or per_client >= MAX_FAILURES_PER_CLIENT:
        await audit.record(db, audit.LOGIN_THROTTLED, username=username, client=client)
        retry_after = str(int(THROTTLE_WINDOW.total_seconds()))
        raise LoginThrottled(
            "Too many failed sign-ins; wait before trying again.",
            headers={"Retry-After": retry_after},
        )


async def _register_device(
    db: AsyncSession, device: DeviceIn, user: User, *, client: str | None
) -> None:
    """Register a new device id to this user, or sign in again on one that is theirs."""
    # a new id is inserted before it is locked, so two first sign-ins with it cannot both win
    await db.execute(
        pg_insert(Device)
        .values(
            id=device.id,
            name=device.name,
            platform=device.platform,
            app_version=device.app_version,
            registered_by=user.id,
            last_user_id=user.id,
        )
        .on_conflict_do_nothing(index_elements=[Device.id])
    )
    existing = await db.scalar(
        select(Device)
        .where(Device.id == device.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert existing is not None
    if existing.registered_by != user.id:
        await audit.record(
            db,
            audit.LOGIN_DEVICE_TAKEN,
            actor_id=user.id,
            subject_id=existing.registered_by,
            username=user.username,
            device_id=device.id,
            client=client,
        )
        raise DeviceTaken(
            "This device id is registered to another user; sign in with a device id of your own.",
            field="device.id",
        )
    if existing.revoked_at is not None:
        raise DeviceRevoked("This tablet was revoked; ask your coordinator.")
    existing.name = device.name
    existing.platform = device.platform
    existing.app_version = device.app_version
    existing.last_user_id = user.id
    existing.last_seen_at = func.now()
    await db.flush()


async def _issue_tokens(
    db: AsyncSession,
    issuer: TokenIssuer,
    *,
    user: User,
    device_id: uuid.UUID | None,
    family_id: uuid.UUID,
    refresh_lifetime: timedelta,
) -> tuple[TokenOut, RefreshToken]:
    refresh = secrets.token_urlsafe(32)
    row = RefreshToken(
        family_id=family_id,
        token_hash=_hash_token(refresh),
        user_id=user.id,
        device_id=device_id,
        expires_at=datetime.now(UTC) + refresh_lifetime,
    )
    db.add(row)
    await db.flush()
    access, expires_in = issuer.issue(user_id=user.id, device_id=device_id, session_id=family_id)
    out = TokenOut(
        access_token=access,
        refresh_token=refresh,
        expires_in=expires_in,
        refresh_expires_in=int(refresh_lifetime.total_seconds()),
        device_id=device_id,
        user=user_out(user),
    )
    return out, row


async def check_password(
    db: AsyncSession,
    *,
    username: str,
    password: str,
    device_id: uuid.UUID | None,
    client: str | None,
) -> User:
    """The account these credentials open, throttled and audited the one way for the API and
    the browser; an unknown user, a wrong password and a deactivated account answer alike."""
    await _throttle(db, username=username, client=client)
    user = await db.scalar(select(User).where(func.lower(User.username) == username.lower()))
    matches = await verify_password(user.password_hash if user else None, password)
    if user is None or not matches or not user.active:
        await audit.record(
            db,
            audit.LOGIN_FAILED,
            subject_id=user.id if user else None,
            username=username,
            device_id=device_id,
            client=client,
        )
        raise InvalidCredentials("The username or the password is wrong.")
    return user


async def login(
    db: AsyncSession,
    *,
    issuer: TokenIssuer,
    refresh_lifetime: timedelta,
    username: str,
    password: str,
    device: DeviceIn | None,
    client: str | None,
) -> TokenOut:
    """Check the password (same answer for an unknown user), register the tablet, issue tokens."""
    user = await check_password(
        db,
        username=username,
        password=password,
        device_id=device.id if device else None,
        client=client,
    )
    if device is not None:
        await _register_device(db, device, user, client=client)
    tokens, _ = await _issue_tokens(
        db,
        issuer,
        user=user,
        device_id=device.id if device else None,
        family_id=uuid.uuid4(),
        refresh_lifetime=refresh_lifetime,
    )
    await audit.record(
        db,
        audit.LOGIN_OK,
        subject_id=user.id,
        username=user.username,
        device_id=device.id if device else None,
        client=client,
    )
    return tokens


async def _revoke_family(db: AsyncSession, family_id: uuid.UUID) -> None:
    await db.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=func.now())
    )


async def refresh(
    db: AsyncSession,
    *,
    issuer: TokenIssuer,
    refresh_lifetime: timedelta,
    refresh_token: str,
    client: str | None,
) -> TokenOut:
    """Rotate: spend the token, issue a new pair in the same family; reuse revokes the family."""
    refused = InvalidRefreshToken("The refresh token is not valid; sign in again.")
    token = await db.scalar(
        select(RefreshToken)
        .where(RefreshToken.token_hash == _hash_token(refresh_token))
        .with_for_update()
    )
    now = datetime.now(UTC)
    if token is None or token.revoked_at is not None or token.expires_at <= now:
        raise refused
    if token.used_at is not None:
        successor = await db.get(RefreshToken, token.replaced_by) if token.replaced_by else None
        lost_response = (
            now - token.used_at <= REFRESH_GRACE
            and successor is not None
            and successor.used_at is None
            and successor.revoked_at is None
        )
        if not lost_response:
            await _revoke_family(db, token.family_id)
            await audit.record(
                db,
                audit.REFRESH_REUSED,
                subject_id=token.user_id,
                device_id=token.device_id,
                client=client,
                family_id=str(token.family_id),
            )
            raise refused
        assert successor is not None
        successor.revoked_at = now

    user = await db.get(User, token.user_id)
    device = await db.get(Device, token.device_id) if token.device_id else None
    if user is None or not user.active:
        raise refused
    if device is not None and (device.revoked_at is not None or device.registered_by != user.id):
        raise refused
    tokens, issued = await _issue_tokens(
        db,
        issuer,
        user=user,
        device_id=token.device_id,
        family_id=token.family_id,
        refresh_lifetime=refresh_lifetime,
    )
    token.used_at = token.used_at or now
    token.replaced_by = issued.id
    if device is not None:
        device.last_seen_at = now
    await db.flush()
    return tokens


async def logout(db: AsyncSession, *, principal: Principal) -> None:
    """End the caller's session: on a tablet all their sign-ins on it, else this sign-in."""
    query = update(RefreshToken).where(
        RefreshToken.user_id == principal.user_id, RefreshToken.revoked_at.is_(None)
    )
    if principal.device_id is not None:
        query = query.where(RefreshToken.device_id == principal.device_id)
    else:
        query = query.where(RefreshToken.family_id == principal.session_id)
    await db.execute(query.values(revoked_at=func.now()))
    await audit.record(db, audit.LOGOUT, actor_id=principal.user_id, device_id=principal.device_id)


async def me(db: AsyncSession, *, principal: Principal) -> MeOut:
    user = await db.get_one(User, principal.user_id)
    areas = (
        await db.scalars(
            select(Area)
            .join(UserArea, UserArea.area_code == Area.code)
            .where(UserArea.user_id == user.id)
            .order_by(Area.code)
        )
    ).all()
    facilities = (
        await db.scalars(
            select(Facility)
            .join(UserFacility, UserFacility.facility_id == Facility.id)
            .where(UserFacility.user_id == user.id)
            .order_by(Facility.name_en)
        )
    ).all()
    return MeOut(
        user=user_out(user),
        device_id=principal.device_id,
        areas=[
            AreaRef(code=a.code, level=a.level, name_mn=a.name_mn, name_en=a.name_en) for a in areas
        ],
        facilities=[
            FacilityRef(
                id=f.id, type=f.type, name_mn=f.name_mn, name_en=f.name_en, area_code=f.area_code
            )
            for f in facilities
        ],
    )
