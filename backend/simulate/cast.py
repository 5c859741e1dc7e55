"""Who takes part in a simulated field season: people, their tablets, their facilities.

Tablets go to the demo programme's open rounds: two schools (parent councils' focus groups),
a family health centre (insurance interviews) and a pharmacy (medicine checks). Accounts are
made through the admin API, as a coordinator's office would.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import httpx

from backend.tablet.client import Backoff, TabletClient

SCHOOL_TES = "5c0a1e00-0000-4000-8000-000000000002"
SCHOOL_SK = "5c0a1e00-0000-4000-8000-000000000005"
HEALTH_CENTRE_SK = "5c0a1e00-0000-4000-8000-000000000006"
PHARMACY_SK = "5c0a1e00-0000-4000-8000-000000000007"
AREA_OF = {
    SCHOOL_TES: "MN-046",
    SCHOOL_SK: "MN-1-SK",
    HEALTH_CENTRE_SK: "MN-1-SK",
    PHARMACY_SK: "MN-1-SK",
}
FACILITATED = (SCHOOL_TES, SCHOOL_SK, HEALTH_CENTRE_SK)
# where the Tes school is moved half-way through the season (Zavkhan aimag)
MOVED_TO = "MN-057"
# one in five tablets: facilitator, facilitator, facilitator, monitor, provider
ROLES = ("facilitator", "facilitator", "facilitator", "monitor", "provider")
# how far off a tablet's clock may be: most are right, some by days, one by a year
CLOCK_ERRORS = (timedelta(0),) * 4 + (timedelta(days=3), timedelta(days=-2), timedelta(days=400))
PASSWORD_BYTES = 12


class LossyLink(httpx.AsyncBaseTransport):
    """A rural link: now and then the server's answer never reaches the tablet."""

    def __init__(self, rng: random.Random, loss: float) -> None:
        self.inner = httpx.AsyncHTTPTransport(retries=0)
        self.rng = rng
        self.loss = loss
        self.lost = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path == "/sync/v1/push" and self.rng.random() < self.loss:
            await response.aread()
            self.lost += 1
            raise httpx.ReadError("the answer was lost on the way", request=request)
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class Person:
    username: str
    password: str
    role: str
    facility_id: str
    user_id: str = ""


@dataclass
class Device:
    """A tablet in someone's hands; `online` is the chance of a connection at the day's end."""

    number: int
    person: Person
    tablet: TabletClient
    link: LossyLink
    rng: random.Random
    online: float
    clock_error: timedelta
    lost: bool = False
    submissions: list[str] = field(default_factory=list)


async def make_people(
    admin: httpx.AsyncClient, headers: dict[str, str], count: int, rng: random.Random
) -> list[Person]:
    people = []
    run = secrets.token_hex(3)
    for number in range(count):
        role = ROLES[number % len(ROLES)]
        if role == "facilitator":
            facility = FACILITATED[(number // len(ROLES) + number) % len(FACILITATED)]
        elif role == "monitor":
            facility = PHARMACY_SK
        else:
            facility = rng.choice(sorted(AREA_OF))
        person = Person(
            f"sim-{run}-{number:04d}", secrets.token_urlsafe(PASSWORD_BYTES), role, facility
        )
        scope: dict[str, Any] = (
            {"facility_ids": [facility]}
            if role == "provider"
            else {"area_codes": [AREA_OF[facility]]}
        )
        response = await admin.post(
            "/admin/v1/users",
            json={
                "username": person.username,
                "display_name": f"Simulated {role} {number}",
                "role": role,
                "password": person.password,
                **scope,
            },
            headers=headers,
        )
        response.raise_for_status()
        person.user_id = response.json()["id"]
        people.append(person)
    return people


def new_device(
    number: int,
    person: Person,
    base_url: str,
    rng: random.Random,
    loss: float,
    now: Callable[[], datetime],
) -> Device:
    device_rng = random.Random(rng.getrandbits(64))
    link = LossyLink(device_rng, loss)
    clock_error = device_rng.choice(CLOCK_ERRORS)
    http = httpx.AsyncClient(transport=link, base_url=base_url, timeout=60)

    def clock() -> datetime:
        return now() + clock_error

    tablet = TabletClient(
        http,
        device_name=f"Tablet {number}",
        backoff=Backoff(first=0.05, ceiling=5, rng=device_rng),
        clock=clock,
    )
    return Device(
        number=number,
        person=person,
        tablet=tablet,
        link=link,
        rng=device_rng,
        online=device_rng.choice((0.2, 0.4, 0.6, 0.9)),
        clock_error=clock_error,
    )
