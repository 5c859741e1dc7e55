"""SYNC.md case 17: tablets edit offline at random and sync in random order; all converge.

Each example runs on a database of its own: three tablets (two facilitators and a monitor)
share an interface meeting and an action item, submit scorecards, edit offline, lose push
responses and resend, delete, and sync whenever the drawn steps say. At the end every tablet
holds exactly what the server shows its user, and every submission is stored once.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from backend.app import create_app
from backend.auth.models import Role
from backend.database.session import open_database
from backend.settings import Settings
from backend.submissions.models import Submission
from tests.support import databases
from tests.support.field import Tablet, programme
from tests.support.http import serve
from tests.support.sync_data import action_item, meeting, submission

ACTIONS = (
    "submit",
    "edit_meeting",
    "edit_item",
    "edit_own_submission",
    "delete_own_submission",
    "sync",
    "sync_with_lost_response",
)
VENUES = ("Soum hall", "School gym", "Bag centre")
PEOPLE = ("School director", "Council chair", "Soum governor")
KEYS = ("teacher_attendance", "inclusion", "toilets_and_water", "complaints_answered")


@dataclass
class Field:
    """A tablet as the tablet app keeps it: server copies, and edits not yet sent."""

    tablet: Tablet
    rng: random.Random
    store: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    pending: list[dict[str, Any]] = field(default_factory=list)
    local: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    mine: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)

    def view(self, key: tuple[str, str]) -> dict[str, Any] | None:
        return self.local.get(key) or (self.store[key]["data"] if key in self.store else None)

    def edit(self, entity: str, record_id: str, changes: dict[str, Any]) -> None:
        key = (entity, record_id)
        current = self.view(key)
        if current is None:
            return  # not on this tablet (yet), or deleted
        version = self.store[key]["version"] if key in self.store else 1
        base = {name: current.get(name) for name in changes}
        send_base = self.rng.random() < 0.5  # the base values are optional on the wire
        clock = datetime.now(UTC) + timedelta(days=self.rng.choice([0, 0, 3, -3]))
        self.pending.append(
            self.tablet.mutation(
                entity,
                "update",
                record_id,
                changes,
                base_version=version,
                base=base if send_base else None,
                client_ts=clock,
            )
        )
        self.local[key] = {**current, **changes}

    async def sync(self, *, lose_response: bool) -> None:
        if self.pending:
            result = await self.tablet.push(*self.pending)
            if lose_response:
                again = await self.tablet.push(*self.pending)
                assert [r["status"] for r in again["results"]] == ["duplicate"] * len(self.pending)
            assert result["last_mutation_id"] == self.pending[-1]["mutation_id"]
            self.pending.clear()
        self.local.clear()
        for change in await self.tablet.pull_all():
            key = (change["entity"], change["id"])
            if change["op"] == "upsert":
                self.store[key] = {"version": change["version"], "data": change["data"]}
            else:
                self.store.pop(key, None)


async def _play(url: str, app_settings: Settings, steps: list[tuple[int, str, int]]) -> None:
    database = open_database(url)
    try:
        app = create_app(app_settings, database=database)
        async with serve(app) as client:
            prog = await programme(database)
            users = [
                await prog.user(Role.FACILITATOR),
                await prog.user(Role.FACILITATOR),
                await prog.user(Role.MONITOR),
            ]
            fields = [
                Field(await Tablet(client, user).sign_in(), random.Random(i))
                for i, user in enumerate(users)
            ]
            meeting_id, item_id = str(uuid.uuid4()), str(uuid.uuid4())
            first = fields[0]
            first.pending += [
                first.tablet.mutation("interface_meeting", "create", meeting_id, meeting(prog)),
                first.tablet.mutation(
                    "action_item", "create", item_id, action_item(prog, meeting_id)
                ),
            ]
            for f in fields:
                await f.sync(lose_response=False)

            for who, action, seed in steps:
                f = fields[who]
                rng = random.Random(seed)
                if action == "submit":
                    record_id = str(uuid.uuid4())
                    f.pending.append(
                        f.tablet.mutation(
                            "submission",
                            "create",
                            record_id,
                            submission(prog, score=rng.randint(1, 5)),
                        )
                    )
                    f.local[("submission", record_id)] = {"answers": {}}
                    f.mine.append(record_id)
                    f.created.append(record_id)
                elif action == "edit_meeting":
                    current = f.view(("interface_meeting", meeting_id)) or {}
                    attendance = dict(current.get("attendance") or {})
                    counted = rng.choice(["community_female", "community_male", "officials"])
                    attendance[counted] = attendance.get(counted, 0) + rng.randint(1, 3)
                    priorities = list(current.get("priorities") or [])
                    key = rng.choice(KEYS)
                    priorities = (
                        [p for p in priorities if p != key]
                        if key in priorities
                        else [*priorities, key]
                    )
                    choice = rng.choice(["venue", "attendance", "priorities", "status"])
                    changes = {
                        "venue": {"venue": rng.choice(VENUES)},
                        "attendance": {"attendance": attendance},
                        "priorities": {"priorities": priorities},
                        "status": {"status": rng.choice(["planned", "held", "closed"])},
                    }[choice]
                    f.edit("interface_meeting", meeting_id, changes)
                elif action == "edit_item":
                    changes = rng.choice(
                        [
                            {"responsible": rng.choice(PEOPLE)},
                            {"status": rng.choice(["in_progress", "blocked", "done"])},
                            {"indicator_keys": rng.sample(KEYS, 2)},
                        ]
                    )
                    f.edit("action_item", item_id, changes)
                elif action == "edit_own_submission" and f.mine:
                    record_id = rng.choice(f.mine)
                    key = ("submission", record_id)
                    if key in f.store and key not in f.local:
                        f.edit(
                            "submission",
                            record_id,
                            {"answers": {"inclusion": {"value": rng.randint(1, 5)}}},
                        )
                elif action == "delete_own_submission" and f.mine:
                    record_id = f.mine.pop(rng.randrange(len(f.mine)))
                    key = ("submission", record_id)
                    if key in f.store and key not in f.local:
                        f.pending.append(
                            f.tablet.mutation(
                                "submission",
                                "delete",
                                record_id,
                                base_version=f.store[key]["version"],
                            )
                        )
                        f.local[key] = {"deleted": True}
                    else:
                        f.mine.append(record_id)
                elif action.startswith("sync"):
                    await f.sync(lose_response=action == "sync_with_lost_response")

            for _ in range(2):  # everyone comes back online, in turn, twice
                for f in fields:
                    await f.sync(lose_response=False)

            for f, user in zip(fields, users, strict=True):
                fresh = Field(await Tablet(client, user).sign_in(), random.Random(0))
                await fresh.sync(lose_response=False)
                assert f.store == fresh.store, "a tablet diverged from the server's view"
            created = [record_id for f in fields for record_id in f.created]
            async with database.sessionmaker() as db:
                stored = await db.scalar(select(func.count()).select_from(Submission))
            assert stored == len(created) == len(set(created))
    finally:
        await database.dispose()


steps = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(ACTIONS), st.integers(0, 2**32)),
    min_size=4,
    max_size=30,
)


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps)
def test_case_17_random_offline_edits_converge(
    server_url: str, template_database: str, settings_for_apps: Settings, steps: list
) -> None:
    name = databases.new_name("scorecard_prop")
    url = databases.create_database(server_url, name, template=template_database)
    try:
        asyncio.run(_play(url, settings_for_apps, steps))
    finally:
        databases.drop_database(server_url, name)
