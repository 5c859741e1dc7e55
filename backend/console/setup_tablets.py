"""Set-up: the tablets of the reader's teams with when each was last seen, and a lost one
revoked after a confirmation (`backend/auth/devices.py`, as `/auth/v1/devices/.../revoke`):
its access tokens are refused at once and its refresh tokens withdrawn."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from backend.auth import devices
from backend.auth.policy import CurrentPrincipal
from backend.console.render import screen
from backend.console.setup_common import SETTERS, clock
from backend.console.setup_common import WORDS as COMMON
from backend.database.session import DbSession
from backend.users import service as users

TABLETS = "/console/setup/tablets"
TABLET = f"{TABLETS}/{{device_id:uuid}}"

WORDS = {
    "tablet": ("Таблет", "Tablet"),
    "app": ("Програм", "App"),
    "registered_by": ("Бүртгэсэн", "Registered by"),
    "last_user": ("Сүүлд ашигласан", "Last used by"),
    "last_seen": ("Сүүлд холбогдсон", "Last seen"),
    "days_ago": ("хоногийн өмнө", "days ago"),
    "revoked": ("Хаасан", "Revoked"),
    "in_use": ("Ашиглагдаж буй", "In use"),
    "revoke": ("Хаах…", "Revoke…"),
    "revoke_title": ("Таблетыг хаах уу?", "Revoke this tablet?"),
    "revoke_warning": (
        "Хаасан таблет дахин синк хийж, нэвтэрч чадахгүй; түүн дээр илгээгээгүй үлдсэн "
        "өгөгдөл серверт ирэхгүй. Таблет гээгдсэн, хулгайлагдсан үед хаана.",
        "A revoked tablet can no longer sync or sign in; anything on it not yet sent will "
        "not reach the server. Revoke a tablet that is lost or stolen.",
    ),
    "revoke_confirm": ("Тийм, таблетыг хаах", "Yes, revoke the tablet"),
    "tablet_revoked": ("Таблетыг хаалаа.", "The tablet is revoked."),
    "no_tablets": ("Таблет бүртгэгдээгүй байна.", "No tablets are registered."),
}


@get(TABLETS, opt=SETTERS, include_in_schema=False)
async def tablet_list(
    db: DbSession, request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Template:
    """The tablets of the reader's teams, the longest silent first among those in use."""
    found = await devices.list_devices(db, principal=principal)
    found.sort(key=lambda d: (d.revoked_at is not None, d.last_seen_at))
    names = await users.usernames(
        db, {d.registered_by for d in found} | {d.last_user_id for d in found}
    )
    return screen(
        request,
        "setup/tablets.html",
        WORDS,
        COMMON,
        tablets=found,
        names=names,
        when=clock(request),
        done="tablet_revoked" if request.query_params.get("done") == "revoked" else None,
    )


@get(f"{TABLET}/revoke", opt=SETTERS, include_in_schema=False)
async def revoke_confirmation(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    device_id: FromPath[uuid.UUID],
) -> Template:
    """What revoking does, and the button that does it."""
    device = await devices.get(db, principal=principal, device_id=device_id)
    names = await users.usernames(db, {device.registered_by, device.last_user_id})
    return screen(
        request,
        "setup/tablet_revoke.html",
        WORDS,
        COMMON,
        tablet=device,
        names=names,
        when=clock(request),
    )


@post(f"{TABLET}/revoke", opt=SETTERS, include_in_schema=False, status_code=303)
async def revoke_tablet(
    db: DbSession, principal: CurrentPrincipal, device_id: FromPath[uuid.UUID]
) -> Redirect:
    """At once: its access tokens are refused, its refresh tokens withdrawn, audited."""
    await devices.revoke(db, principal=principal, device_id=device_id)
    return Redirect(path=f"{TABLETS}?done=revoked", status_code=303)


ROUTES = [tablet_list, revoke_confirmation, revoke_tablet]
