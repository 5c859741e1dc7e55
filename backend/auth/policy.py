"""Who may call what: every route declares its access, one guard enforces it, SQL scopes objects.

A route declares `opt=allow(Role.X, ...)`, `opt=SIGNED_IN` or `opt=PUBLIC`. A route without a
declaration is refused for everyone (and a test fails), so forgetting one is never an opening.
Objects outside a user's areas and facilities are filtered out in the query itself, so they
answer 404 like objects that do not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers.base import BaseRouteHandler
from sqlalchemy import ColumnElement, Select, false, or_, select, true

from backend.areas.models import Area
from backend.auth.models import Role
from backend.errors import DomainError

# any connection, whatever its user, auth, state and handler types
Connection = ASGIConnection[Any, Any, Any, Any]

ACCESS = "access"
PUBLIC: dict[str, Any] = {ACCESS: "public"}
SIGNED_IN: dict[str, Any] = {ACCESS: frozenset(Role)}
# Litestar's own OpenAPI routes serve the public API documentation.
DOCS_PREFIX = "/schema"


def allow(*roles: Role) -> dict[str, Any]:
    return {ACCESS: frozenset(roles)}


class Unauthenticated(DomainError):
    code, status, title = "auth.unauthenticated", 401, "Authentication required"
    # a browser following a link is led to the sign-in, and back to the link after it
    leads_to_sign_in = True

    def __init__(self, detail: str = "A valid bearer token is required.") -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="scorecard"'})


class Forbidden(DomainError):
    code, status, title = "auth.forbidden", 403, "Not allowed"


class UndeclaredAccess(DomainError):
    code, status, title = "server.undeclared_access", 500, "Route has no access policy"


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user as the request sees them: role and scope, loaded for every request."""

    user_id: uuid.UUID
    username: str
    role: Role
    device_id: uuid.UUID | None
    session_id: uuid.UUID
    area_codes: tuple[str, ...]
    facility_ids: tuple[uuid.UUID, ...]
    language: str = "mn"  # the user's own choice: the console's and their reminders' language
    browser: bool = False  # signed in with a browser session rather than a bearer token

    @property
    def sees_everything(self) -> bool:
        return self.role is Role.ADMIN


def declared_access(handler: BaseRouteHandler) -> Any:
    return handler.opt.get(ACCESS)


def provide_principal(request: Connection) -> Principal:
    principal = request.scope["state"].get("principal")
    if not isinstance(principal, Principal):
        raise Unauthenticated()
    return principal


# How a route handler asks for the caller: `principal: CurrentPrincipal`.
CurrentPrincipal = NamedDependency[Principal]


def areas_within(principal: Principal) -> Select[Any]:
    """Codes of every area inside the principal's areas (themselves included)."""
    return select(Area.code).where(Area.lineage.overlap(list(principal.area_codes)))


def facility_in_scope(
    principal: Principal, facility_id: Any, area_code: Any
) -> ColumnElement[bool]:
    """A WHERE clause: the facility (by its id and area columns) is one the principal may see."""
    if principal.sees_everything:
        return true()
    clauses = []
    if principal.area_codes:
        clauses.append(area_code.in_(areas_within(principal)))
    if principal.facility_ids:
        clauses.append(facility_id.in_(list(principal.facility_ids)))
    return or_(*clauses) if clauses else false()


def user_in_scope(principal: Principal, user_id: Any) -> ColumnElement[bool]:
    """A WHERE clause: the user works somewhere inside the principal's areas (coordinators)."""
    from backend.auth.models import UserArea, UserFacility
    from backend.facilities.models import Facility

    if principal.sees_everything:
        return true()
    if not principal.area_codes:
        return false()
    inside = areas_within(principal)
    by_area = (
        select(UserArea.user_id)
        .where(UserArea.user_id == user_id, UserArea.area_code.in_(inside))
        .exists()
    )
    by_facility = (
        select(UserFacility.user_id)
        .join(Facility, Facility.id == UserFacility.facility_id)
        .where(UserFacility.user_id == user_id, Facility.area_code.in_(inside))
        .exists()
    )
    return or_(by_area, by_facility)
