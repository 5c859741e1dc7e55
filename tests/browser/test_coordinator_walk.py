"""A coordinator's season in the console, in a real browser (Debian's Chromium), through the
screens only: facilities imported from the CSV file Excel saves (a bad row shown by line and
column, nothing imported; the corrected file imports), a campaign opened and a round moved on
to its scoring, a paper sheet typed in, its reason passed and the sheet approved, a conflict
two tablets made settled, the round published, its area page read, a lost tablet revoked, and
signing out, after which the old cookie opens nothing. The tablets alone speak the API, as
tablets do. Every screen is kept as a picture in both languages."""

from __future__ import annotations

import io
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from PIL import Image
from playwright.sync_api import Browser, Page, expect

from backend.auth import browser as sessions
from backend.seed import DEMO_PASSWORD
from tests.browser.conftest import LiveServer, new_page, shoot
from tests.browser.steps import (
    OTHER,
    failed_loads,
    language_of,
    overflow,
    policy_errors,
    shoot_both,
    shoot_report_both,
    sign_in,
    switch_language,
    watch_policy,
)

ULAANGOM = "MN-046-18501"
HEADER = "registry_code;type;name_mn;name_en;area_code;latitude;longitude"
GOOD_ROW = "SCH-046-301;school;Улаангом сумын 3-р сургууль;Ulaangom School No. 3;{area};49,98;92,07"
SECOND_ROW = "SCH-046-302;school;Улаангом сумын 4-р сургууль;Ulaangom School No. 4;{area};;"
SCHOOL = "Ulaangom School No. 3"
ROUND = "2027 spring round"
REASON = "Багш нар өвөл хичээлээ тасалдаг"


def _csv(bad_area: str | None = None) -> bytes:
    """What Excel saves in Mongolia: UTF-8 with a byte order mark, semicolons, decimal commas."""
    rows = [
        HEADER,
        GOOD_ROW.format(area=ULAANGOM),
        SECOND_ROW.format(area=bad_area or ULAANGOM),
    ]
    return ("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8")


def _photo() -> bytes:
    """A photo of the paper sheet (a plain picture will do)."""
    out = io.BytesIO()
    Image.new("RGB", (320, 240), (235, 230, 215)).save(out, format="JPEG")
    return out.getvalue()


def _answers(teacher_attendance: int) -> dict[str, Any]:
    def a(value: Any) -> dict[str, Any]:
        return {"value": value, "reason": None, "suggestion": None}

    return {
        "council_meetings": a(3),
        "consulted_on_plan": a(3),
        "budget_published": a(True),
        "informal_contributions": a(False),
        "teacher_attendance": a(teacher_attendance),
        "toilets_and_water": a(True),
        "complaints_answered": a(4),
        "inclusion": a(3),
    }


def _score(teacher_attendance: int) -> dict[str, Any]:
    """A tablet's change of one score: how often teachers come on time."""
    return {"teacher_attendance": _answers(teacher_attendance)["teacher_attendance"]}


class Tablet:
    """A facilitator's tablet: it signs in with its own device id and pushes its queue."""

    def __init__(self, api: httpx.Client, name: str) -> None:
        self.api = api
        self.name = name
        self.device_id = uuid.uuid4()
        self.next_mutation = 1
        login = api.post(
            "/auth/v1/login",
            json={
                "username": "demo_facilitator",
                "password": DEMO_PASSWORD,
                "device": {
                    "id": str(self.device_id),
                    "name": name,
                    "platform": "android 13",
                    "app_version": "1.4.0",
                },
            },
        )
        assert login.status_code == 200, login.text
        self.headers = {"Authorization": f"Bearer {login.json()['access_token']}"}

    def push(
        self, entity: str, op: str, record_id: uuid.UUID, data: dict[str, Any], **extra: Any
    ) -> httpx.Response:
        mutation = {
            "mutation_id": self.next_mutation,
            "entity": entity,
            "op": op,
            "id": str(record_id),
            "base_version": extra.get("base_version"),
            "data": data,
            "client_ts": datetime.now(UTC).isoformat(),
        }
        self.next_mutation += 1
        body = {"protocol": 1, "device_id": str(self.device_id), "mutations": [mutation]}
        return self.api.post("/sync/v1/push", json=body, headers=self.headers)

    def pushed(self, *args: Any, **extra: Any) -> dict[str, Any]:
        response = self.push(*args, **extra)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()["results"][0]
        return result


def _conflict_from_two_tablets(live_server: LiveServer, cycle_id: str) -> tuple[Tablet, Tablet]:
    """Two tablets of one team score the parents' group; both change one score offline."""
    api = httpx.Client(base_url=live_server.base)
    first, second = Tablet(api, "Tablet A (Ulaangom team)"), Tablet(api, "Tablet B (Ulaangom team)")
    record = uuid.uuid4()
    made = first.pushed(
        "submission",
        "create",
        record,
        {
            "cycle_id": cycle_id,
            "respondent": "community",
            "group": {"type": "parents", "participants": {"female": 6, "male": 4}},
            "answers": _answers(3),
            "collected_at": datetime.now(UTC).isoformat(),
        },
    )
    assert made["status"] == "applied", made
    change = first.pushed("submission", "update", record, {"answers": _score(2)}, base_version=1)
    assert change["status"] == "applied", change
    clash = second.pushed("submission", "update", record, {"answers": _score(5)}, base_version=1)
    assert clash["status"] == "conflict", clash
    return first, second


def _menu(page: Page, entry: str) -> None:
    """Follow an entry of the main menu at the top of every screen."""
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name=entry).click()


def _import(page: Page, content: bytes, button: str) -> None:
    page.get_by_label(re.compile(r"^(CSV file|CSV файл)$")).set_input_files(
        {"name": "facilities.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name=button, exact=True).click()


def test_a_coordinator_runs_a_round_from_import_to_publication(
    live_server: LiveServer, browser: Browser
) -> None:
    page = new_page(browser)
    refused = watch_policy(page)
    page.goto(live_server.url("/console/"))
    sign_in(page, "demo_coordinator")
    expect(page.get_by_role("heading", level=1)).to_have_text("Хянах самбар")
    switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    shoot_both(page, "dashboard")

    # set-up: facilities imported from a CSV file, one bad row first
    _menu(page, "Set-up")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set-up")
    shoot_both(page, "setup")
    page.get_by_role("link", name="Facilities", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Facilities")
    shoot_both(page, "setup-facilities")
    page.get_by_role("link", name="Import from a CSV file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from a CSV file")
    shoot_both(page, "setup-facility-import")
    _import(page, _csv(bad_area="MN-046-99999"), "Import")
    expect(
        page.get_by_role("heading", name="Rows with problems. Nothing was imported.")
    ).to_be_visible()
    problems = page.locator("table.problems tbody tr")
    expect(problems).to_have_count(1)
    expect(problems.first.get_by_role("rowheader")).to_have_text("3")
    expect(problems.first.get_by_role("cell").first).to_have_text("area_code")
    expect(problems.first).to_contain_text("no area 'MN-046-99999'")
    shoot(page, "setup-facility-import-bad-row-en")
    # the same file in Mongolian: the same line and column, in the reader's words
    switch_language(page, "mn")
    _import(page, _csv(bad_area="MN-046-99999"), "Оруулах")
    expect(page.get_by_role("heading", name="Алдаатай мөрүүд. Юу ч оруулсангүй.")).to_be_visible()
    expect(problems.first.get_by_role("rowheader")).to_have_text("3")
    expect(problems.first).to_contain_text("кодтой нутаг дэвсгэр байхгүй")
    shoot(page, "setup-facility-import-bad-row-mn")
    switch_language(page, "en")
    # nothing of the file was imported, not even its good row
    page.get_by_role("navigation", name="Set-up").get_by_role("link", name="Facilities").click()
    page.get_by_label("Search by name").fill("Ulaangom School")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name="Ulaangom School No. 1")).to_be_visible()
    expect(page.get_by_role("link", name=SCHOOL)).to_have_count(0)
    page.get_by_role("link", name="Import from a CSV file").click()
    _import(page, _csv(), "Import")
    expect(page.get_by_role("status")).to_have_text("Imported: 2 added, 0 updated, 0 unchanged.")
    shoot(page, "setup-facility-import-done-en")
    page.get_by_role("navigation", name="Set-up").get_by_role("link", name="Facilities").click()
    page.get_by_label("Search by name").fill("Ulaangom School")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_role("link", name=SCHOOL)).to_be_visible()
    expect(page.get_by_role("link", name="Ulaangom School No. 4")).to_be_visible()

    # a campaign: a round at every school of Ulaangom; the one running already is skipped
    page.get_by_role("navigation", name="Set-up").get_by_role("link", name="Set-up").click()
    page.get_by_role("link", name="Rounds and campaigns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rounds and campaigns")
    shoot_both(page, "setup-rounds")
    page.get_by_role("link", name="Open rounds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a campaign")
    shoot_both(page, "setup-campaign-new")
    page.get_by_label("Template").select_option(label="Parent engagement in schools · version 1")
    page.get_by_label("Area", exact=True).fill(ULAANGOM)
    page.get_by_label("Facility type").select_option(label="School")
    page.get_by_label("Round label (Mongolian)").fill("2027 оны хаврын үе")
    page.get_by_label("Round label (English)").fill(ROUND)
    for group in ("Parents", "Students", "Teachers"):
        page.get_by_label(group, exact=True).check()
    page.get_by_role("button", name="Open rounds").click()
    expect(page.get_by_role("status")).to_have_text(
        "Rounds opened: 2; skipped as already running: 1."
    )
    page.get_by_role("link", name=SCHOOL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{SCHOOL} · {ROUND}")
    cycle_id = re.search(r"/rounds/([0-9a-f-]{36})", page.url).group(1)  # type: ignore[union-attr]
    page.get_by_role("button", name="Move on to the next phase: Input tracking").click()
    expect(page.get_by_role("status")).to_have_text("The phase is changed.")
    page.get_by_role("button", name="Move on to the next phase: Community scoring").click()
    expect(page.get_by_role("status")).to_have_text("The phase is changed.")
    shoot_both(page, "setup-round")

    # a paper sheet typed in, as the parents' group filled it in
    _menu(page, "Paper scorecards")
    expect(page.get_by_role("heading", level=1)).to_have_text("Paper scorecards")
    shoot_both(page, "paper-rounds")
    page.get_by_role("row", name=re.compile(re.escape(SCHOOL))).get_by_role(
        "link", name="Type a sheet"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Type a paper sheet: {SCHOOL}, {ROUND}"
    )
    shoot_both(page, "paper-sheet")
    page.get_by_label("Group", exact=True).select_option(label="Parents")
    page.get_by_label("Women taking part", exact=True).fill("7")
    page.get_by_label("Men taking part", exact=True).fill("5")
    page.get_by_label("The consent statement was read out and the group agreed").check()
    sheet = {
        "How many times has the parent council met": "4",
        "Are parents consulted on the school plan": "3 — So-so",
        "Were the school's budget and spending published": "No",
        "Were parents asked for informal": "Yes",
        "Do teachers come on time": "2 — Bad",
        "Are there working toilets": "Yes",
        "Are parents' complaints answered": "4 — Good",
        "Are children with disabilities": "3 — So-so",
    }
    for question, answer in sheet.items():
        # each question is a group named by its words, its input labelled "Answer"
        box = page.get_by_role("group", name=re.compile(re.escape(question)))
        field = box.get_by_label(re.compile("^Answer"))
        if answer.isdigit():
            field.fill(answer)
        else:
            field.select_option(label=answer)
    page.get_by_role("group", name=re.compile("Do teachers come on time")).get_by_label(
        "Reason"
    ).fill(REASON)
    page.get_by_label("Photo of the paper sheet").set_input_files(
        {"name": "sheet.jpg", "mimeType": "image/jpeg", "buffer": _photo()}
    )
    page.get_by_role("button", name="Store the sheet").click()
    expect(page.get_by_role("status")).to_have_text(
        "The sheet is stored. Type the next sheet below."
    )
    typed = page.get_by_role("row", name=re.compile("^Parents"))
    expect(typed).to_contain_text("12")
    expect(typed).to_contain_text("Demo coordinator")
    shoot(page, "paper-sheet-stored-en")

    # review: the sheet's reason passed, the sheet approved
    _menu(page, "Review and publication")
    expect(page.get_by_role("heading", level=1)).to_have_text("Review and publication")
    shoot_both(page, "review-rounds")
    page.get_by_role("link", name=SCHOOL).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{SCHOOL} · {ROUND}")
    shoot_both(page, "review-round")
    piece = page.locator("article.piece").filter(has_text=REASON)
    expect(piece.get_by_role("heading")).to_contain_text("Reason · Do teachers come on time")
    piece.get_by_role("button", name="Pass").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.locator("article.piece").filter(has_text=REASON)).to_have_count(0)
    # the photo of the sheet waits too (it carries the participants' names): hidden, saying why
    photo = page.locator("article.piece").filter(has=page.get_by_role("img"))
    expect(photo.get_by_role("heading")).to_contain_text("Photo")
    photo.get_by_label("Why it is hidden").fill("The sheet shows the participants' names")
    photo.get_by_role("button", name="Hide").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_text("Nothing awaits review.")).to_be_visible()
    page.get_by_role("row", name=re.compile("^Parents")).get_by_role("link", name="Open").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Parents, 12 people")
    expect(page.get_by_role("row", name=re.compile("Do teachers come on time"))).to_contain_text(
        REASON
    )
    shoot_both(page, "review-submission")
    page.get_by_label("Approved").check()
    page.get_by_label("Note").fill("Checked against the photo of the sheet")
    page.get_by_role("button", name="Decide").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(page.get_by_text("State: Approved")).to_be_visible()
    decided = page.get_by_role("row", name=re.compile("^Approved"))
    expect(decided).to_contain_text("Checked against the photo of the sheet")

    # a conflict: two tablets of the team changed one score offline
    first, second = _conflict_from_two_tablets(live_server, cycle_id)
    _menu(page, "Dashboard")
    card = page.locator("section.card").filter(
        has=page.get_by_role("heading", name="Open conflicts")
    )
    expect(card.locator(".count")).to_have_text("1")
    card.get_by_role("link", name="Open").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conflicts")
    conflict = page.locator("article.conflict")
    expect(conflict).to_have_count(1)
    expect(conflict.get_by_role("heading", level=3)).to_have_text(
        "Scorecard: Parents, 10 people — Do teachers come on time and are lessons held as "
        "scheduled?"
    )
    for side, value in (
        ("Where both started", "3 (1–5) — So-so"),
        ("On the server now", "2 (1–5) — Bad"),
        ("From the tablet", "5 (1–5) — Very good"),
    ):
        words = conflict.locator(".side").filter(has=page.get_by_role("heading", name=side))
        expect(words.locator("p").first).to_have_text(value)
    shoot_both(page, "conflicts")
    # only the facilitator who collected the scorecard changes its scores, as in the API: the
    # screen says so, and the coordinator keeps the value that reached the server first
    conflict.get_by_role("button", name="Take the tablet's").click()
    expect(conflict.get_by_role("alert")).to_have_text(
        "Only the person who collected this scorecard changes its scores: keep the server's "
        "value, or ask them to settle it."
    )
    shoot(page, "conflicts-refused-en")
    conflict.get_by_label("Note").fill("Asked the facilitator: the parents said 2")
    conflict.get_by_role("button", name="Keep the server's").click()
    expect(page.get_by_role("status")).to_have_text("The conflict is settled.")
    expect(page.get_by_text("No open conflict.")).to_be_visible()

    # publication: viewers read the round from now on
    _menu(page, "Review and publication")
    page.get_by_role("link", name=SCHOOL).click()
    publication = page.locator("#publication")
    expect(publication).to_contain_text("Once published")
    publication.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Saved.")
    expect(publication.get_by_role("button", name="Withdraw the publication")).to_be_visible()
    expect(publication.get_by_role("row", name=re.compile("^Published"))).to_contain_text(
        "Demo coordinator"
    )

    # results: the round is there, published; its area page opens with the session
    _menu(page, "Results")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results")
    shoot_both(page, "results")
    row = page.get_by_role("row", name=re.compile(re.escape(SCHOOL)))
    expect(row).to_contain_text("Published")
    row.get_by_role("link", name="Area page").click()
    expect(page).to_have_url(re.compile(r"/reports/v1/rollup\.html\?area=MN-046-18501"))
    expect(page.locator("h1")).to_be_visible()
    shoot_report_both(page, "area-page")

    # a lost tablet revoked: it can no longer sync
    page.goto(live_server.url("/console/"))
    _menu(page, "Set-up")
    page.get_by_role("link", name="Tablets").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tablets")
    shoot_both(page, "setup-tablets")
    page.get_by_role("row", name=re.compile(re.escape(second.name))).get_by_role(
        "link", name="Revoke…"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke this tablet?")
    shoot_both(page, "setup-tablet-revoke")
    page.get_by_role("button", name="Yes, revoke the tablet").click()
    expect(page.get_by_role("status")).to_have_text("The tablet is revoked.")
    expect(page.get_by_role("row", name=re.compile(re.escape(second.name)))).to_contain_text(
        "Revoked"
    )
    assert second.push("submission", "delete", uuid.uuid4(), {}).status_code == 401
    assert first.push("submission", "delete", uuid.uuid4(), {}, base_version=1).status_code == 200

    # signing out: the old cookie, replayed, opens nothing
    cookie = next(c for c in page.context.cookies() if c["name"] == sessions.COOKIE)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(live_server.url("/console/sign-in"))
    shoot(page, "signed-out-en")
    jar = {sessions.COOKIE: cookie["value"]}
    with httpx.Client(base_url=live_server.base, cookies=jar) as replay:
        shut = replay.get("/console/setup/tablets", headers={"Accept": "text/html"})
        assert shut.status_code == 303
        assert shut.headers["location"].startswith("/console/sign-in")
        assert replay.get("/auth/v1/me").status_code == 401
    # the policy refused no script or style; the only failed answers are the ones the walk
    # asked for (the bad file, the refused choice) and the report pages' missing icon
    assert policy_errors(refused) == []
    asked = ("/console/setup/facilities/import", "/console/conflicts/", "/favicon.ico")
    assert [url for url in failed_loads(refused) if not url.startswith(asked)] == []


def _fits(page: Page, name: str) -> None:
    """The screen needs no sideways scrolling, in either language (Mongolian words are the
    longer); kept as a picture in both."""
    first = language_of(page)
    for language in (first, OTHER[first]):
        if language != first:
            switch_language(page, language)
        assert overflow(page) == 0, f"{name} in {language} is wider than the window"
        shoot(page, f"{name}-{language}")
    switch_language(page, first)


def test_the_console_fits_a_tablet_screen(live_server: LiveServer, browser: Browser) -> None:
    """At 768 px (a tablet held upright) the dashboard and a form need no sideways scrolling."""
    page = new_page(browser, width=768, height=1024)
    refused = watch_policy(page)
    page.goto(live_server.url("/console/"))
    sign_in(page, "demo_coordinator")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if language_of(page) != "en":
        switch_language(page, "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    _fits(page, "dashboard-768")
    _menu(page, "Set-up")
    page.get_by_role("link", name="Rounds and campaigns").click()
    page.get_by_role("link", name="Open rounds").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open a campaign")
    _fits(page, "setup-campaign-new-768")
    assert policy_errors(refused) == []
