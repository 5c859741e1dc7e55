"""Tablets and a server as the hostile convergence property plays them, and its oracle
(tests/integration/sync/test_convergence_hostile.py says what the oracle holds)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import httpx
from sqlalchemy import select

from backend.action_plans.models import ActionItem, InterfaceMeeting
from backend.database.session import Database
from backend.scorecards import service as templates
from backend.scorecards.models import TemplateVersion
from backend.submissions.models import Submission
from backend.sync.models import Conflict
from tests.support.field import Programme, Tablet

TEXT = {"action_item": ("responsible", "resources"), "interface_meeting": ("venue", "notes")}
SETS = {"action_item": "indicator_keys", "interface_meeting": "priorities"}
COUNTED = ("community_female", "community_male")
ANSWERED = ("consulted_on_plan", "teacher_attendance", "inclusion")
GARBAGE = ("banana", 12345, {"value": 99}, {"value": "banana"}, None, ["x"])


@dataclass
class Pad:
    """A tablet as its app keeps it: pulled copies, and edits not yet sent with what each meant."""

    tablet: Tablet
    store: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    local: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    pending: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    def view(self, key: tuple[str, str]) -> dict[str, Any] | None:
        if key in self.local:
            return self.local[key]
        return self.store[key]["data"] if key in self.store else None

    async def pull(self) -> None:
        self.local.clear()
        for change in await self.tablet.pull_all():
            key = (change["entity"], change["id"])
            if change["op"] == "upsert":
                self.store[key] = {"version": change["version"], "data": change["data"]}
            else:
                self.store.pop(key, None)


@dataclass
class Season:
    """The server as the tablets and the oracle see it."""

    client: httpx.AsyncClient
    database: Database
    prog: Programme
    pads: list[Pad]
    settler: list[Tablet]
    coordinator: Tablet
    meeting_id: str
    item_id: str
    counter: int = 0
    # (entity, id, version, what the mutation meant): acknowledged writes, by the record's version
    acked: list[tuple[str, str, int, dict[str, Any]]] = field(default_factory=list)
    settled: list[tuple[str, str, int, str]] = field(default_factory=list)
    # (entity, id, field, item or count key) a refused mutation touched: a tablet's later edits
    # restate its local view, refused part included, so these are not followed
    refused_touch: set[tuple[str, str, str, str]] = field(default_factory=set)
    results: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    closed: dict[tuple[str, str], tuple[int, bool]] | None = None
    initial_counts: dict[str, int] = field(default_factory=dict)

    def unique(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    # -- editing offline -------------------------------------------------------------------------

    def edit(
        self, pad: Pad, entity: str, record_id: str, data: dict[str, Any], meant: dict
    ) -> None:
        key = (entity, record_id)
        current = pad.view(key)
        if current is None or key not in pad.store:
            return
        rng = random.Random(self.counter)
        base = {name: current.get(name) for name in data}
        if entity == "submission":
            base = {"answers": {k: current["answers"].get(k) for k in data["answers"]}}
        mutation = pad.tablet.mutation(
            entity,
            "update",
            record_id,
            data,
            base_version=pad.store[key]["version"],
            base=base if rng.random() < 0.3 else None,
        )
        pad.pending.append((mutation, meant))
        if entity == "submission":
            merged = {**current["answers"], **data["answers"]}
            pad.local[key] = {**current, "answers": merged}
        else:
            pad.local[key] = {**current, **data}

    def step(self, who: int, action: str, seed: int) -> None:
        pad, rng = self.pads[who], random.Random(seed)
        entity = rng.choice(("action_item", "action_item", "interface_meeting"))
        record_id = self.item_id if entity == "action_item" else self.meeting_id
        current = pad.view((entity, record_id))
        if current is None:
            return
        if action == "text":
            name = rng.choice(TEXT[entity])
            value = self.unique(f"{name}-{who}-")
            meant = {"kind": "text", "field": name, "value": value, "base": current.get(name)}
            self.edit(pad, entity, record_id, {name: value}, meant)
        elif action == "count":
            entity, record_id = "interface_meeting", self.meeting_id
            current = pad.view((entity, record_id)) or {}
            counted = rng.choice(COUNTED)
            delta = rng.randint(1, 6)
            attendance = dict(current.get("attendance") or {})
            attendance[counted] = attendance.get(counted, 0) + delta
            meant = {"kind": "count", "key": counted, "delta": delta}
            self.edit(pad, entity, record_id, {"attendance": attendance}, meant)
        elif action == "set":
            name = SETS[entity]
            items = list(current.get(name) or [])
            if items and rng.random() < 0.4:
                gone = rng.choice(items)
                items.remove(gone)
                meant = {"kind": "set", "field": name, "item": gone, "present": False}
            else:
                fresh = self.unique("k")
                items.append(fresh)
                meant = {"kind": "set", "field": name, "item": fresh, "present": True}
            self.edit(pad, entity, record_id, {name: items}, meant)
        elif action in ("answer", "delete") and who < 2:
            own = sorted(k for k in pad.store if k[0] == "submission" and k not in pad.local)
            if not own:
                return
            key = rng.choice(own)
            if action == "delete":
                mutation = pad.tablet.mutation(
                    "submission", "delete", key[1], base_version=pad.store[key]["version"]
                )
                pad.pending.append((mutation, {"kind": "delete"}))
                pad.local[key] = {"deleted": True}
                return
            indicator = rng.choice(ANSWERED)
            answer = {"value": rng.randint(1, 5), "reason": self.unique("r"), "suggestion": None}
            base = pad.store[key]["data"]["answers"].get(indicator)
            meant = {"kind": "text", "field": f"answers.{indicator}", "value": answer, "base": base}
            self.edit(pad, "submission", key[1], {"answers": {indicator: answer}}, meant)

    # -- talking to the server -------------------------------------------------------------------

    async def push(self, pad: Pad, *, lose_answer: bool) -> None:
        if not pad.pending:
            return
        mutations = [m for m, _ in pad.pending]
        for attempt in range(1 + lose_answer):
            while True:
                answer = await pad.tablet.push_raw(mutations)
                if answer.status_code != 503:
                    break
                assert answer.headers["retry-after"]
            assert answer.status_code == 200, answer.text
            if attempt and lose_answer:
                assert {r["status"] for r in answer.json()["results"]} == {"duplicate"}
        for (mutation, meant), result in zip(pad.pending, answer.json()["results"], strict=True):
            await self.acknowledge(pad, mutation, meant, result)
        pad.pending.clear()

    async def acknowledge(
        self, pad: Pad, mutation: dict[str, Any], meant: dict[str, Any], result: dict[str, Any]
    ) -> None:
        status = result.get("original_status") or result["status"]
        self.results[(str(pad.tablet.device_id), mutation["mutation_id"])] = result | {
            "status": status
        }
        entity, record_id = mutation["entity"], mutation["id"]
        if status == "rejected":
            if meant["kind"] == "set":
                self.refused_touch.add((entity, record_id, meant["field"], meant["item"]))
            if meant["kind"] == "count":
                self.refused_touch.add((entity, record_id, "attendance", meant["key"]))
            return
        if status not in ("applied", "merged", "conflict") or meant["kind"] == "delete":
            return
        if status == "conflict":
            async with self.database.sessionmaker() as db:
                fields = set(
                    await db.scalars(
                        select(Conflict.field).where(Conflict.id.in_(result["conflict_ids"]))
                    )
                )
            if meant.get("field") in fields:
                return  # not applied: the value waits in the conflict
        self.acked.append((entity, record_id, result["version"], meant))

    async def settle(self, who: int, seed: int) -> None:
        rng, settler = random.Random(seed), self.settler[who]
        listed = await self.client.get(
            "/sync/v1/conflicts", params={"status": "open"}, headers=self.settler[0].headers
        )
        assert listed.status_code == 200, listed.text
        if not listed.json():
            return
        conflict = rng.choice(listed.json())
        choice = rng.choice(("server", "device", "value", "value"))
        body: dict[str, Any] = {"choice": choice}
        if choice == "value":
            if rng.random() < 0.5:
                body["value"] = rng.choice(GARBAGE)
            elif conflict["field"].startswith("answers."):
                body["value"] = {"value": rng.randint(1, 5), "reason": self.unique("settled")}
            else:
                body["value"] = self.unique("settled-")
        answer = await self.client.post(
            f"/sync/v1/conflicts/{conflict['id']}/resolve", json=body, headers=settler.headers
        )
        assert answer.status_code in (200, 400, 409, 422), answer.text
        if answer.status_code == 200:
            self.settled.append(
                (
                    conflict["entity"],
                    conflict["record_id"],
                    answer.json()["version"],
                    conflict["field"],
                )
            )

    async def close_round(self) -> None:
        if self.closed is not None:
            return
        answer = await self.client.post(
            f"/cycles/v1/{self.prog.cycle_id}/advance",
            json={"to": "closed"},
            headers=self.coordinator.headers,
        )
        assert answer.status_code == 200, answer.text
        self.closed = await self.round_state()

    async def round_state(self) -> dict[tuple[str, str], tuple[int, bool]]:
        state = {}
        async with self.database.sessionmaker() as db:
            for name, model in (
                ("submission", Submission),
                ("interface_meeting", InterfaceMeeting),
                ("action_item", ActionItem),
            ):
                rows = await db.execute(
                    select(model.id, model.version, model.deleted_at.is_not(None)).where(
                        model.cycle_id == self.prog.cycle_id
                    )
                )
                for record_id, version, deleted in rows:
                    state[(name, str(record_id))] = (version, deleted)
        return state

    # -- the oracle ------------------------------------------------------------------------------

    async def check(self) -> None:
        async with self.database.sessionmaker() as db:
            conflicts = list(await db.scalars(select(Conflict)))
            stored: dict[tuple[str, str], Any] = {}
            for name, model in (
                ("submission", Submission),
                ("interface_meeting", InterfaceMeeting),
                ("action_item", ActionItem),
            ):
                for row in await db.scalars(select(model)):
                    stored[(name, str(row.id))] = row
            version = await db.get_one(TemplateVersion, self.prog.template_version_id)
        compiled = templates.compiled(version)

        for conflict in conflicts:
            result = self.results[(str(conflict.device_id), conflict.mutation_id)]
            assert result["status"] in ("conflict", "deleted"), (conflict.field, result)
            assert str(conflict.id) in result["conflict_ids"]

        for (entity, record_id), row in stored.items():
            if row.deleted_at is not None:
                continue  # deleted from its latest version, or settled so by a person
            if entity == "submission":
                assert compiled.validate(row.answers, respondent=row.respondent) == []
            events = sorted(
                (e for e in self.acked if (e[0], e[1]) == (entity, record_id)),
                key=lambda e: e[2],
            )
            settled = [s for s in self.settled if (s[0], s[1]) == (entity, record_id)]
            on_record = [
                c for c in conflicts if (c.entity, str(c.record_id)) == (entity, record_id)
            ]
            for _, _, version_no, meant in events:
                if meant["kind"] == "text":
                    self._check_text(row, meant, version_no, events, settled, on_record)
            if entity == "interface_meeting":
                for counted in COUNTED:
                    if (entity, record_id, "attendance", counted) in self.refused_touch:
                        continue
                    added = sum(
                        m["delta"]
                        for *_, m in events
                        if m["kind"] == "count" and m["key"] == counted
                    )
                    assert row.attendance.get(counted, 0) == self.initial_counts[counted] + added
            if entity in SETS:
                name = SETS[entity]
                last: dict[str, bool] = {}
                for *_, m in events:
                    if m["kind"] == "set" and m["field"] == name:
                        last[m["item"]] = m["present"]
                for item, present in last.items():
                    if (entity, record_id, name, item) in self.refused_touch:
                        continue
                    assert (item in getattr(row, name)) == present, (name, item, present)

        if self.closed is not None:
            assert await self.round_state() == self.closed, "a closed round changed"

    def _check_text(
        self,
        row: Any,
        meant: dict[str, Any],
        version_no: int,
        events: list[tuple[str, str, int, dict[str, Any]]],
        settled: list[tuple[str, str, int, str]],
        conflicts: list[Conflict],
    ) -> None:
        name, _, key = meant["field"].partition(".")
        value = meant["value"]
        now = getattr(row, name)
        if key:
            now = now.get(key)
        if now == value:
            return
        if any(
            v > version_no
            and m["kind"] == "text"
            and m["field"] == meant["field"]
            and m["base"] == value
            for _, _, v, m in events
        ):
            return  # replaced by an edit that started from it
        if any(v > version_no and f == "_deleted" for *_, v, f in settled):
            return  # a person brought the record back with a tablet's edit of it
        if any(
            c.field == meant["field"] and value in (c.server_value, c.device_value)
            for c in conflicts
        ):
            return  # recorded in a conflict
        raise AssertionError(f"{meant['field']}: {value!r} was acknowledged, now {now!r}")
