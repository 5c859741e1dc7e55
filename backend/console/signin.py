"""Sign-in, sign-out and the language choice of people using a browser."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie, State
from litestar.params import FromQuery
from litestar.response import Redirect, Template
from sqlalchemy import update

from backend.auth import browser
from backend.auth.models import User
from backend.auth.policy import PUBLIC, SIGNED_IN, CurrentPrincipal
from backend.auth.service import InvalidCredentials, LoginThrottled
from backend.console.forms import Form, local_path
from backend.console.render import LANGUAGES, screen
from backend.database.session import DbSession
from backend.settings import Settings

SIGN_IN = "/console/sign-in"


@dataclass
class SignInForm:
    username: str
    password: str
    next: str = ""


@dataclass
class LanguageForm:
    language: str
    back: str = ""


def _cookie(settings: Settings, value: str, *, max_age: int) -> Cookie:
    return Cookie(
        key=browser.COOKIE,
        value=value,
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.production,
        max_age=max_age,
    )


@get(SIGN_IN, opt=PUBLIC, include_in_schema=False)
async def sign_in_form(request: Request[Any, Any, Any], next: FromQuery[str] = "") -> Template:
    return screen(request, "sign_in.html", next=local_path(next, ""), username="", error=None)


@post(SIGN_IN, opt=PUBLIC, include_in_schema=False, status_code=303)
async def sign_in(
    db: DbSession, state: State, request: Request[Any, Any, Any], data: Form[SignInForm]
) -> Response[Any]:
    """A new session (a new cookie value, whatever the browser held before), then the link
    the person was following, or the start page."""
    client = request.client.host if request.client else None
    try:
        token, _ = await browser.sign_in(
            db, username=data.username, password=data.password, client=client
        )
    except (InvalidCredentials, LoginThrottled) as refusal:
        return _refused(request, data, throttled=isinstance(refusal, LoginThrottled))
    previous = request.cookies.get(browser.COOKIE)
    if previous:
        await browser.end_by_token(db, previous)
    settings: Settings = state.settings
    return Redirect(
        path=local_path(data.next),
        status_code=303,
        cookies=[_cookie(settings, token, max_age=int(browser.LIFETIME.total_seconds()))],
    )


def _refused(request: Request[Any, Any, Any], data: SignInForm, *, throttled: bool) -> Template:
    return screen(
        request,
        "sign_in.html",
        status=429 if throttled else 401,
        next=local_path(data.next, ""),
        username=data.username,
        error="throttled" if throttled else "wrong_password",
    )


@post("/console/sign-out", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def sign_out(db: DbSession, state: State, principal: CurrentPrincipal) -> Redirect:
    if principal.browser:
        await browser.sign_out(db, session_id=principal.session_id, user_id=principal.user_id)
    settings: Settings = state.settings
    return Redirect(path=SIGN_IN, status_code=303, cookies=[_cookie(settings, "", max_age=0)])


@post("/console/language", opt=SIGNED_IN, include_in_schema=False, status_code=303)
async def choose_language(
    db: DbSession, principal: CurrentPrincipal, data: Form[LanguageForm]
) -> Redirect:
    """The language is the user's own, kept with the account (the console's and reminders')."""
    if data.language in LANGUAGES:
        await db.execute(
            update(User).where(User.id == principal.user_id).values(language=data.language)
        )
    return Redirect(path=local_path(data.back), status_code=303)


ROUTES = [sign_in_form, sign_in, sign_out, choose_language]
