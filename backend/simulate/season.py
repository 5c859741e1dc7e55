"""A field season, day by day: tablets work offline, sync when they find a connection, one is
lost and revoked half-way and replaced, a school is moved to another aimag with its
facilitators; at the end everything is checked (checks.py)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import httpx

from backend.seed import DEMO_PASSWORD
from backend.simulate import checks
from backend.simulate.cast import (
    AREA_OF,
    MOVED_TO,
    SCHOOL_TES,
    Device,
    Person,
    make_people,
    new_device,
)
from backend.simulate.fieldwork import Ledger, day_of_work
from backend.tablet.client import (
    DeviceRevoked,
    PushReport,
    ServerRefused,
    SignInRequired,
    TabletClient,
)

LOST_ANSWERS = 0.05  # the share of push answers that never reach the tablet
# a tablet offline when community scoring ended raises or consolidates too late: refused, as due
FROZEN = "cycle_indicator.frozen"


@dataclass
class Summary:
    devices: int
    days: int
    seed: int
    syncs: int = 0
    mutations: int = 0
    answers_lost: int = 0
    offline_days: int = 0
    resets: int = 0
    clock_flagged: int = 0
    lost_tablet: str = ""
    lost_unsent: int = 0
    submissions_acknowledged: int = 0
    submissions_present: int = 0
    submissions_withdrawn: int = 0
    conflicts_due: int = 0
    conflicts_recorded: int = 0
    rounds_frozen: int = 0
    issues_raised: int = 0
    refused_after_freeze: int = 0
    progress_reports: int = 0
    moved: str = ""
    actions: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


class Season:
    def __init__(self, base_url: str, devices: int, days: int, seed: int) -> None:
        self.base_url = base_url
        self.days = days
        self.rng = random.Random(seed)
        self.summary = Summary(devices=devices, days=days, seed=seed)
        self.acknowledged = checks.Acknowledged()
        self.ledger = Ledger()
        self.fleet: list[Device] = []
        self.open_clients: list[httpx.AsyncClient] = []

    def now(self) -> datetime:
        return datetime.now(UTC)

    async def client(self, name: str) -> TabletClient:
        http = httpx.AsyncClient(base_url=self.base_url, timeout=60)
        self.open_clients.append(http)
        return TabletClient(http, device_name=name)

    async def run(self, tick: Callable[[], None]) -> Summary:
        started = time.monotonic()
        try:
            await self._season(tick)
        finally:
            for device in self.fleet:
                await device.tablet.http.aclose()
            for http in self.open_clients:
                await http.aclose()
        self.summary.seconds = time.monotonic() - started
        return self.summary

    async def _season(self, tick: Callable[[], None]) -> None:
        office = await self.client("Coordinator's office")
        await office.login("demo_admin", DEMO_PASSWORD)
        await office.pull()
        before = set(office.store.records("submission"))
        people = await make_people(
            office.http,
            {"Authorization": f"Bearer {office.access_token}"},
            self.summary.devices,
            self.rng,
        )
        for number, person in enumerate(people):
            device = await self._hand_out(number, person)
            self.fleet.append(device)

        first_day = date.today() - timedelta(days=self.days)
        for number in range(self.days):
            day = first_day + timedelta(days=number)
            for device in self.rng.sample(self.fleet, len(self.fleet)):
                day_of_work(device, day, number, self.days, self.ledger)
                if device.rng.random() < device.online:
                    await self._sync(device)
                else:
                    self.summary.offline_days += 1
                tick()
            if number == self.days // 2:
                await self._lose_a_tablet(office)
            if number == 2 * self.days // 3:
                await self._end_community_scoring(office)
            if number == 3 * self.days // 4:
                await self._move_a_school(office)

        for _ in range(2):  # the season ends: every tablet comes online, in turn, twice
            for device in self.fleet:
                await self._sync(device)
        await self._check(office, before)

    async def _hand_out(self, number: int, person: Person) -> Device:
        device = new_device(number, person, self.base_url, self.rng, LOST_ANSWERS, self.now)
        await device.tablet.login(person.username, person.password)
        await self._sync(device)
        return device

    async def _sync(self, device: Device) -> None:
        pending = list(device.tablet.outbox.pending)
        report = PushReport()
        try:
            await device.tablet.push(report=report)
            await device.tablet.pull()
        except (ConnectionError, ServerRefused) as failure:
            if isinstance(failure, SignInRequired | DeviceRevoked):
                raise
            self.summary.problems.append(f"tablet {device.number} could not sync: {failure}")
        finally:
            self.summary.syncs += 1
            self.summary.mutations += len(report.results)
            device_id = str(device.tablet.device_id)
            self.acknowledged.record(device_id, pending, report.results)

    async def _end_community_scoring(self, office: TabletClient) -> None:
        """The coordinator moves every round in community scoring on to self-assessment: the
        groups' issues are settled, and tablets still offline learn it from refusals."""
        await office.pull()
        for cycle_id, cycle in office.store.records("cycle").items():
            if cycle["phase"] != "community_scoring":
                continue
            answer = await office.http.post(
                f"/cycles/v1/{cycle_id}/advance",
                json={"to": "self_assessment"},
                headers={"Authorization": f"Bearer {office.access_token}"},
            )
            if answer.status_code != 200:
                self.summary.problems.append(f"round {cycle_id} did not advance: {answer.text}")
            self.summary.rounds_frozen += 1

    async def _move_a_school(self, office: TabletClient) -> None:
        """A school entered under the wrong aimag moves, its facilitators' area with it: its
        records leave the old aimag's tablets and reach the new one's."""
        headers = {"Authorization": f"Bearer {office.access_token}"}
        moved = await office.http.patch(
            f"/facilities/v1/{SCHOOL_TES}", json={"area_code": MOVED_TO}, headers=headers
        )
        if moved.status_code != 200:
            self.summary.problems.append(f"the school did not move: {moved.text}")
            return
        for device in self.fleet:
            person = device.person
            if person.facility_id == SCHOOL_TES and person.role != "provider":
                answer = await office.http.patch(
                    f"/admin/v1/users/{person.user_id}",
                    json={"area_codes": [MOVED_TO]},
                    headers=headers,
                )
                if answer.status_code != 200:
                    self.summary.problems.append(f"{person.username} kept the old area")
        self.summary.moved = f"school moved from {AREA_OF[SCHOOL_TES]} to {MOVED_TO}"

    async def _lose_a_tablet(self, office: TabletClient) -> None:
        """A facilitator's tablet goes missing with unsent work; the coordinator revokes it."""
        candidates = [d for d in self.fleet if d.person.role == "facilitator"]
        if not candidates:
            return
        lost = max(candidates, key=lambda d: len(d.tablet.outbox.pending))
        self.summary.lost_tablet = f"tablet {lost.number} ({lost.person.username})"
        self.summary.lost_unsent = len(lost.tablet.outbox.pending)
        await office.http.post(
            f"/auth/v1/devices/{lost.tablet.device_id}/revoke",
            headers={"Authorization": f"Bearer {office.access_token}"},
        )
        try:
            await lost.tablet.push()
            self.summary.problems.append("a revoked tablet could still push")
        except (SignInRequired, DeviceRevoked):
            pass
        await lost.tablet.http.aclose()
        replacement = await self._hand_out(lost.number, lost.person)
        self.fleet[self.fleet.index(lost)] = replacement

    async def _check(self, office: TabletClient, before: set[str]) -> None:
        summary = self.summary
        for device in self.fleet:
            summary.answers_lost += device.link.lost
            summary.resets += device.tablet.resets
            fresh = await self.client("Check")
            await fresh.login(device.person.username, device.person.password)
            await fresh.pull()
            summary.problems += [
                f"tablet {device.number}: {problem}"
                for problem in checks.diverged(device.tablet, fresh)
            ]
        admin = await self.client("Check")
        await admin.login("demo_admin", DEMO_PASSWORD)
        await admin.pull()
        server = admin.store.records("submission")
        present, problems = checks.submissions_once(self.acknowledged, before, server)
        summary.submissions_acknowledged = len(self.acknowledged.answers)
        summary.submissions_present = present
        summary.submissions_withdrawn = len(self.acknowledged.withdrawn)
        summary.problems += problems
        frozen = [s for s in self.acknowledged.rejected if s.result["error"]["code"] == FROZEN]
        summary.refused_after_freeze = len(frozen)
        summary.problems += [
            f"rejected: {s.mutation['entity']} {s.mutation['op']} "
            f"{s.result['error']['code']} {s.result['error']['detail']}"
            for s in self.acknowledged.rejected
            if s not in frozen
        ]
        summary.issues_raised, problems = await checks.raised_kept(admin, self.acknowledged)
        summary.problems += problems
        summary.progress_reports, problems = await checks.spending_added(admin, self.acknowledged)
        summary.problems += problems
        due, recorded, problems = await checks.true_conflicts(admin, self.acknowledged)
        summary.conflicts_due, summary.conflicts_recorded = due, recorded
        summary.problems += problems
        summary.clock_flagged = self.acknowledged.clock_flagged
        summary.actions = dict(sorted(self.ledger.actions.items()))
