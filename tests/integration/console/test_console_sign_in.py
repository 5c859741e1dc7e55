"""People sign in with a browser: a session cookie kept in PostgreSQL, a CSRF token on every
form, the link they followed opened after sign-in, and the session ended at once by signing
out, a new password or deactivation."""

from __future__ import annotations

import time

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import browser
from backend.auth.models import Role
from backend.users import service as users
from backend.users.schemas import UserUpdate
from tests.support.console import (
    console_sign_in,
    csrf_of,
    form_token,
    hold_session,
    post_form,
    session_value,
)
from tests.support.identity import make_user

pytestmark = pytest.mark.asyncio(loop_scope="session")
HTML = {"Accept": "text/html"}


async def test_the_front_door_leads_a_browser_to_the_console_and_a_client_to_the_docs(
    client: httpx.AsyncClient,
) -> None:
    browser_visit = await client.get("/", headers={"Accept": "text/html,application/xhtml+xml"})
    api_visit = await client.get("/", headers={"Accept": "application/json"})
    assert browser_visit.headers["location"] == "/console/"
    assert api_visit.headers["location"] == "/schema"


async def test_a_link_followed_signed_out_opens_after_sign_in(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    link = "/console/?from=reminder"
    refused = await client.get(link, headers=HTML)
    assert refused.status_code == 303
    assert refused.headers["location"].startswith("/console/sign-in?next=")
    signed_in = await console_sign_in(client, coordinator, next=link)
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == link
    home = await client.get(link, headers=HTML)
    assert home.status_code == 200
    assert coordinator.username in home.text


async def test_the_session_cookie_is_http_only_lax_and_new_at_every_sign_in(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    hold_session(client, "planted-by-someone-else")
    first = await console_sign_in(client, coordinator)
    header = first.headers["set-cookie"].lower()
    assert "httponly" in header
    assert "samesite=lax" in header
    assert "path=/" in header
    first_value = session_value(client)
    assert first_value not in (None, "planted-by-someone-else")
    await console_sign_in(client, coordinator)
    second_value = session_value(client)
    assert second_value != first_value
    # the earlier session ended when the same browser signed in again
    hold_session(client, first_value)
    assert (await client.get("/console/", headers=HTML)).status_code == 303


async def test_a_wrong_password_shows_the_form_again_and_counts_toward_throttling(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    for _ in range(10):
        wrong = await console_sign_in(client, coordinator, password="not it")
        assert wrong.status_code == 401
        assert 'role="alert"' in wrong.text
    # the API sign-in and the browser's share one count
    api = await client.post(
        "/auth/v1/login", json={"username": coordinator.username, "password": "not it"}
    )
    assert api.status_code == 429
    throttled = await console_sign_in(client, coordinator)
    assert throttled.status_code == 429


async def test_a_form_without_its_csrf_token_is_refused(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    no_token = await client.post(
        "/console/sign-in",
        data={"username": coordinator.username, "password": "correct horse battery"},
    )
    assert no_token.status_code == 403
    assert browser.COOKIE not in no_token.headers.get("set-cookie", "")
    await console_sign_in(client, coordinator)
    page = await client.get("/console/", headers=HTML)
    refused = await client.post("/console/language", data={"language": "en"})
    assert refused.status_code == 403
    forged = await client.post(
        "/console/language", data={"language": "en", "_csrf_token": csrf_of(page.text) + "x"}
    )
    assert forged.status_code == 403
    assert 'lang="mn"' in (await client.get("/console/", headers=HTML)).text


async def test_signing_out_ends_the_session_for_the_old_cookie(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    old = session_value(client)
    out = await post_form(client, "/console/", "/console/sign-out", {})
    assert out.status_code == 303
    hold_session(client, old)
    assert (await client.get("/console/", headers=HTML)).status_code == 303
    # and nothing else opens with it, not the API's reads either
    assert (await client.get("/auth/v1/me")).status_code == 401


@pytest.mark.parametrize("ending", ["password", "deactivation"])
async def test_a_new_password_or_deactivation_ends_browser_sessions_at_once(
    client: httpx.AsyncClient, db: AsyncSession, ending: str
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    assert (await client.get("/console/", headers=HTML)).status_code == 200
    if ending == "password":
        await users.reset_password(db, user_id=coordinator.id, password="a new one, long", by=None)
    else:
        await users.update_user(db, user_id=coordinator.id, data=UserUpdate(active=False), by=None)
    await db.commit()
    assert (await client.get("/console/", headers=HTML)).status_code == 303


async def test_a_session_opens_links_but_never_an_api_write(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    """A page or a download opens with the session as with a token; a write to the API
    (which has no CSRF token) needs the bearer token, so another site cannot make one."""
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    assert (await client.get("/auth/v1/me")).status_code == 200
    write = await client.post("/auth/v1/logout")
    assert write.status_code == 401


async def test_the_language_is_the_users_own_and_remembered(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    assert "Хянах самбар" in (await client.get("/console/", headers=HTML)).text
    chosen = await post_form(
        client, "/console/", "/console/language", {"language": "en", "back": "/console/"}
    )
    assert chosen.status_code == 303
    await console_sign_in(client, coordinator)
    assert "Dashboard" in (await client.get("/console/", headers=HTML)).text
    preferences = await client.get("/auth/v1/me/preferences")
    assert preferences.json()["language"] == "en"


async def test_a_return_link_to_another_site_is_not_followed(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    for elsewhere in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        signed_in = await console_sign_in(client, coordinator, next=elsewhere)
        assert signed_in.headers["location"] == "/console/"


async def test_console_pages_refuse_framing_and_inline_script(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/console/sign-in", headers=HTML)
    policy = page.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert page.headers["x-frame-options"] == "DENY"
    assert "<script>" not in page.text  # only the vendored file, by its address
    assert '<script src="/console/static/htmx.min.js"' in page.text
    token = await form_token(client, "/console/sign-in")
    assert token


async def test_a_refused_screen_keeps_the_session_and_a_stale_form_says_so(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    viewer = await make_user(db, Role.VIEWER, areas=["MN-046"])
    await console_sign_in(client, viewer)
    refused = await client.get("/console/setup", headers=HTML)
    assert refused.status_code == 403
    assert viewer.username in refused.text  # who is signed in, the menu and sign-out stay
    assert 'action="/console/sign-out"' in refused.text
    stale = await client.post("/console/language", data={"language": "en", "_csrf_token": "x"})
    assert stale.status_code == 403
    assert "хуудсыг дахин нээгээд" in stale.text
    chosen = await post_form(
        client,
        "/console/results?area=MN-046",
        "/console/language",
        {"language": "en", "back": "/console/results?area=MN-046"},
    )
    assert chosen.headers["location"] == "/console/results?area=MN-046"


async def test_a_form_of_millions_of_empty_fields_is_refused_at_once(
    client: httpx.AsyncClient,
) -> None:
    """A console form is a few fields of words: a body of millions of empty fields, which
    would hold the worker for half a minute to parse, is refused by its size."""
    token = await form_token(client, "/console/sign-in")
    flood = f"_csrf_token={token}&" + "a&" * 400_000
    started = time.perf_counter()
    answer = await client.post(
        "/console/sign-in",
        content=flood,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 413
    assert time.perf_counter() - started < 2
