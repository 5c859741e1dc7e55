"""Security events, written in the transaction of the request that caused them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import AuditEvent

LOGIN_OK = "login.ok"
LOGIN_FAILED = "login.failed"
LOGIN_THROTTLED = "login.throttled"
# a sign-in with a device id another user registered: refused
LOGIN_DEVICE_TAKEN = "login.device_taken"
REFRESH_REUSED = "refresh.reused"
DEVICE_REVOKED = "device.revoked"
USER_CREATED = "user.created"
ROLE_CHANGED = "user.role_changed"
SCOPE_CHANGED = "user.scope_changed"
USER_DEACTIVATED = "user.deactivated"
USER_REACTIVATED = "user.reactivated"
PASSWORD_RESET = "user.password_reset"  # noqa: S105 (an event name)
LOGOUT = "logout"
# a round's action plan approved or returned, and an approved item revised
PLAN_APPROVED = "plan.approved"
PLAN_RETURNED = "plan.returned"
ACTION_REVISED = "action.revised"


async def record(
    db: AsyncSession,
    kind: str,
    *,
    actor_id: uuid.UUID | None = None,
    subject_id: uuid.UUID | None = None,
    username: str | None = None,
    device_id: uuid.UUID | None = None,
    client: str | None = None,
    **detail: Any,
) -> None:
    db.add(
        AuditEvent(
            kind=kind,
            actor_id=actor_id,
            subject_id=subject_id,
            username=username,
            device_id=device_id,
            client=client,
            detail=detail,
        )
    )
    await db.flush()
