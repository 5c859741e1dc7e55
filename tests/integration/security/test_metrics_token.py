"""/metrics tells when and how much tablets sync and how many conflicts open: tried by anyone
who can reach the port, and by a viewer with a legitimate sign-in. Only the operator's scraper,
with the configured token, reads it; without a token configured the route is off."""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx
import pytest
from httpx import AsyncClient

from backend.app import create_app
from backend.auth.models import Role
from backend.database.session import Database
from backend.settings import Settings, SettingsError
from tests.support.http import serve
from tests.support.identity import make_user, sign_in

TOKEN = "a-long-random-scraper-token"


def _problem(response: httpx.Response) -> tuple[int, str, dict[str, Any]]:
    body = response.json()
    body.pop("request_id", None)
    return response.status_code, response.headers["content-type"], body


@pytest.mark.asyncio
async def test_without_a_configured_token_metrics_answers_like_no_route(
    client: AsyncClient,
) -> None:
    metrics = await client.get("/metrics")
    with_some_token = await client.get("/metrics", headers={"Authorization": "Bearer anything"})
    nowhere = await client.get("/no-such-route")

    assert metrics.status_code == 404
    assert _problem(metrics) == _problem(nowhere)
    assert _problem(with_some_token) == _problem(nowhere)
    assert "scorecard_" not in metrics.text


@pytest.mark.asyncio
async def test_only_the_scrapers_token_reads_metrics(
    settings: Settings, database: Database, db: Any
) -> None:
    viewer = await make_user(db, Role.VIEWER, areas=["MN-046"])
    await db.commit()
    app = create_app(dataclasses.replace(settings, metrics_token=TOKEN), database=database)
    async with serve(app) as client:
        signed_in = await sign_in(client, viewer)
        attempts = {
            "anonymous": {},
            "viewer's access token": {"Authorization": f"Bearer {signed_in['access_token']}"},
            "wrong token": {"Authorization": f"Bearer {TOKEN}x"},
            "token's prefix": {"Authorization": f"Bearer {TOKEN[:-1]}"},
            "token as basic auth": {"Authorization": f"Basic {TOKEN}"},
        }
        for name, headers in attempts.items():
            refused = await client.get("/metrics", headers=headers)
            status, media_type, body = _problem(refused)
            assert (status, media_type, body["code"]) == (
                401,
                "application/problem+json",
                "auth.unauthenticated",
            ), name
            assert "scorecard_" not in refused.text, name
            assert refused.headers["www-authenticate"].startswith("Bearer"), name

        scraped = await client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})

    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    assert "scorecard_requests" in scraped.text


def test_the_token_is_read_from_the_environment_and_never_shown() -> None:
    settings = Settings.from_env({"SCORECARD_METRICS_TOKEN": TOKEN})

    assert settings.metrics_token == TOKEN
    assert TOKEN not in repr(settings)
    assert Settings.from_env({}).metrics_token is None
    with pytest.raises(SettingsError, match="SCORECARD_METRICS_TOKEN") as short:
        Settings.from_env({"SCORECARD_METRICS_TOKEN": "short"})
    assert "short" not in str(short.value).replace("SCORECARD_METRICS_TOKEN", "")
