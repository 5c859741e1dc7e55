"""The reference client does what mobile_contract/README.md asks of a tablet app."""

from __future__ import annotations

import httpx
import pytest
from litestar import Litestar
from sqlalchemy import func, select, text

from backend.auth.models import Role
from backend.database.session import Database
from backend.submissions.models import Submission
from backend.tablet.client import Backoff, DeviceRevoked, SignInRequired, TabletClient
from tests.support.field import programme
from tests.support.identity import PASSWORD, bearer, sign_in
from tests.support.sync_data import meeting, submission

pytestmark = pytest.mark.asyncio


class Flaky(httpx.AsyncBaseTransport):
    """Passes requests to the app; on cue answers 503 instead, or loses the app's answer."""

    def __init__(self, app: Litestar) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.busy = 0  # next N requests: 503 with Retry-After, never reaching the app
        self.lose = 0  # next N requests: reach the app, but the answer never arrives

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.busy:
            self.busy -= 1
            return httpx.Response(503, headers={"Retry-After": "7"}, json={"code": "x"})
        response = await self.inner.handle_async_request(request)
        if self.lose:
            self.lose -= 1
            await response.aread()
            raise httpx.ReadError("connection reset by peer", request=request)
        return response


def tablet_on(app: Litestar) -> tuple[TabletClient, Flaky, list[float]]:
    flaky = Flaky(app)
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    http = httpx.AsyncClient(transport=flaky, base_url="http://testserver")
    return TabletClient(http, backoff=Backoff(sleep=sleep)), flaky, slept


async def test_a_lost_answer_is_resent_and_the_submission_is_stored_once(
    committed_app: Litestar, committed_database: Database
) -> None:
    field = await programme(committed_database)
    user = await field.user(Role.FACILITATOR)
    tablet, flaky, _ = tablet_on(committed_app)
    await tablet.login(user.username, PASSWORD)
    record_id = tablet.create("submission", submission(field))

    flaky.lose = 1
    report = await tablet.push()

    assert report.retries == 1
    assert [(r["id"], r["status"]) for r in report.results] == [(record_id, "duplicate")]
    assert tablet.outbox.pending == []
    async with committed_database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(Submission)) == 1


async def test_retry_after_is_honoured_when_the_server_is_busy(
    committed_app: Litestar, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet, flaky, slept = tablet_on(committed_app)
    await tablet.login((await field.user(Role.FACILITATOR)).username, PASSWORD)
    tablet.create("submission", submission(field))

    flaky.busy = 2
    report = await tablet.push()

    assert len(slept) == 2
    assert all(7 <= seconds < 8 for seconds in slept)
    assert [r["status"] for r in report.results] == ["applied"]


async def test_an_expired_access_token_is_refreshed_on_the_way(
    committed_app: Litestar, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet, _, _ = tablet_on(committed_app)
    await tablet.login((await field.user(Role.FACILITATOR)).username, PASSWORD)
    old_refresh = tablet.refresh_token
    tablet.access_token = "expired"
    tablet.create("interface_meeting", meeting(field))

    report = await tablet.sync()

    assert [r["status"] for r in report.results] == ["applied"]
    assert tablet.refresh_token != old_refresh
    assert tablet.store.records("interface_meeting")


async def test_a_reset_drops_server_copies_but_keeps_unsent_edits(
    committed_app: Litestar, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet, _, _ = tablet_on(committed_app)
    await tablet.login((await field.user(Role.FACILITATOR)).username, PASSWORD)
    await tablet.sync()
    held = set(tablet.store.server)
    async with committed_database.engine.begin() as conn:  # a restore: the feed is another one
        await conn.execute(text("UPDATE sync_epoch SET epoch = gen_random_uuid()"))
    unsent = tablet.create("submission", submission(field))

    await tablet.pull()

    assert tablet.resets == 1
    assert set(tablet.store.server) == held
    assert [m["id"] for m in tablet.outbox.pending] == [unsent]
    report = await tablet.push()
    assert [r["status"] for r in report.results] == ["applied"]


async def test_a_revoked_tablet_is_signed_out_for_good_and_keeps_its_queue(
    committed_app: Litestar, committed_client: httpx.AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet, _, _ = tablet_on(committed_app)
    await tablet.login((await field.user(Role.FACILITATOR)).username, PASSWORD)
    tablet.create("submission", submission(field))
    coordinator = await field.user(Role.COORDINATOR)
    revoked = await committed_client.post(
        f"/auth/v1/devices/{tablet.device_id}/revoke",
        headers=bearer(await sign_in(committed_client, coordinator)),
    )
    assert revoked.status_code == 204

    with pytest.raises(SignInRequired):
        await tablet.push()
    with pytest.raises(DeviceRevoked):
        await tablet.login(tablet.user["username"], PASSWORD)
    assert len(tablet.outbox.pending) == 1


async def test_selecting_a_raised_issue_says_which_way_is_better(
    committed_app: Litestar, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet, _, _ = tablet_on(committed_app)
    await tablet.login((await field.user(Role.FACILITATOR)).username, PASSWORD)
    issue = tablet.create(
        "cycle_indicator",
        {
            "cycle_id": str(field.cycle_id),
            "key": "classrooms_cold",
            "label": {"mn": "Анги танхим өвөл хүйтэн"},
            "kind": "scale",
            "raised_by": ["parents"],
        },
    )
    await tablet.sync()

    tablet.select_indicator(issue, better="lower")
    report = await tablet.sync()

    assert [r["status"] for r in report.results] == ["applied"]
    held = tablet.store.server[("cycle_indicator", issue)]
    assert (held.version, held.data["status"], held.data["better"]) == (2, "selected", "lower")
