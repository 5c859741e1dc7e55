"""Account administration for admins."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import get, patch, post
from litestar.params import FromPath, JSONBody, Parameter

from backend.auth.models import Role
from backend.auth.policy import CurrentPrincipal, allow
from backend.database.session import DbSession
from backend.users import service as users
from backend.users.schemas import PasswordReset, UserCreate, UserDetail, UserUpdate
from backend.web.pagination import Offset

ADMIN = allow(Role.ADMIN)


@post("/admin/v1/users", opt=ADMIN, tags=["users"])
async def create_user(
    db: DbSession, principal: CurrentPrincipal, data: JSONBody[UserCreate]
) -> UserDetail:
    user = await users.create(db, data=data, by=principal.user_id)
    return await users.detail(db, user)


@get("/admin/v1/users", opt=ADMIN, tags=["users"])
async def list_users(
    db: DbSession,
    limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
    offset: Offset = 0,
) -> list[UserDetail]:
    return await users.details(db, await users.list_users(db, limit=limit, offset=offset))


@get("/admin/v1/users/{user_id:uuid}", opt=ADMIN, tags=["users"])
async def get_user(db: DbSession, user_id: FromPath[uuid.UUID]) -> UserDetail:
    return await users.detail(db, await users.get(db, user_id))


@patch("/admin/v1/users/{user_id:uuid}", opt=ADMIN, tags=["users"])
async def update_user(
    db: DbSession,
    principal: CurrentPrincipal,
    user_id: FromPath[uuid.UUID],
    data: JSONBody[UserUpdate],
) -> UserDetail:
    """Change display name, role, active flag or scope; deactivation ends every session."""
    user = await users.update_user(db, user_id=user_id, data=data, by=principal.user_id)
    return await users.detail(db, user)


@post("/admin/v1/users/{user_id:uuid}/password", opt=ADMIN, tags=["users"], status_code=204)
async def reset_password(
    db: DbSession,
    principal: CurrentPrincipal,
    user_id: FromPath[uuid.UUID],
    data: JSONBody[PasswordReset],
) -> None:
    """Set a new password; the account's sessions end."""
    await users.reset_password(db, user_id=user_id, password=data.password, by=principal.user_id)


ROUTES = [create_user, list_users, get_user, update_user, reset_password]
