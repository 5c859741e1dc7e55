"""A field programme in a committed database, and tablets that push and pull through the API."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select

from backend.auth.models import Role, User
from backend.cycles.models import Cycle
from backend.database.session import Database
from backend.facilities.models import Facility
from backend.scorecards.models import Template, TemplateVersion
from tests.support.identity import PASSWORD, device_payload, make_user

_names = itertools.count(1)


@dataclass
class Programme:
    """One school with an open parent-engagement round in community scoring, in Uvs."""

    database: Database
    facility_id: uuid.UUID
    cycle_id: uuid.UUID
    template_version_id: uuid.UUID

    async def user(self, role: Role, **scope: Any) -> User:
        async with self.database.sessionmaker() as db:
            if not scope:
                scope = (
                    {"facilities": [self.facility_id]}
                    if role is Role.PROVIDER
                    else {"areas": ["MN-046"]}
                )
            return await make_user(db, role, **scope)

    async def cycle_phase(self, phase: str) -> None:
        async with self.database.sessionmaker() as db, db.begin():
            cycle = await db.get_one(Cycle, self.cycle_id)
            cycle.phase = phase


async def programme(database: Database, *, area_code: str = "MN-046") -> Programme:
    async with database.sessionmaker() as db:
        coordinator = await make_user(db, Role.COORDINATOR, areas=[area_code])
        facility = Facility(
            type="school", name_mn=f"Сургууль {next(_names)}", name_en="School", area_code=area_code
        )
        db.add(facility)
        await db.flush()
        version_id = await db.scalar(
            select(TemplateVersion.id)
            .join(Template, Template.id == TemplateVersion.template_id)
            .where(Template.key == "parent_engagement", TemplateVersion.status == "published")
        )
        cycle = Cycle(
            facility_id=facility.id,
            template_version_id=version_id,
            label="2026 autumn",
            phase="community_scoring",
            opened_by=coordinator.id,
        )
        db.add(cycle)
        await db.commit()
        return Programme(database, facility.id, cycle.id, version_id)


def school_answers(score: int = 3) -> dict[str, Any]:
    def a(value: Any) -> dict[str, Any]:
        return {"value": value, "reason": None, "suggestion": None}

    return {
        "council_meetings": a(4),
        "consulted_on_plan": a(score),
        "budget_published": a(False),
        "informal_contributions": a(False),
        "teacher_attendance": a(score),
        "toilets_and_water": a(True),
        "complaints_answered": a(score),
        "inclusion": a(score),
    }


@dataclass
class Tablet:
    """A tablet signed in as one user: it numbers its mutations and keeps its cursor."""

    client: httpx.AsyncClient
    user: User
    device_id: uuid.UUID = field(default_factory=uuid.uuid4)
    access_token: str = ""
    next_mutation: int = 1
    cursor: str | None = None
    password: str = PASSWORD

    async def sign_in(self) -> Tablet:
        response = await self.client.post(
            "/auth/v1/login",
            json={
                "username": self.user.username,
                "password": self.password,
                "device": device_payload(self.device_id),
            },
        )
        assert response.status_code == 200, response.text
        self.access_token = response.json()["access_token"]
        return self

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    def mutation(
        self,
        entity: str,
        op: str,
        record_id: uuid.UUID | str,
        data: dict[str, Any] | None = None,
        *,
        base_version: int | None = None,
        base: dict[str, Any] | None = None,
        client_ts: datetime | None = None,
    ) -> dict[str, Any]:
        """A mutation with the tablet's next id."""
        mutation = {
            "mutation_id": self.next_mutation,
            "entity": entity,
            "op": op,
            "id": str(record_id),
            "base_version": base_version,
            "data": data or {},
            "base": base,
            "client_ts": (client_ts or datetime.now(UTC)).isoformat(),
        }
        self.next_mutation += 1
        return mutation

    async def push_raw(self, mutations: list[dict[str, Any]], **extra: Any) -> httpx.Response:
        body = {"protocol": 1, "device_id": str(self.device_id), "mutations": mutations} | extra
        return await self.client.post("/sync/v1/push", json=body, headers=self.headers)

    async def push(self, *mutations: dict[str, Any]) -> dict[str, Any]:
        response = await self.push_raw(list(mutations))
        assert response.status_code == 200, response.text
        return response.json()

    async def pull(self, *, limit: int | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "protocol": 1,
            "device_id": str(self.device_id),
            "cursor": self.cursor,
        }
        if limit is not None:
            body["limit"] = limit
        response = await self.client.post("/sync/v1/pull", json=body, headers=self.headers)
        assert response.status_code == 200, response.text
        page = response.json()
        self.cursor = page["cursor"]
        return page

    async def pull_all(self, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Pull until the feed has nothing more; every change handed out, in order."""
        changes = []
        while True:
            page = await self.pull(limit=limit)
            changes += page["changes"]
            if not page["has_more"]:
                return changes
