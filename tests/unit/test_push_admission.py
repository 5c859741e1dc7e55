"""In a burst, pushes beyond what a worker runs at once are told to come back, quickly."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from backend.web.admission import PushAdmission

pytestmark = pytest.mark.asyncio


class Slow:
    """An app whose requests wait until the test lets them finish."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.first_in = asyncio.Event()
        self.entered = 0

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        self.entered += 1
        self.first_in.set()
        await self.release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


async def test_a_push_over_the_limit_gets_503_with_retry_after_and_is_never_run() -> None:
    inner = Slow()
    app = PushAdmission(inner, concurrency=1)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        first = asyncio.create_task(client.post("/sync/v1/push", json={}))
        await inner.first_in.wait()
        turned_away = await client.post("/sync/v1/push", json={})
        other_path = asyncio.create_task(client.post("/sync/v1/pull", json={}))
        await asyncio.sleep(0.3)
        entered_while_busy = inner.entered
        inner.release.set()
        assert (await first).status_code == 200
        assert (await other_path).status_code == 200
        after = await client.post("/sync/v1/push", json={})

    assert turned_away.status_code == 503
    assert turned_away.headers["content-type"] == "application/problem+json"
    assert turned_away.json()["code"] == "server.unavailable"
    assert 1 <= int(turned_away.headers["retry-after"]) <= 6
    assert entered_while_busy == 2, "the pull was held up, or the turned-away push ran"
    assert after.status_code == 200
