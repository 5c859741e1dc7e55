"""Every route declares who may call it; the matrix of roles and endpoints holds."""

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from tests.support.identity import headers_for

pytestmark = pytest.mark.asyncio

ANYONE = set(Role)
ADMINS = {Role.ADMIN}
COORDINATORS = {Role.ADMIN, Role.COORDINATOR}
RUNNERS = {Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR}
# who decides on a round's action plan: the facility head (its provider account), a coordinator
DECIDERS = {Role.PROVIDER, Role.COORDINATOR, Role.ADMIN}
REVISERS = DECIDERS | {Role.FACILITATOR}
NOBODY_ID = uuid.UUID("00000000-0000-4000-8000-0000000000ff")
NOBODY_KEY = "NONE"
VERSION = f"/templates/v1/versions/{NOBODY_ID}"
CYCLE = f"/cycles/v1/{NOBODY_ID}"

# (method, path, body, roles allowed); a refused role gets 403, nobody signed in gets 401
MATRIX = [
    ("GET", "/auth/v1/me", None, ANYONE),
    ("GET", "/auth/v1/me/preferences", None, ANYONE),
    ("PATCH", "/auth/v1/me/preferences", {}, ANYONE),
    ("POST", "/auth/v1/logout", None, ANYONE),
    ("GET", "/auth/v1/devices", None, COORDINATORS),
    ("POST", f"/auth/v1/devices/{NOBODY_ID}/revoke", None, COORDINATORS),
    ("GET", "/admin/v1/users", None, ADMINS),
    ("GET", f"/admin/v1/users/{NOBODY_ID}", None, ADMINS),
    ("PATCH", f"/admin/v1/users/{NOBODY_ID}", {"display_name": "x"}, ADMINS),
    ("POST", f"/admin/v1/users/{NOBODY_ID}/password", {"password": "long enough"}, ADMINS),
    ("POST", "/admin/v1/users", {"username": "x"}, ADMINS),
    ("GET", "/areas/v1", None, ANYONE),
    ("GET", f"/areas/v1/{NOBODY_KEY}", None, ANYONE),
    ("GET", "/facilities/v1", None, ANYONE),
    ("GET", f"/facilities/v1/{NOBODY_ID}", None, ANYONE),
    ("POST", "/facilities/v1", {}, COORDINATORS),
    ("PATCH", f"/facilities/v1/{NOBODY_ID}", {}, COORDINATORS),
    ("GET", "/templates/v1", None, ANYONE),
    ("GET", VERSION, None, ANYONE),
    ("GET", f"{VERSION}/export", None, ANYONE),
    ("POST", "/templates/v1/import", {}, COORDINATORS),
    ("POST", f"{VERSION}/drafts", None, COORDINATORS),
    ("PUT", VERSION, {}, COORDINATORS),
    ("POST", f"{VERSION}/publish", None, COORDINATORS),
    ("POST", f"{VERSION}/retire", None, COORDINATORS),
    ("GET", "/templates/v1/medicines", None, ANYONE),
    ("PATCH", f"/templates/v1/medicines/{NOBODY_KEY}", {"reference_price_mnt": 1}, COORDINATORS),
    ("GET", "/cycles/v1", None, ANYONE),
    ("POST", "/cycles/v1", {}, COORDINATORS),
    ("POST", "/cycles/v1/campaigns", {}, COORDINATORS),
    ("GET", CYCLE, None, ANYONE),
    ("GET", f"{CYCLE}/phases", None, ANYONE),
    ("GET", f"{CYCLE}/indicators", None, ANYONE),
    ("GET", "/cycles/v1/raised-tags", None, ANYONE),
    ("POST", "/cycles/v1/raised-tags", {}, COORDINATORS),
    ("PATCH", f"/cycles/v1/raised-tags/{NOBODY_KEY}", {}, COORDINATORS),
    ("PATCH", f"{CYCLE}/indicators/{NOBODY_ID}", {"better": "lower"}, COORDINATORS),
    ("POST", f"{CYCLE}/advance", {"to": "closed"}, RUNNERS),
    ("POST", f"{CYCLE}/reopen", {"to": "preparation", "reason": "why not"}, COORDINATORS),
    ("POST", f"{CYCLE}/publish", None, COORDINATORS),
    ("POST", f"{CYCLE}/withdraw", {"reason": "entered twice"}, COORDINATORS),
    ("GET", f"{CYCLE}/publications", None, COORDINATORS),
    ("POST", f"{CYCLE}/review-reasons", None, COORDINATORS),
    ("GET", f"/reviews/v1/cycles/{NOBODY_ID}/pieces", None, COORDINATORS),
    ("POST", f"/reviews/v1/cycles/{NOBODY_ID}/decisions", {"decisions": []}, COORDINATORS),
    ("GET", f"/reviews/v1/submissions/{NOBODY_ID}/decisions", None, COORDINATORS),
    (
        "POST",
        f"/reviews/v1/submissions/{NOBODY_ID}/decisions",
        {"state": "approved", "version": 1},
        COORDINATORS,
    ),
    ("GET", f"/reports/v1/cycles/{NOBODY_ID}/scorecard", None, ANYONE),
    ("GET", f"/reports/v1/cycles/{NOBODY_ID}/scorecard.html", None, ANYONE),
    ("GET", f"/reports/v1/cycles/{NOBODY_ID}/scorecard.csv", None, ANYONE),
    ("GET", f"/reports/v1/cycles/{NOBODY_ID}/scorecard.zip", None, ANYONE),
    ("GET", f"/reports/v1/cycles/{NOBODY_ID}/scorecard.xlsx", None, ANYONE),
    ("GET", "/action-plans/v1/items", None, ANYONE),
    ("GET", "/reports/v1/rollup", None, ANYONE),
    ("GET", "/reports/v1/rollup.html", None, ANYONE),
    ("POST", f"/action-plans/v1/cycles/{NOBODY_ID}/decisions", {"decision": "approved"}, DECIDERS),
    ("GET", f"/action-plans/v1/cycles/{NOBODY_ID}/decisions", None, ANYONE),
    ("POST", f"/action-plans/v1/items/{NOBODY_ID}/revisions", {"reason": "x"}, REVISERS),
    ("GET", f"/action-plans/v1/cycles/{NOBODY_ID}/revisions", None, ANYONE),
    ("GET", f"/reports/v1/cycles/{NOBODY_ID}/outcomes", None, ANYONE),
    ("GET", "/reports/v1/outcomes", None, ANYONE),
    ("GET", "/reports/v1/index", None, ANYONE),
    ("GET", "/reports/v1/index.xlsx", None, ANYONE),
    ("GET", f"/reports/v1/facilities/{NOBODY_ID}/trend", None, ANYONE),
    ("GET", "/reports/v1/trend", None, ANYONE),
    ("POST", "/sync/v1/push", {}, ANYONE - {Role.VIEWER}),
    ("POST", "/sync/v1/pull", {}, ANYONE),
    ("GET", "/sync/v1/conflicts", None, ANYONE),
    ("POST", f"/sync/v1/conflicts/{NOBODY_ID}/resolve", {"choice": "server"}, RUNNERS),
    ("POST", "/sync/v1/integrity", {"entity": "submission", "ids": []}, ANYONE),
    ("GET", f"/sync/v1/history/{NOBODY_KEY}/{NOBODY_ID}", None, ANYONE),
    ("PUT", f"/sync/v1/attachments/{NOBODY_KEY}", None, ANYONE - {Role.VIEWER}),
    ("GET", f"/sync/v1/attachments/{NOBODY_KEY}/upload", None, ANYONE - {Role.VIEWER}),
    ("POST", "/sync/v1/attachments/check", {"hashes": []}, ANYONE),
    ("GET", "/sync/v1/attachments/missing", None, ANYONE - {Role.VIEWER}),
    ("GET", f"/sync/v1/attachments/{NOBODY_KEY}", None, ANYONE),
    ("GET", f"/sync/v1/attachments/{NOBODY_KEY}/thumbnail", None, ANYONE),
]


@pytest.mark.parametrize("role", list(Role))
async def test_role_matrix(client: AsyncClient, db: AsyncSession, role: Role) -> None:
    # a provider belongs to facilities only (none here: the matrix asks who may call a route)
    scope = {} if role is Role.PROVIDER else {"areas": ["MN-046"]}
    headers = await headers_for(client, db, role, **scope)
    for method, path, body, allowed in MATRIX:
        if path == "/auth/v1/logout":
            continue  # ends this sign-in; checked below on its own
        response = await client.request(method, path, json=body, headers=headers)
        if role in allowed:
            assert response.status_code not in (401, 403), (role, method, path, response.text)
        else:
            assert response.status_code == 403, (role, method, path, response.text)
            assert response.json()["code"] == "auth.forbidden"
    assert (await client.post("/auth/v1/logout", headers=headers)).status_code == 204


async def test_every_signed_in_route_refuses_anonymous_callers(client: AsyncClient) -> None:
    for method, path, body, _ in MATRIX:
        response = await client.request(method, path, json=body)
        assert response.status_code == 401, (method, path)
        assert response.json()["code"] == "auth.unauthenticated"


async def test_options_requests_answer_without_a_token(client: AsyncClient) -> None:
    response = await client.options("/auth/v1/me")
    assert response.status_code == 204
