"""Tablets: coordinators see the ones that belong to their teams and revoke a lost one."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import audit
from backend.auth.models import Device, RefreshToken
from backend.auth.policy import Principal, user_in_scope
from backend.auth.schemas import DeviceOut
from backend.errors import NotFound


def device_out(device: Device) -> DeviceOut:
    return DeviceOut(
        id=device.id,
        name=device.name,
        platform=device.platform,
        app_version=device.app_version,
        registered_by=device.registered_by,
        last_user_id=device.last_user_id,
        registered_at=device.registered_at,
        last_seen_at=device.last_seen_at,
        revoked_at=device.revoked_at,
    )


async def list_devices(db: AsyncSession, *, principal: Principal) -> list[DeviceOut]:
    devices = await db.scalars(
        select(Device)
        .where(user_in_scope(principal, Device.registered_by))
        .order_by(Device.last_seen_at.desc())
    )
    return [device_out(device) for device in devices]


async def revoke(db: AsyncSession, *, principal: Principal, device_id: uuid.UUID) -> None:
    """Revoke at once: the guard refuses its access tokens, its refresh tokens are withdrawn."""
    device = await db.scalar(
        select(Device)
        .where(Device.id == device_id, user_in_scope(principal, Device.registered_by))
        .with_for_update()
    )
    if device is None:
        raise NotFound("No such device.")
    if device.revoked_at is None:
        device.revoked_at = func.now()
        device.revoked_by = principal.user_id
        await db.execute(
            update(RefreshToken)
            .where(RefreshToken.device_id == device_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=func.now())
        )
        await audit.record(
            db,
            audit.DEVICE_REVOKED,
            actor_id=principal.user_id,
            subject_id=device.registered_by,
            device_id=device_id,
        )
    await db.flush()


async def get(db: AsyncSession, *, principal: Principal, device_id: uuid.UUID) -> DeviceOut:
    """A tablet of the principal's teams; otherwise 404 as if it did not exist."""
    device = await db.scalar(
        select(Device).where(Device.id == device_id, user_in_scope(principal, Device.registered_by))
    )
    if device is None:
        raise NotFound("No such device.")
    return device_out(device)
