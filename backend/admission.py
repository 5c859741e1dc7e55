"""Load shedding for pushes: in a burst, a tablet gets a quick answer or a quick "come back
later", never a place in a queue minutes long.

Each worker runs a few pushes at a time (`SCORECARD_PUSH_CONCURRENCY`). A push that cannot
start within a quarter of a second is answered 503 `server.unavailable` with a Retry-After of a
few seconds, spread at random so that a thousand tablets do not all come back at once. The body
has not been read: nothing was stored, and sending the same batch again is safe.
"""

from __future__ import annotations

import asyncio
import secrets

import msgspec
from litestar.types import ASGIApp, Receive, Scope, Send

from backend.errors import PROBLEM_JSON, Problem

GATED_PATHS = frozenset({"/sync/v1/push"})
WAIT_SECONDS = 0.25
RETRY_AFTER_SECONDS = (1, 6)  # drawn from this range, so returning tablets spread out


class PushAdmission:
    def __init__(self, app: ASGIApp, *, concurrency: int) -> None:
        self.app = app
        self.slots = asyncio.Semaphore(concurrency)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in GATED_PATHS:
            await self.app(scope, receive, send)
            return
        try:
            async with asyncio.timeout(WAIT_SECONDS):
                await self.slots.acquire()
        except TimeoutError:
            await _busy(scope, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.slots.release()


async def _busy(scope: Scope, send: Send) -> None:
    low, high = RETRY_AFTER_SECONDS
    retry_after = low + secrets.randbelow(high - low + 1)
    problem = Problem(
        type="urn:scorecard:problem:server.unavailable",
        title="Service temporarily unavailable",
        status=503,
        code="server.unavailable",
        detail=f"Many tablets are syncing; nothing was stored. Retry in {retry_after} seconds.",
        request_id=scope.get("state", {}).get("request_id"),
    )
    body = msgspec.json.encode(problem)
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"retry-after", str(retry_after).encode()),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})
