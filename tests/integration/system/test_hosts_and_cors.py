"""Only the configured host names are answered; only the configured browser origins may call."""

from __future__ import annotations

import dataclasses

import httpx
import pytest

from backend.app import create_app
from backend.database.session import Database
from backend.settings import Settings

pytestmark = pytest.mark.asyncio
DASHBOARD = "https://dashboard.masam.mn"


async def request(app, method: str, path: str, host: str, **headers: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=f"http://{host}") as client:
        return await client.request(method, path, headers=headers)


async def test_a_host_name_not_configured_is_refused(
    settings: Settings, database: Database
) -> None:
    app = create_app(settings, database=database)
    assert (await request(app, "GET", "/health", "testserver")).status_code == 200
    assert (await request(app, "GET", "/health", "127.0.0.1:8123")).status_code == 200
    refused = await request(app, "GET", "/health", "attacker.example")
    assert refused.status_code == 400
    assert refused.json()["code"] == "request.bad_host"


async def test_no_browser_origin_is_allowed_unless_configured(
    settings: Settings, database: Database
) -> None:
    app = create_app(settings, database=database)
    answer = await request(app, "GET", "/health", "testserver", origin=DASHBOARD)
    assert "access-control-allow-origin" not in answer.headers


async def test_a_configured_dashboard_may_call_and_others_may_not(
    settings: Settings, database: Database
) -> None:
    app = create_app(dataclasses.replace(settings, cors_origins=(DASHBOARD,)), database=database)
    preflight = {"access-control-request-method": "POST", "origin": DASHBOARD}
    allowed = await request(app, "OPTIONS", "/sync/v1/pull", "testserver", **preflight)
    other = await request(
        app,
        "OPTIONS",
        "/sync/v1/pull",
        "testserver",
        **(preflight | {"origin": "https://evil.example"}),
    )
    assert allowed.status_code in (200, 204)
    assert allowed.headers["access-control-allow-origin"] == DASHBOARD
    assert other.headers.get("access-control-allow-origin") != "https://evil.example"
