"""Every console screen asks the same access declarations as the API: each role, signed in
with a browser, reaches the screens its role may use and is refused the others; a browser
that is not signed in is led to the sign-in from every one of them."""

from __future__ import annotations

import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from tests.support.console import console_sign_in, form_token
from tests.support.identity import make_user

pytestmark = pytest.mark.asyncio(loop_scope="session")

ANYONE = frozenset(Role)
INSIDE = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.MONITOR})
COORDINATORS = frozenset({Role.ADMIN, Role.COORDINATOR})
RUNNERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR})
# who decides on a round's plan, and who revises an agreed item (backend/auth/writers.py)
DECIDERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.PROVIDER})
REVISERS = DECIDERS | {Role.FACILITATOR}
NOBODY_ID = uuid.UUID("00000000-0000-4000-8000-0000000000ff")
HTML = {"Accept": "text/html"}
ADMINS = frozenset({Role.ADMIN})
NOBODY_KEY = "NONE"
FACILITY = f"/console/setup/facilities/{NOBODY_ID}"
VERSION = f"/console/setup/templates/versions/{NOBODY_ID}"
ROUND = f"/console/setup/rounds/{NOBODY_ID}"
TAG = f"/console/setup/tags/{NOBODY_KEY}"
USER = f"/console/setup/users/{NOBODY_ID}"
TABLET = f"/console/setup/tablets/{NOBODY_ID}"

# (method, path, form fields, roles allowed); the route table test holds it to the routes
CONSOLE_MATRIX: list[tuple[str, str, dict[str, str] | None, frozenset[Role]]] = [
    ("GET", "/console", None, ANYONE),
    ("POST", "/console/language", {"language": "mn"}, ANYONE),
    ("POST", "/console/sign-out", {}, ANYONE),
    # set-up
    ("GET", "/console/setup", None, COORDINATORS),
    ("GET", "/console/setup/areas", None, COORDINATORS),
    ("GET", "/console/setup/facilities", None, COORDINATORS),
    ("GET", "/console/setup/facilities/new", None, COORDINATORS),
    ("POST", "/console/setup/facilities", {}, COORDINATORS),
    ("GET", FACILITY, None, COORDINATORS),
    ("POST", FACILITY, {}, COORDINATORS),
    ("GET", "/console/setup/facilities/import", None, COORDINATORS),
    ("POST", "/console/setup/facilities/import", {}, COORDINATORS),
    ("GET", "/console/setup/templates", None, COORDINATORS),
    ("GET", VERSION, None, COORDINATORS),
    ("POST", f"{VERSION}/drafts", {}, COORDINATORS),
    ("POST", f"{VERSION}/publish", {}, COORDINATORS),
    ("POST", f"{VERSION}/retire", {}, COORDINATORS),
    ("GET", f"{VERSION}/document", None, COORDINATORS),
    ("POST", f"{VERSION}/document", {}, COORDINATORS),
    ("GET", "/console/setup/rounds", None, COORDINATORS),
    ("GET", "/console/setup/rounds/new", None, COORDINATORS),
    ("POST", "/console/setup/rounds", {}, COORDINATORS),
    ("POST", "/console/setup/campaigns", {}, COORDINATORS),
    ("GET", ROUND, None, COORDINATORS),
    ("POST", f"{ROUND}/advance", {"to": "input_tracking"}, COORDINATORS),
    ("POST", f"{ROUND}/reopen", {"to": "preparation", "reason": "why"}, COORDINATORS),
    ("GET", "/console/setup/tags", None, COORDINATORS),
    ("POST", "/console/setup/tags", {}, COORDINATORS),
    ("POST", TAG, {"label_mn": "x", "label_en": "x"}, COORDINATORS),
    ("POST", f"{TAG}/retire", {}, COORDINATORS),
    ("POST", f"{TAG}/restore", {}, COORDINATORS),
    ("GET", "/console/setup/users", None, COORDINATORS),
    ("POST", "/console/setup/users", {}, ADMINS),
    ("GET", USER, None, COORDINATORS),
    ("POST", USER, {}, ADMINS),
    ("POST", f"{USER}/active", {"active": "1"}, ADMINS),
    ("POST", f"{USER}/password", {"password": "long enough"}, ADMINS),
    ("GET", "/console/setup/tablets", None, COORDINATORS),
    ("GET", f"{TABLET}/revoke", None, COORDINATORS),
    ("POST", f"{TABLET}/revoke", {}, COORDINATORS),
    ("GET", "/console/review", None, COORDINATORS),
    ("GET", f"/console/review/rounds/{NOBODY_ID}", None, COORDINATORS),
    ("GET", f"/console/review/submissions/{NOBODY_ID}", None, COORDINATORS),
    (
        "POST",
        f"/console/review/submissions/{NOBODY_ID}",
        {"state": "approved", "version": "1", "note": ""},
        COORDINATORS,
    ),
    (
        "POST",
        f"/console/review/rounds/{NOBODY_ID}/pieces",
        {
            "record_id": str(NOBODY_ID),
            "piece": "inclusion:reason",
            "content_hash": "0" * 64,
            "decision": "pass",
        },
        COORDINATORS,
    ),
    (
        "POST",
        f"/console/review/rounds/{NOBODY_ID}/indicators/{NOBODY_ID}",
        {"label_en": "Cold classrooms", "better": "lower"},
        COORDINATORS,
    ),
    ("POST", f"/console/review/rounds/{NOBODY_ID}/publish", {}, COORDINATORS),
    ("POST", f"/console/review/rounds/{NOBODY_ID}/withdraw", {"reason": "x"}, COORDINATORS),
    ("GET", "/console/conflicts", None, RUNNERS),
    ("POST", f"/console/conflicts/{NOBODY_ID}/settle", {"choice": "server"}, RUNNERS),
    ("GET", "/console/paper", None, RUNNERS),
    ("GET", f"/console/paper/{NOBODY_ID}", None, RUNNERS),
    ("POST", f"/console/paper/{NOBODY_ID}", {"group_type": "parents"}, RUNNERS),
    ("GET", "/console/results", None, ANYONE),
    ("GET", "/console/plans", None, ANYONE),
    ("GET", f"/console/plans/items/{NOBODY_ID}", None, ANYONE),
    ("POST", f"/console/plans/items/{NOBODY_ID}/revision", {"reason": "x"}, REVISERS),
    ("GET", f"/console/plans/rounds/{NOBODY_ID}", None, ANYONE),
    ("POST", f"/console/plans/rounds/{NOBODY_ID}/decision", {"decision": "approved"}, DECIDERS),
]


@pytest.mark.parametrize("role", list(Role))
async def test_console_matrix(client: httpx.AsyncClient, db: AsyncSession, role: Role) -> None:
    scope = {} if role is Role.PROVIDER else {"areas": ["MN-046"]}
    user = await make_user(db, role, **scope)
    await console_sign_in(client, user)
    token = await form_token(client, "/console/sign-in")
    for method, path, fields, allowed in CONSOLE_MATRIX:
        if path == "/console/sign-out":
            continue  # ends this session; checked below on its own
        if method == "GET":
            response = await client.get(path, headers=HTML)
        else:
            response = await client.post(path, data={**(fields or {}), "_csrf_token": token})
        if role in allowed:
            assert response.status_code not in (401, 403), (role, method, path)
            assert "/console/sign-in" not in response.headers.get("location", ""), (role, path)
        else:
            assert response.status_code == 403, (role, method, path, response.status_code)
    out = await client.post("/console/sign-out", data={"_csrf_token": token})
    assert out.status_code == 303


async def test_every_console_screen_leads_a_signed_out_browser_to_the_sign_in(
    client: httpx.AsyncClient,
) -> None:
    token = await form_token(client, "/console/sign-in")
    for method, path, fields, _ in CONSOLE_MATRIX:
        if method == "GET":
            response = await client.get(path, headers=HTML)
        else:
            response = await client.post(path, data={**(fields or {}), "_csrf_token": token})
        assert response.status_code == 303, (method, path)
        assert response.headers["location"].startswith("/console/sign-in"), (method, path)
