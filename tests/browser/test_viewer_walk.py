"""A viewer (a ministry's reader in Uvs) in the console, in a real browser: a cookie planted
before sign-in is not the session after it, and each sign-in makes a new one; the results list
holds exactly the rounds the API gives the same person (published, of their area: not a round
published in another area, not an unpublished one of their own); the scorecard page opens; the
coordinators' screens are refused; a form posted without its CSRF token is refused."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, Page, expect

from backend.auth import browser as sessions
from backend.seed import DEMO_PASSWORD
from tests.browser.conftest import LiveServer, new_page, shoot
from tests.browser.steps import (
    failed_loads,
    policy_errors,
    shoot_both,
    shoot_report_both,
    sign_in,
    switch_language,
    watch_policy,
)

PLANTED = "planted-before-sign-in"
ELSEWHERE = "Songinokhairkhan School No. 67"  # Ulaanbaatar: outside the viewer's Uvs
UNPUBLISHED = "Tes Soum Secondary School"  # Uvs, still scoring
SHOWCASE = "Ulaangom School No. 1"


def _session(page: Page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == sessions.COOKIE)


def _publish_elsewhere(live_server: LiveServer, browser: Browser) -> None:
    """The coordinator publishes a round in Songinokhairkhan, through the review screen."""
    page = new_page(browser)
    page.goto(live_server.url("/console/sign-in"))
    sign_in(page, "demo_coordinator")
    switch_language(page, "en")
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name="Review and publication"
    ).click()
    page.get_by_role("link", name=ELSEWHERE).click()
    page.locator("#publication").get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    page.context.close()


def _api_rounds(live_server: LiveServer) -> set[str]:
    """The rounds the API lists for demo_viewer (each published, each at a facility in Uvs)."""
    with httpx.Client(base_url=live_server.base) as api:
        login = api.post(
            "/auth/v1/login", json={"username": "demo_viewer", "password": DEMO_PASSWORD}
        )
        token = {"Authorization": f"Bearer {login.json()['access_token']}"}
        rounds = api.get("/cycles/v1", params={"limit": 100}, headers=token).json()["items"]
        places = api.get("/facilities/v1", params={"limit": 100}, headers=token).json()["items"]
    assert rounds
    assert all(r["published_at"] for r in rounds)
    in_uvs = {p["id"] for p in places if p["area_code"].startswith("MN-046")}
    assert {r["facility_id"] for r in rounds} <= in_uvs
    return {r["id"] for r in rounds}


def test_a_viewer_reads_only_published_results_of_their_area(
    live_server: LiveServer, browser: Browser
) -> None:
    _publish_elsewhere(live_server, browser)
    page = new_page(browser)
    refused = watch_policy(page)

    # a session id someone planted before sign-in is not the one after it
    page.context.add_cookies([{"name": sessions.COOKIE, "value": PLANTED, "url": live_server.base}])
    page.goto(live_server.url("/console/"))
    expect(page).to_have_url(re.compile(r"/console/sign-in\?next=%2Fconsole"))
    page.get_by_role("link", name="Монгол").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Нэвтрэх")
    shoot(page, "sign-in-mn")
    sign_in(page, "demo_viewer")
    expect(page).to_have_url(live_server.url("/console/results"))
    first = _session(page)
    assert first != PLANTED
    # signing in again (a colleague's turn at the same browser) makes a new session again,
    # and the one before it opens nothing
    page.goto(live_server.url("/console/sign-in"))
    sign_in(page, "demo_viewer")
    expect(page).to_have_url(live_server.url("/console/results"))
    second = _session(page)
    assert second not in (PLANTED, first)
    with httpx.Client(base_url=live_server.base, cookies={sessions.COOKIE: first}) as replay:
        assert replay.get("/auth/v1/me").status_code == 401
    with httpx.Client(base_url=live_server.base, cookies={sessions.COOKIE: second}) as current:
        assert current.get("/auth/v1/me").status_code == 200

    # the results: the viewer's own menu, and the very rounds the API lists for them
    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results")
    menu = page.get_by_role("navigation", name="Main menu").get_by_role("link")
    expect(menu).to_have_text(["Results", "Action plans"])
    shoot_both(page, "viewer-results")
    table = page.locator("table.results")
    links = table.get_by_role("link", name="Scorecard", exact=True)
    expect(links.first).to_be_visible()
    shown = {
        re.search(r"/cycles/([0-9a-f-]{36})/", href or "").group(1)  # type: ignore[union-attr]
        for href in (link.get_attribute("href") for link in links.all())
    }
    listed = _api_rounds(live_server)
    assert shown == listed
    expect(table.locator("tbody tr")).to_have_count(len(listed))
    for row in table.locator("tbody tr").all():
        expect(row).to_contain_text("Published")
        expect(row.get_by_role("cell").first).to_have_text(re.compile(r"^(Ulaangom|Tes)$"))
    expect(table).not_to_contain_text(ELSEWHERE)
    expect(table).not_to_contain_text(UNPUBLISHED)
    # the area filter offers the viewer's own areas only
    areas = page.get_by_label("Area", exact=True).locator("option").all_inner_texts()
    assert not any("Songinokhairkhan" in name for name in areas)

    # the scorecard page of a round opens with the session
    table.get_by_role("row", name=re.compile(f"{SHOWCASE}.*autumn")).get_by_role(
        "link", name="Scorecard", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/reports/v1/cycles/[0-9a-f-]{36}/scorecard\.html$"))
    expect(page.locator("h1")).to_contain_text(SHOWCASE)
    shoot_report_both(page, "viewer-scorecard-page")
    page.goto(live_server.url("/console/"))  # the console's address: the results again

    # the coordinators' screens are refused
    for path in ("/console/setup", "/console/review"):
        response = page.goto(live_server.url(path))
        assert response is not None
        assert response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Your account may not open this screen."
        )
        expect(page.locator("code")).to_have_text("auth.forbidden")
    shoot(page, "viewer-refused-review-en")
    # the refusal keeps the reader's session: their menu, their language, their language form
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_label("Language", exact=True).select_option("mn")
    page.get_by_role("button", name="Change language").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Таны эрх хүрэхгүй байна.")
    shoot(page, "viewer-refused-review-mn")
    page.get_by_label("Хэл", exact=True).select_option("en")
    page.get_by_role("button", name="Хэл солих").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your account may not open this screen."
    )

    # a form posted without its CSRF token (a page of another site could post it) is refused
    page.goto(live_server.url("/console/results"))
    form = page.locator("form[action='/console/language']")
    form.locator("input[name=_csrf_token]").evaluate("input => input.remove()")
    page.get_by_label("Language", exact=True).select_option("mn")
    with page.expect_response(re.compile(r"/console/language$")) as answer:
        page.get_by_role("button", name="Change language").click()
    assert answer.value.status == 403
    expect(page.locator("code")).to_have_text("auth.csrf")
    shoot(page, "csrf-refused-en")
    # nothing changed: the language is still the one chosen before
    page.goto(live_server.url("/console/results"))
    expect(page.locator("html")).to_have_attribute("lang", "en")

    assert policy_errors(refused) == []
    asked = ("/console/setup", "/console/review", "/console/language", "/favicon.ico")
    assert [url for url in failed_loads(refused) if not url.startswith(asked)] == []
