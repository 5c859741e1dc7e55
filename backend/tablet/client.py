"""The reference tablet client: what the tablet app does, in Python (mobile_contract/README.md).

It signs in with its device, keeps mutations in an offline queue, pushes them oldest first in
batches (retrying with backoff after network failures and honouring Retry-After on 429 and
503), refreshes its access token when it expires, and pulls changes into its local copy with
the cursor, starting over when the server answers `reset`. The simulator and the tests use it.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from backend.tablet.store import LocalStore, Outbox

PROTOCOL = 1
RETRIED_STATUSES = frozenset({429, 502, 503, 504})


class ServerRefused(Exception):
    """A problem+json answer that retrying will not fix."""

    def __init__(self, response: httpx.Response) -> None:
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        self.status = response.status_code
        self.code: str = problem.get("code", "")
        self.detail: str = problem.get("detail") or problem.get("title", "")
        self.field: str | None = problem.get("field")
        self.response = response
        super().__init__(f"{self.status} {self.code}: {self.detail}")


class SignInRequired(ServerRefused):
    """The session is over (the refresh token was spent, revoked or expired): sign in again."""


class DeviceRevoked(ServerRefused):
    """The device was revoked (lost, stolen): it can no longer sign in or sync."""


class NumberingWentBack(ServerRefused):
    """The server settled this device's mutation numbers with other content: the tablet was
    restored from a backup of itself. The client has taken a new device id and numbered its
    unsent queue anew; sign in again (registering the new id), then push."""


@dataclass
class Backoff:
    """Exponential backoff with full jitter; Retry-After wins when the server gives one."""

    attempts: int = 6
    first: float = 0.2
    ceiling: float = 30.0
    rng: random.Random = field(default_factory=random.Random)
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep

    def delay(self, attempt: int, retry_after: str | None) -> float:
        if retry_after is not None and retry_after.isdigit():
            # at least what the server asked, and a little more so that tablets spread out
            return min(float(retry_after), self.ceiling) + self.rng.uniform(0, 1)
        return self.rng.uniform(0, min(self.ceiling, self.first * 2**attempt))


@dataclass
class PushReport:
    results: list[dict[str, Any]] = field(default_factory=list)
    retries: int = 0

    def with_status(self, *statuses: str) -> list[dict[str, Any]]:
        return [result for result in self.results if result["status"] in statuses]


class TabletClient:
    """One tablet: one device id, one signed-in user, its queue and its copy of server data."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        *,
        device_id: uuid.UUID | None = None,
        device_name: str = "Tablet",
        app_version: str = "reference-1",
        backoff: Backoff | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.http = http
        self.device_id = device_id or uuid.uuid4()
        self.device_name = device_name
        self.app_version = app_version
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.outbox = Outbox()
        self.store = LocalStore()
        self.user: dict[str, Any] = {}
        self.access_token = ""
        self.refresh_token = ""
        self.resets = 0

    # signing in ------------------------------------------------------------------------------

    async def login(self, username: str, password: str) -> dict[str, Any]:
        device = {
            "id": str(self.device_id),
            "name": self.device_name,
            "platform": "android",
            "app_version": self.app_version,
        }
        body = {"username": username, "password": password, "device": device}
        session = await self._send("POST", "/auth/v1/login", body, signed=False)
        self._signed_in(session)
        return self.user

    async def refresh(self) -> None:
        try:
            session = await self._send(
                "POST", "/auth/v1/refresh", {"refresh_token": self.refresh_token}, signed=False
            )
        except ServerRefused as refused:
            if refused.status == 401:
                self.refresh_token = ""
                raise SignInRequired(refused.response) from refused
            raise
        self._signed_in(session)

    def _signed_in(self, session: dict[str, Any]) -> None:
        self.access_token = session["access_token"]
        self.refresh_token = session["refresh_token"]
        self.user = session["user"]

    # offline work ----------------------------------------------------------------------------

    def create(self, entity: str, data: dict[str, Any], record_id: uuid.UUID | None = None) -> str:
        """Make a record on the tablet; it is sent at the next push."""
        made = str(record_id or uuid.uuid4())
        self.outbox.add(entity, "create", made, data, None, None, self.clock())
        self.store.edit(entity, made, data)
        return made

    def update(self, entity: str, record_id: str, changes: dict[str, Any]) -> None:
        """Change fields of a record as the tablet shows it; the base is what it last pulled."""
        held = self.store.server.get((entity, record_id))
        shown = self.store.view(entity, record_id) or {}
        base = {name: shown.get(name) for name in changes}
        version = held.version if held else 1
        self.outbox.add(entity, "update", record_id, changes, version, base, self.clock())
        self.store.edit(entity, record_id, changes)

    def select_indicator(self, record_id: str, *, better: str) -> None:
        """A facilitator selects a raised indicator for scoring and says which way is better
        (`higher`, `lower`, or `none` for a count): groups word their issues as problems, so
        the server never guesses it."""
        self.update("cycle_indicator", record_id, {"status": "selected", "better": better})

    def delete(self, entity: str, record_id: str) -> None:
        held = self.store.server.get((entity, record_id))
        version = held.version if held else 1
        self.outbox.add(entity, "delete", record_id, {}, version, None, self.clock())
        self.store.edit(entity, record_id, None)

    # sync -------------------------------------------------------------------------------------

    async def sync(self, *, batch_size: int = 50, page_size: int | None = None) -> PushReport:
        report = await self.push(batch_size=batch_size)
        await self.pull(page_size=page_size)
        return report

    async def push(self, *, batch_size: int = 50, report: PushReport | None = None) -> PushReport:
        """Send the queue oldest first; what the server settled leaves the queue.

        Results gather in `report` batch by batch, so a caller holding it keeps the answers to
        the batches that went through when a later one fails."""
        report = report if report is not None else PushReport()
        while self.outbox.pending:
            batch = self.outbox.pending[:batch_size]
            body = {"protocol": PROTOCOL, "device_id": str(self.device_id), "mutations": batch}
            try:
                answer = await self._send("POST", "/sync/v1/push", body, report=report)
            except ServerRefused as refused:
                if refused.code != "sync.mutation_mismatch":
                    raise
                self.take_new_device_id()
                raise NumberingWentBack(refused.response) from refused
            report.results += answer["results"]
            self.outbox.acknowledged(batch, answer["results"])
            self.outbox.settled(answer["last_mutation_id"])
        return report

    def take_new_device_id(self) -> None:
        """After a restore from a backup of itself: a device id of its own again, the unsent
        queue numbered from 1 under it, and the copy of server data fetched anew (a cursor
        belongs to a device). Nothing unsent is dropped."""
        self.device_id = uuid.uuid4()
        self.outbox.renumber()
        self.store.reset()
        self.access_token = self.refresh_token = ""

    async def pull(self, *, page_size: int | None = None) -> int:
        """Fetch every change after the cursor; returns how many were applied."""
        applied = 0
        # after a reset, every record the server still has is mentioned again (kept, deleted
        # or out of scope): what this tablet wrote and the server no longer mentions was lost
        # to a restore, and is sent again
        mentioned: set[tuple[str, str]] | None = None
        while True:
            body: dict[str, Any] = {
                "protocol": PROTOCOL,
                "device_id": str(self.device_id),
                "cursor": self.store.cursor,
            }
            if page_size is not None:
                body["limit"] = page_size
            page = await self._send("POST", "/sync/v1/pull", body)
            if page["reset"]:
                # server data is dropped and fetched again; the queue of unsent edits stays
                self.resets += 1
                self.store.reset()
                mentioned = set()
                continue
            self.store.apply(page["changes"])
            self.store.cursor = page["cursor"]
            if mentioned is not None:
                mentioned |= {(change["entity"], change["id"]) for change in page["changes"]}
            # the pull's last_mutation_id settles nothing in the queue: only a push's answer
            # does (a tablet restored from a backup of itself holds numbers the server
            # settled with other content, and would drop unsent work)
            applied += len(page["changes"])
            if not page["has_more"]:
                if mentioned is not None:
                    self._send_again(mentioned)
                self.store.settle_local(self.outbox.pending)
                return applied

    def _send_again(self, mentioned: set[tuple[str, str]]) -> None:
        """Queue again what the journal holds and the server lost: a record this tablet made
        that the server no longer mentions (its create, then its edits), and edits of a record
        the server holds at a version older than the one they made."""
        records: dict[tuple[str, str], list[tuple[dict[str, Any], int | None]]] = {}
        for mutation, version in self.outbox.journal:
            records.setdefault((mutation["entity"], mutation["id"]), []).append((mutation, version))
        again: set[tuple[str, str]] = set()
        now = self.clock()
        for (entity, record_id), entries in records.items():
            ops = [mutation["op"] for mutation, _ in entries]
            held = self.store.server.get((entity, record_id))
            if (entity, record_id) not in mentioned and "create" in ops and "delete" not in ops:
                for mutation, _ in entries:
                    base_version = None if mutation["op"] == "create" else 1
                    self.outbox.add(
                        entity,
                        mutation["op"],
                        record_id,
                        mutation["data"],
                        base_version,
                        mutation["base"],
                        now,
                    )
                again.add((entity, record_id))
            elif held is not None and ops[-1] == "delete":
                # withdrawn here after the backup: withdrawn again
                self.outbox.add(entity, "delete", record_id, {}, held.version, None, now)
                again.add((entity, record_id))
            elif held is not None:
                for mutation, version in entries:
                    if (
                        mutation["op"] == "update"
                        and version is not None
                        and version > held.version
                    ):
                        self.outbox.add(
                            entity,
                            "update",
                            record_id,
                            mutation["data"],
                            held.version,
                            mutation["base"],
                            now,
                        )
                        again.add((entity, record_id))
        self.outbox.journal = [
            entry
            for entry in self.outbox.journal
            if (entry[0]["entity"], entry[0]["id"]) not in again
        ]

    async def conflicts(self, status: str | None = "open") -> list[dict[str, Any]]:
        """Conflicts visible to the user (all of them when status is None), page by page."""
        found: list[dict[str, Any]] = []
        query = f"status={status}&" if status else ""
        while True:
            page = await self.get(f"/sync/v1/conflicts?{query}limit=500&offset={len(found)}")
            found += page
            if len(page) < 500:
                return found

    async def get(self, path: str) -> Any:
        return await self._send("GET", path)

    async def resolve(self, conflict_id: str, choice: str, value: Any = None) -> dict[str, Any]:
        body = {"choice": choice, "value": value}
        resolved: dict[str, Any] = await self._send(
            "POST", f"/sync/v1/conflicts/{conflict_id}/resolve", body
        )
        return resolved

    # transport --------------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        signed: bool = True,
        report: PushReport | None = None,
    ) -> Any:
        refreshed = False
        attempt = 0
        while True:
            headers = {"Authorization": f"Bearer {self.access_token}"} if signed else {}
            try:
                response = await self.http.request(method, path, json=body, headers=headers)
            except httpx.TransportError:
                # the request or its answer was lost: sending it again is safe, the server
                # recognises mutation ids it has seen
                response = None
            if response is not None and response.status_code < 300:
                return response.json() if response.content else None
            if response is not None and response.status_code not in RETRIED_STATUSES:
                problem = ServerRefused(response)
                if problem.code == "auth.device_revoked":
                    raise DeviceRevoked(response)
                if problem.status == 401 and signed and not refreshed and self.refresh_token:
                    refreshed = True
                    await self.refresh()
                    continue
                raise problem
            if attempt + 1 >= self.backoff.attempts:
                if response is None:
                    raise ConnectionError(f"{method} {path}: no answer after {attempt + 1} tries")
                raise ServerRefused(response)
            retry_after = response.headers.get("Retry-After") if response is not None else None
            await self.backoff.sleep(self.backoff.delay(attempt, retry_after))
            attempt += 1
            if report is not None:
                report.retries += 1
