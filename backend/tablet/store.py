"""What a tablet keeps: its copy of server records, its own unsent edits, and its queue."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Key = tuple[str, str]


@dataclass
class Held:
    version: int
    data: dict[str, Any]


@dataclass
class LocalStore:
    """Server copies as last pulled, and on top of them the edits not yet pulled back."""

    server: dict[Key, Held] = field(default_factory=dict)
    local: dict[Key, dict[str, Any] | None] = field(default_factory=dict)
    cursor: str | None = None

    def view(self, entity: str, record_id: str) -> dict[str, Any] | None:
        """The record as the tablet shows it; None when it is not there or deleted here."""
        key = (entity, record_id)
        if key in self.local:
            return self.local[key]
        held = self.server.get(key)
        return held.data if held else None

    def records(self, entity: str) -> dict[str, dict[str, Any]]:
        ids = {rid for kind, rid in self.server if kind == entity}
        ids |= {rid for kind, rid in self.local if kind == entity}
        shown = {rid: self.view(entity, rid) for rid in ids}
        return {rid: data for rid, data in shown.items() if data is not None}

    def edit(self, entity: str, record_id: str, changes: dict[str, Any] | None) -> None:
        key = (entity, record_id)
        if changes is None:
            self.local[key] = None
            return
        current = self.view(entity, record_id) or {}
        self.local[key] = {**current, **changes}

    def apply(self, changes: list[dict[str, Any]]) -> None:
        for change in changes:
            key = (change["entity"], change["id"])
            if change["op"] == "upsert":
                self.server[key] = Held(change["version"], change["data"])
            else:
                self.server.pop(key, None)

    def settle_local(self, pending: list[dict[str, Any]]) -> None:
        """After a full pull, only edits still waiting in the queue stay on top."""
        waiting = {(m["entity"], m["id"]) for m in pending}
        self.local = {key: value for key, value in self.local.items() if key in waiting}

    def reset(self) -> None:
        self.server.clear()
        self.cursor = None


# how many acknowledged mutations a tablet keeps in its journal (a fortnight of a busy
# facilitator's work, far more than the time between two server backups)
JOURNAL_SIZE = 10_000
WRITTEN = ("applied", "merged", "conflict")


@dataclass
class Outbox:
    """Mutations made offline, numbered 1, 2, 3… for this device, sent oldest first; and a
    journal of those the server acknowledged, with the version each made, so that what the
    server loses in a restore from a backup can be sent again."""

    next_id: int = 1
    pending: list[dict[str, Any]] = field(default_factory=list)
    journal: list[tuple[dict[str, Any], int | None]] = field(default_factory=list)

    def add(
        self,
        entity: str,
        op: str,
        record_id: str,
        data: dict[str, Any],
        base_version: int | None,
        base: dict[str, Any] | None,
        client_ts: datetime,
    ) -> dict[str, Any]:
        mutation = {
            "mutation_id": self.next_id,
            "entity": entity,
            "op": op,
            "id": record_id,
            "base_version": base_version,
            "data": data,
            "base": base,
            "client_ts": client_ts.isoformat(),
        }
        self.next_id += 1
        self.pending.append(mutation)
        return mutation

    def renumber(self) -> None:
        """The unsent mutations numbered 1, 2, 3… again, in their order (a new device id)."""
        for number, mutation in enumerate(self.pending, start=1):
            mutation["mutation_id"] = number
        self.next_id = len(self.pending) + 1

    def acknowledged(self, sent: list[dict[str, Any]], results: list[dict[str, Any]]) -> None:
        """Keep the mutations the server wrote (a duplicate: if its first answer wrote it)."""
        by_id = {m["mutation_id"]: m for m in sent}
        known = {m["mutation_id"] for m, _ in self.journal[-len(sent) * 2 :]}
        for result in results:
            status = result.get("original_status") or result["status"]
            mutation = by_id.get(result["mutation_id"])
            if mutation is not None and status in WRITTEN and mutation["mutation_id"] not in known:
                self.journal.append((mutation, result.get("version")))
                known.add(mutation["mutation_id"])
        del self.journal[:-JOURNAL_SIZE]

    def settled(self, last_mutation_id: int) -> None:
        """The server has settled everything up to this id: it need not be sent again."""
        self.pending = [m for m in self.pending if m["mutation_id"] > last_mutation_id]
