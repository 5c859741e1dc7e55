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

# (method, path, form fields, roles allowed); the route table test holds it to the routes
CONSOLE_MATRIX: list[tuple[str, str, dict[str, str] | None, frozenset[Role]]] = [
    ("GET", "/console", None, ANYONE),
    ("POST", "/console/language", {"language": "mn"}, ANYONE),
    ("POST", "/console/sign-out", {}, ANYONE),
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
