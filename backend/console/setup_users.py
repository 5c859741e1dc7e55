"""Set-up: people's accounts in the reader's scope (an admin: everyone; a coordinator: those
who work inside their areas). Only an admin creates an account, changes a role or areas,
deactivates one or sets a new password, through `backend/users/service.py` as the
`/admin/v1/users` routes do."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.areas import service as areas
from backend.auth.models import Role, User
from backend.auth.policy import CurrentPrincipal, Principal
from backend.console.forms import Form, attempt
from backend.console.render import screen
from backend.console.setup_common import (
    ADMINS,
    PAGE_SIZE,
    SETTERS,
    FormProblem,
    offset_of,
    pages,
    refusal,
    status_of,
    wire,
    words,
)
from backend.console.setup_common import WORDS as COMMON
from backend.database.session import DbSession
from backend.errors import DomainError
from backend.facilities import service as facilities
from backend.users import service as users
from backend.users.schemas import PasswordReset, UserCreate, UserDetail, UserUpdate

USERS = "/console/setup/users"
USER = f"{USERS}/{{user_id:uuid}}"

WORDS = {
    "username": ("Нэвтрэх нэр", "Username"),
    "display_name": ("Харагдах нэр", "Display name"),
    "role": ("Үүрэг", "Role"),
    "role_admin": ("Админ", "Admin"),
    "role_coordinator": ("Зохицуулагч", "Coordinator"),
    "role_facilitator": ("Хөтлөгч", "Facilitator"),
    "role_monitor": ("Хянагч", "Monitor"),
    "role_provider": ("Үйлчилгээ үзүүлэгч", "Provider"),
    "role_viewer": ("Үзэгч", "Viewer"),
    "user_areas": ("Хариуцсан нутаг", "Areas"),
    "user_areas_hint": (
        "Кодууд эсвэл нэрс, таслалаар тусгаарлана (Увс, MN-043)",
        "Codes or names, separated by commas (Uvs, MN-043)",
    ),
    "user_facilities": ("Байгууллагууд (үйлчилгээ үзүүлэгч)", "Facilities (providers)"),
    "user_facilities_hint": (
        "Бүртгэлийн дугаарууд, таслалаар тусгаарлана",
        "Registry codes, separated by commas",
    ),
    "email": ("Имэйл", "E-mail"),
    "language": ("Хэл", "Language"),
    "active": ("Идэвхтэй", "Active"),
    "inactive": ("Идэвхгүй", "Deactivated"),
    "create_user": ("Хэрэглэгч нэмэх", "Create a user"),
    "new_password": ("Шинэ нууц үг (8-аас доошгүй тэмдэгт)", "New password (8 characters or more)"),
    "set_password": ("Нууц үг солих", "Set the password"),
    "password_note": (
        "Нууц үг солиход тухайн хэрэглэгчийн бүх нэвтрэлт дуусна.",
        "Setting a password ends every sign-in of the account.",
    ),
    "role_and_areas": ("Үүрэг ба хариуцсан нутаг", "Role and areas"),
    "deactivate": ("Идэвхгүй болгох", "Deactivate"),
    "reactivate": ("Дахин идэвхжүүлэх", "Reactivate"),
    "deactivate_note": (
        "Идэвхгүй болгоход бүх нэвтрэлт, таблетын токен шууд хүчингүй болно.",
        "Deactivating ends every sign-in and tablet token at once.",
    ),
    "admin_only": (
        "Хэрэглэгчийг зөвхөн админ нэмж, өөрчилнө.",
        "Only an admin creates and changes accounts.",
    ),
    "user_saved": ("Хадгаллаа.", "Saved."),
    "user_created": ("Хэрэглэгч нэмлээ.", "The account is created."),
    "password_set": ("Нууц үгийг солилоо.", "The password is set."),
    "no_users": ("Хэрэглэгч алга.", "No accounts."),
    "field:username": (
        "Нэвтрэх нэр 3–64 латин үсэг, тоо, . _ - тэмдэгтээс бүрдэнэ.",
        "A username is 3–64 Latin letters, digits, dots, dashes or underscores.",
    ),
    "field:password": (
        "Нууц үг 8-аас доошгүй тэмдэгттэй байна.",
        "A password has 8 characters or more.",
    ),
    "field:display_name": ("Харагдах нэрийг бичнэ үү.", "Give a display name."),
    "field:email": ("Имэйл хаягийг шалгана уу.", "Check the e-mail address."),
    "field:area_codes": ("Нутаг дэвсгэрийг шалгана уу.", "Check the areas."),
    "field:facility_ids": (
        "Ийм бүртгэлийн дугаартай байгууллага алга.",
        "No facility has one of these registry codes.",
    ),
    "code:user.username_taken": ("Энэ нэвтрэх нэр бүртгэлтэй.", "This username is taken."),
    "code:user.provider_area": (
        "Үйлчилгээ үзүүлэгч нутаг дэвсгэр биш, байгууллагад харьяалагдана.",
        "A provider belongs to facilities, never to an area.",
    ),
    "code:user.unknown_scope": (
        "Нутаг эсвэл байгууллага олдсонгүй.",
        "An area or a facility is unknown.",
    ),
}
ROLES = tuple(Role)
DONE = {"saved": "user_saved", "created": "user_created", "password": "password_set"}


@dataclass
class UserForm:
    username: str = ""
    display_name: str = ""
    role: str = "facilitator"
    password: str = ""
    areas: str = ""
    facilities: str = ""
    email: str = ""
    language: str = "mn"


@dataclass
class ActiveForm:
    active: str = ""


@dataclass
class PasswordForm:
    password: str = ""


def _listed(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


def _labels(request: Request[Any, Any, Any]) -> dict[str, str]:
    t = words(request, WORDS)
    return {key: t(key) for key in WORDS}


async def _scope(db: DbSession, principal: Principal, form: UserForm) -> dict[str, Any]:
    """The areas and facilities a form names, as codes and ids (names and registry codes
    are what people know them by)."""
    codes = [
        (await areas.resolve(db, spelling, field="area_codes")).code
        for spelling in _listed(form.areas)
    ]
    registry = _listed(form.facilities)
    found = await facilities.by_registry_codes(db, principal=principal, codes=registry)
    if any(code not in found for code in registry):
        raise FormProblem("facility_ids", "unknown registry code")
    return {"area_codes": codes, "facility_ids": [str(found[c].id) for c in registry]}


async def _describe(db: DbSession, principal: Principal, detail: UserDetail) -> dict[str, Any]:
    """An account's areas and facilities by name, and as a form shows them."""
    named = await areas.by_codes(db, detail.area_codes)
    places = await facilities.by_ids(db, principal=principal, ids=detail.facility_ids)
    return {
        "areas": [named[c] for c in detail.area_codes if c in named],
        "facilities": [places[i] for i in detail.facility_ids if i in places],
    }


async def _users_screen(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    *,
    page: int = 1,
    form: UserForm | None = None,
    error: DomainError | FormProblem | None = None,
) -> Template:
    t = words(request, WORDS)
    found, total = await users.list_in_scope(
        db, principal=principal, limit=PAGE_SIZE, offset=offset_of(page)
    )
    details = await users.details(db, found)
    return screen(
        request,
        "setup/users.html",
        WORDS,
        COMMON,
        status=status_of(error),
        users=details,
        areas=await areas.by_codes(db, {code for d in details for code in d.area_codes}),
        admin=principal.sees_everything,
        form=form or UserForm(),
        roles=ROLES,
        error=refusal(t, error, _labels(request)) if error else None,
        done=DONE.get(str(request.query_params.get("done", ""))),
        pages=pages(USERS, {}, page=page, total=total),
    )


@get(USERS, opt=SETTERS, include_in_schema=False)
async def user_list(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    page: FromQuery[int] = 1,
) -> Template:
    """Admins see every account; a coordinator those who work inside their areas."""
    return await _users_screen(db, request, principal, page=max(page, 1))


@post(USERS, opt=ADMINS, include_in_schema=False, status_code=303)
async def create_user(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    data: Form[UserForm],
) -> Template | Redirect:
    """A new account (POST /admin/v1/users)."""

    async def run() -> User:
        values = {
            "username": data.username.strip(),
            "display_name": data.display_name.strip(),
            "role": data.role,
            "password": data.password,
            "email": data.email.strip() or None,
            "language": data.language if data.language in ("mn", "en") else "mn",
            **await _scope(db, principal, data),
        }
        return await users.create(db, data=wire(UserCreate, values), by=principal.user_id)

    try:
        made = await attempt(db, run)
    except FormProblem as problem:
        data.password = ""
        return await _users_screen(db, request, principal, form=data, error=problem)
    if isinstance(made, DomainError):
        data.password = ""
        return await _users_screen(db, request, principal, form=data, error=made)
    return Redirect(path=f"{USERS}/{made.id}?done=created", status_code=303)


async def _user_screen(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    user_id: uuid.UUID,
    *,
    form: UserForm | None = None,
    error: DomainError | FormProblem | None = None,
) -> Template:
    t = words(request, WORDS)
    user = await users.get_in_scope(db, principal=principal, user_id=user_id)
    detail = await users.detail(db, user)
    described = await _describe(db, principal, detail)
    if form is None:
        form = UserForm(
            display_name=detail.display_name,
            role=detail.role,
            areas=", ".join(a.code for a in described["areas"]),
            facilities=", ".join(f.registry_code or "" for f in described["facilities"]),
        )
    return screen(
        request,
        "setup/user.html",
        WORDS,
        COMMON,
        status=status_of(error),
        user=detail,
        described=described,
        admin=principal.sees_everything,
        form=form,
        roles=ROLES,
        done=DONE.get(str(request.query_params.get("done", ""))),
        error=refusal(t, error, _labels(request)) if error else None,
    )


@get(USER, opt=SETTERS, include_in_schema=False)
async def user_page(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    user_id: FromPath[uuid.UUID],
) -> Template:
    """One account in the reader's scope; another's answers 404."""
    return await _user_screen(db, request, principal, user_id)


async def _changed(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    user_id: uuid.UUID,
    run: Any,
    *,
    form: UserForm | None = None,
    done: str = "saved",
) -> Template | Redirect:
    await users.get(db, user_id)  # an unknown account: 404
    try:
        result = await attempt(db, run)
    except FormProblem as problem:
        return await _user_screen(db, request, principal, user_id, form=form, error=problem)
    if isinstance(result, DomainError):
        return await _user_screen(db, request, principal, user_id, form=form, error=result)
    return Redirect(path=f"{USERS}/{user_id}?done={done}", status_code=303)


@post(USER, opt=ADMINS, include_in_schema=False, status_code=303)
async def update_user(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    user_id: FromPath[uuid.UUID],
    data: Form[UserForm],
) -> Template | Redirect:
    """A new role, areas, facilities or display name (PATCH /admin/v1/users/…)."""

    async def run() -> User:
        values = {
            "display_name": data.display_name.strip(),
            "role": data.role,
            **await _scope(db, principal, data),
        }
        return await users.update_user(
            db, user_id=user_id, data=wire(UserUpdate, values), by=principal.user_id
        )

    return await _changed(db, request, principal, user_id, run, form=data)


@post(f"{USER}/active", opt=ADMINS, include_in_schema=False, status_code=303)
async def set_active(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    user_id: FromPath[uuid.UUID],
    data: Form[ActiveForm],
) -> Template | Redirect:
    """Deactivate (every sign-in ends at once) or reactivate an account."""

    async def run() -> User:
        change = UserUpdate(active=data.active == "1")
        return await users.update_user(db, user_id=user_id, data=change, by=principal.user_id)

    return await _changed(db, request, principal, user_id, run)


@post(f"{USER}/password", opt=ADMINS, include_in_schema=False, status_code=303)
async def set_password(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    user_id: FromPath[uuid.UUID],
    data: Form[PasswordForm],
) -> Template | Redirect:
    """A new password; the account's sessions end (POST /admin/v1/users/…/password)."""

    async def run() -> None:
        reset = wire(PasswordReset, {"password": data.password})
        await users.reset_password(
            db, user_id=user_id, password=reset.password, by=principal.user_id
        )

    return await _changed(db, request, principal, user_id, run, done="password")


ROUTES = [
    user_list,
    create_user,
    user_page,
    update_user,
    set_active,
    set_password,
]
