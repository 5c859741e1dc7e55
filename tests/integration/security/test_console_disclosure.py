"""The console attacked as an outsider would: a provider's and a viewer's browser session
follow every link the console gives them, then ask every console screen for the ids they know
or can guess (the small group's sheet, its photo, the round, another area's round). Whatever
screen is added next, a group too small to count never shows: not its words, not its photo,
not a figure computed with its scores."""

from __future__ import annotations

import re
import uuid
from html import unescape
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from httpx import AsyncClient
from litestar import Litestar

from backend.auth.models import Role
from backend.auth.policy import ACCESS
from backend.database.session import Database
from tests.integration.attachments.test_attachment_access import mark, upload
from tests.support.console import console_sign_in
from tests.support.field import Programme, Tablet, programme
from tests.support.photos import camera_photo, sha
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio

SMALL_WORDS = "only three of us dared say the caretaker drinks"
LARGE_WORDS = "the plan was never read out to parents"
HREF = re.compile(r'(?:href|src|action|hx-get)="([^"]+)"')
MOST_PAGES = 300


def _sheet(field: Programme, *, people: dict[str, int], score: int, words: str) -> dict[str, Any]:
    data = submission(field, score=score)
    data["group"] = {"type": "parents", "participants": people}
    data["answers"]["consulted_on_plan"] |= {"reason": words}
    return data


async def _published_round_with_a_small_group(
    client: AsyncClient, database: Database
) -> tuple[Programme, uuid.UUID, str]:
    field = await programme(database)
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    coordinator = await Tablet(client, await field.user(Role.COORDINATOR)).sign_in()
    small = uuid.uuid4()
    photo = camera_photo((20, 160, 90))
    small_sheet = _sheet(field, people={"female": 2, "male": 1}, score=1, words=SMALL_WORDS)
    small_sheet["answers"]["budget_published"] |= {"evidence": [sha(photo)]}
    await team.push(
        team.mutation(
            "submission",
            "create",
            uuid.uuid4(),
            _sheet(field, people={"female": 7, "male": 5}, score=4, words=LARGE_WORDS),
        ),
        team.mutation("submission", "create", small, small_sheet),
    )
    assert (await upload(team, photo)).status_code == 201
    # the coordinator passes every piece (the small group's too: the disclosure rule, not the
    # review, keeps a small group out), and publishes
    pieces = await client.get(
        f"/reviews/v1/cycles/{field.cycle_id}/pieces", headers=coordinator.headers
    )
    decisions = [
        {
            "record_id": p["record_id"],
            "piece": p["piece"],
            "content_hash": p["content_hash"],
            "decision": "pass",
            "note": "",
        }
        for p in pieces.json()["items"]
    ]
    passed = await client.post(
        f"/reviews/v1/cycles/{field.cycle_id}/decisions",
        json={"decisions": decisions},
        headers=coordinator.headers,
    )
    assert passed.status_code == 200, passed.text
    await field.cycle_phase("interface_meeting")
    await mark(coordinator, field, "publish")
    return field, small, sha(photo)


def _links(base: str, page: str) -> set[str]:
    found = set()
    for raw in HREF.findall(page):
        target = urljoin(base, unescape(raw))
        parts = urlsplit(target)
        if parts.netloc not in ("", "testserver") or not parts.path.startswith("/"):
            continue
        found.add(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


async def _crawl(client: AsyncClient) -> dict[str, httpx.Response]:
    """Every page reachable from the console by following links, as the browser would."""
    seen: dict[str, httpx.Response] = {}
    queue = ["/console/"]
    while queue and len(seen) < MOST_PAGES:
        path = queue.pop(0)
        if path in seen or path.startswith("/console/sign-out"):
            continue
        response = await client.get(path, headers={"Accept": "text/html"}, follow_redirects=True)
        seen[path] = response
        kind = response.headers.get("content-type", "")
        if response.status_code == 200 and "text/html" in kind:
            queue += sorted(_links(f"http://testserver{path}", response.text) - set(seen))
    return seen


def _console_screens_with_ids(app: Litestar) -> list[str]:
    """Every console GET screen that takes an id."""
    paths = []
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            console = "GET" in handler.http_methods and route.path.startswith("/console")
            if console and "{" in route.path and isinstance(handler.opt.get(ACCESS), frozenset):
                paths.append(route.path)
    return sorted(set(paths))


def _assert_nothing_of_the_small_group(path: str, text: str, photo: str) -> None:
    assert SMALL_WORDS not in text, path
    assert photo not in text, path
    # the community's mean of the plan question with the small group counted: (4 + 1) / 2
    for figure in ("2.50", "2,50", "2.5 ", "2,5 "):
        assert figure not in text, (path, figure)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PROVIDER])
async def test_no_console_screen_shows_an_outsider_anything_of_a_small_group(
    committed_app: Litestar,
    committed_client: AsyncClient,
    committed_database: Database,
    role: Role,
) -> None:
    field, small, photo = await _published_round_with_a_small_group(
        committed_client, committed_database
    )
    outsider = await field.user(role)
    signed_in = await console_sign_in(committed_client, outsider)
    assert signed_in.status_code == 303
    pages = await _crawl(committed_client)
    assert len(pages) > 10, f"the crawl found little to read: {sorted(pages)}"
    read = [path for path, answer in pages.items() if answer.status_code == 200]
    for path in read:
        _assert_nothing_of_the_small_group(path, pages[path].text, photo)
    # the large group's words reached the outsider somewhere: the crawl did read the round
    assert any(LARGE_WORDS in pages[path].text for path in read), read

    # every console screen that takes an id, asked for what the outsider knows or guesses
    known = [small, field.cycle_id, field.facility_id, uuid.uuid4()]
    for pattern in _console_screens_with_ids(committed_app):
        for value in known:
            path = re.sub(r"\{\w+:uuid\}", str(value), pattern)
            path = re.sub(r"\{\w+:str\}", photo, path)
            answer = await committed_client.get(path, headers={"Accept": "text/html"})
            assert answer.status_code in (200, 303, 403, 404), (path, answer.status_code)
            if answer.status_code == 200:
                _assert_nothing_of_the_small_group(path, answer.text, photo)


async def test_the_crawl_reaches_the_pages_an_outsider_reads(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    """The attack above is only as good as its crawl: a viewer's crawl reaches the results,
    the round's scorecard page and downloads, the area page and the action plans."""
    field, _, _ = await _published_round_with_a_small_group(committed_client, committed_database)
    await console_sign_in(committed_client, await field.user(Role.VIEWER))
    pages = await _crawl(committed_client)
    read = {path.split("?")[0] for path, answer in pages.items() if answer.status_code == 200}
    assert "/console/results" in read
    assert "/console/plans" in read
    assert f"/reports/v1/cycles/{field.cycle_id}/scorecard.html" in read
    assert f"/reports/v1/cycles/{field.cycle_id}/scorecard.csv" in read
    assert "/reports/v1/rollup.html" in read
