"""A person at the console, as a browser would be: the CSRF token read off each form, the
session cookie kept by the client."""

from __future__ import annotations

import re
from typing import Any

import httpx

from backend.auth import browser
from backend.auth.models import User
from tests.support.identity import PASSWORD

_TOKEN = re.compile(r'name="_csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    found = _TOKEN.search(page)
    assert found, "the page carries no CSRF token"
    return found.group(1)


async def form_token(client: httpx.AsyncClient, path: str) -> str:
    page = await client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200, page.text
    return csrf_of(page.text)


async def console_sign_in(
    client: httpx.AsyncClient, user: User, *, password: str = PASSWORD, next: str = ""
) -> httpx.Response:
    token = await form_token(client, "/console/sign-in")
    return await client.post(
        "/console/sign-in",
        data={"username": user.username, "password": password, "next": next, "_csrf_token": token},
    )


async def post_form(
    client: httpx.AsyncClient, page_path: str, action: str, fields: dict[str, Any]
) -> httpx.Response:
    """Open the page the form is on (for its token), then post the form as a browser does."""
    token = await form_token(client, page_path)
    return await client.post(action, data={**fields, "_csrf_token": token})


def session_value(client: httpx.AsyncClient) -> str | None:
    """The session cookie the browser holds now."""
    values = [cookie.value for cookie in client.cookies.jar if cookie.name == browser.COOKIE]
    return values[-1] if values else None


def hold_session(client: httpx.AsyncClient, value: str | None) -> None:
    """The browser holds exactly this session cookie (an old one kept, one planted)."""
    for cookie in list(client.cookies.jar):
        if cookie.name == browser.COOKIE:
            client.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
    if value is not None:
        client.cookies.set(browser.COOKIE, value, domain="testserver.local", path="/")
