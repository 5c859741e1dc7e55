"""Signing in and out in a real browser (Debian's Chromium): the link followed while signed
out opens after sign-in, the language is the person's own, the page runs nothing the policy
refuses, and after signing out the old cookie opens nothing."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, expect

from backend.auth import browser as sessions
from backend.seed import DEMO_PASSWORD
from tests.browser.conftest import LiveServer, new_page, shoot
from tests.browser.steps import sign_in, watch_policy


def test_a_coordinator_signs_in_from_a_link_and_out_again(
    live_server: LiveServer, browser: Browser
) -> None:
    page = new_page(browser)
    refused = watch_policy(page)
    page.goto(live_server.url("/"))
    expect(page).to_have_url(re.compile(r"/console/sign-in\?next=%2Fconsole"))
    page.get_by_role("link", name="English").click()
    shoot(page, "sign-in-en")
    sign_in(page, "demo_coordinator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Хянах самбар")
    page.get_by_label("Хэл").select_option("en")
    page.get_by_role("button", name="Хэл солих").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    shoot(page, "dashboard-en")
    cookie = next(c for c in page.context.cookies() if c["name"] == sessions.COOKIE)
    assert cookie["httpOnly"]
    assert cookie["sameSite"] == "Lax"
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server.url("/console/sign-in"))
    # the old cookie, replayed, opens nothing: not the console, not a page, not the API
    jar = {sessions.COOKIE: cookie["value"]}
    with httpx.Client(base_url=live_server.base, cookies=jar) as replay:
        assert replay.get("/console/", headers={"Accept": "text/html"}).status_code == 303
        assert replay.get("/auth/v1/me").status_code == 401
    assert refused == []


def test_a_page_link_from_a_reminder_opens_after_sign_in(
    live_server: LiveServer, browser: Browser
) -> None:
    page = new_page(browser)
    page.goto(live_server.url("/reports/v1/rollup.html?area=MN-046&template=parent_engagement"))
    expect(page).to_have_url(
        live_server.url(
            "/console/sign-in?next=%2Freports%2Fv1%2Frollup.html%3Farea%3DMN-046%26template%3Dparent_engagement"
        )
    )
    sign_in(page, "demo_viewer")
    expect(page).to_have_url(
        live_server.url("/reports/v1/rollup.html?area=MN-046&template=parent_engagement")
    )
    expect(page.locator("h1")).to_be_visible()


def test_a_viewer_is_refused_a_coordinator_screen(
    live_server: LiveServer, browser: Browser
) -> None:
    page = new_page(browser)
    page.goto(live_server.url("/console/sign-in"))
    sign_in(page, "demo_viewer")
    response = page.goto(live_server.url("/console/setup"))
    assert response is not None
    assert response.status == 403


def test_the_scorecard_page_opens_with_the_session_and_its_styles_pass_the_policy(
    live_server: LiveServer, browser: Browser
) -> None:
    """The page the meeting is built around, projected from a browser: its one style block
    carries the request's nonce, so the policy refuses nothing and the bars are drawn."""
    with httpx.Client(base_url=live_server.base) as api:
        login = api.post(
            "/auth/v1/login", json={"username": "demo_facilitator", "password": DEMO_PASSWORD}
        )
        token = {"Authorization": f"Bearer {login.json()['access_token']}"}
        rounds = api.get("/cycles/v1", params={"limit": 50}, headers=token).json()["items"]
    cycle = next(r for r in rounds if r["phase"] == "follow_up")
    page = new_page(browser)
    refused = watch_policy(page)
    page.goto(live_server.url(f"/reports/v1/cycles/{cycle['id']}/scorecard.html"))
    sign_in(page, "demo_facilitator")
    expect(page).to_have_url(re.compile(r"/scorecard\.html$"))
    # the stylesheet applied: the bars' table is laid out, not raw
    assert page.locator("rect").count() >= 2
    assert page.evaluate("getComputedStyle(document.body).margin") != "8px"
    shoot(page, "scorecard-page-mn")
    assert refused == []
