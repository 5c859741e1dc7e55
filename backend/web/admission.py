"""What is turned away before the app: requests for host names the server does not serve, and
pushes beyond what a worker can take at once.

Load shedding for pushes: in a burst, a tablet gets a quick answer or a quick "come back
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
from litestar.enums import ScopeType
from litestar.types import (
    ASGIApp,
    HTTPResponseBodyEvent,
    HTTPResponseStartEvent,
    Receive,
    Scope,
    Send,
)

from backend.errors import PROBLEM_JSON, UNAVAILABLE, Problem, declare

GATED_PATHS = frozenset({"/sync/v1/push"})
BAD_HOST = declare("request.bad_host", 400)
WAIT_SECONDS = 0.25
RETRY_AFTER_SECONDS = (1, 6)  # drawn from this range, so returning tablets spread out


class AllowedHosts:
    """Answer only for the configured host names (the port does not matter); others get 400,
    so a rebound DNS name or a forged Host header cannot reach the API."""

    def __init__(self, app: ASGIApp, hosts: tuple[str, ...]) -> None:
        self.app = app
        self.any = "*" in hosts
        self.hosts = frozenset(host.lower() for host in hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.any or scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = dict(scope["headers"]).get(b"host", b"").decode("latin-1").lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name in self.hosts:
            await self.app(scope, receive, send)
            return
        problem = Problem(
            type="urn:scorecard:problem:request.bad_host",
            title="Unknown host",
            status=400,
            code=BAD_HOST,
            detail="This server does not answer for that host name.",
            field="Host",
            request_id=scope.get("state", {}).get("request_id"),
        )
        await _send_problem(send, problem, {})


class PushAdmission:
    def __init__(self, app: ASGIApp, *, concurrency: int) -> None:
        self.app = app
        self.slots = asyncio.Semaphore(concurrency)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["path"] not in GATED_PATHS:
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
        code=UNAVAILABLE,
        detail=f"Many tablets are syncing; nothing was stored. Retry in {retry_after} seconds.",
        request_id=scope.get("state", {}).get("request_id"),
    )
    await _send_problem(send, problem, {"retry-after": str(retry_after)})


async def _send_problem(send: Send, problem: Problem, extra: dict[str, str]) -> None:
    body = msgspec.json.encode(problem)
    headers: list[tuple[bytes, bytes]] = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        *((name.encode(), value.encode()) for name, value in extra.items()),
    ]
    start: HTTPResponseStartEvent = {
        "type": "http.response.start",
        "status": problem.status,
        "headers": headers,
    }
    whole: HTTPResponseBodyEvent = {"type": "http.response.body", "body": body, "more_body": False}
    await send(start)
    await send(whole)
