"""What must hold after a simulated season, checked through the API alone.

- Convergence: every tablet's copy equals what a fresh sign-in of its user bootstraps.
- Exactly once: every acknowledged submission is on the server once, with the answers its
  author last had acknowledged; withdrawn ones are gone; nothing else appeared.
- True conflicts: wherever a tablet changed a field that someone else had changed since the
  tablet's base, to a third value, the server recorded a conflict; and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from backend.tablet.client import TabletClient

# fields merged as plain values: a concurrent change to a third value is a true conflict
PLAIN_FIELDS = {
    "action_item": ("responsible", "due_on", "cost_mnt"),
    "interface_meeting": ("venue",),
}
STAGES = {"not_started": 0, "in_progress": 1, "blocked": 1, "done": 2, "dropped": 2}


@dataclass
class Sent:
    device_id: str
    mutation: dict[str, Any]
    result: dict[str, Any]

    @property
    def outcome(self) -> str:
        return str(self.result.get("original_status") or self.result["status"])


@dataclass
class Acknowledged:
    """Submissions as the server acknowledged them to their authors, mutation by mutation."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    withdrawn: set[str] = field(default_factory=set)
    sent: list[Sent] = field(default_factory=list)
    rejected: list[Sent] = field(default_factory=list)
    clock_flagged: int = 0

    def record(
        self, device_id: str, mutations: list[dict[str, Any]], results: list[dict[str, Any]]
    ) -> None:
        by_id = {m["mutation_id"]: m for m in mutations}
        for result in results:
            sent = Sent(device_id, by_id[result["mutation_id"]], result)
            self.sent.append(sent)
            self.clock_flagged += bool(result.get("clock_flagged"))
            if sent.outcome == "rejected":
                self.rejected.append(sent)
                continue
            m = sent.mutation
            if m["entity"] != "submission" or sent.outcome not in ("applied", "merged"):
                continue
            if m["op"] == "create":
                self.answers[m["id"]] = dict(m["data"]["answers"])
            elif m["op"] == "update" and "answers" in m["data"]:
                self.answers[m["id"]].update(m["data"]["answers"])
            elif m["op"] == "delete":
                self.answers.pop(m["id"], None)
                self.withdrawn.add(m["id"])


def diverged(tablet: TabletClient, fresh: TabletClient) -> list[str]:
    """Where a tablet's copy differs from a fresh bootstrap of the same user."""
    problems = []
    if tablet.outbox.pending:
        problems.append(f"{len(tablet.outbox.pending)} mutations never settled")
    if tablet.store.local:
        problems.append(f"{len(tablet.store.local)} local edits never came back")
    mine, theirs = tablet.store.server, fresh.store.server
    for key in sorted(set(mine) | set(theirs)):
        if key not in theirs:
            problems.append(f"{key} held but not the server's")
        elif key not in mine:
            problems.append(f"{key} missing")
        elif (mine[key].version, mine[key].data) != (theirs[key].version, theirs[key].data):
            problems.append(f"{key} differs: v{mine[key].version} against v{theirs[key].version}")
    return problems


def submissions_once(
    acknowledged: Acknowledged, before: set[str], server: dict[str, dict[str, Any]]
) -> tuple[int, list[str]]:
    """How many acknowledged submissions are present as acknowledged, and what is wrong."""
    problems = []
    present = 0
    for record_id, answers in acknowledged.answers.items():
        data = server.get(record_id)
        if data is None:
            problems.append(f"submission {record_id} acknowledged but missing")
        elif data["answers"] != answers:
            problems.append(f"submission {record_id} has other answers than acknowledged")
        else:
            present += 1
    extra = set(server) - before - set(acknowledged.answers)
    problems += [f"submission {record_id} was never acknowledged" for record_id in sorted(extra)]
    problems += [
        f"withdrawn submission {rid} still there" for rid in acknowledged.withdrawn & set(server)
    ]
    return present, problems


def _value_at(history: list[dict[str, Any]], name: str, version: int) -> Any:
    value = None
    for entry in history:
        if entry["version"] <= version and name in entry["changed"]:
            value = entry["changed"][name]
    return value


async def true_conflicts(
    admin: TabletClient, acknowledged: Acknowledged
) -> tuple[int, int, list[str]]:
    """Expected true conflicts, those recorded, and what is wrong, from record histories."""
    recorded = await admin.conflicts(status=None)
    histories: dict[tuple[str, str], list[dict[str, Any]]] = {}
    expected = found = 0
    problems = []
    for sent in acknowledged.sent:
        m = sent.mutation
        fields = [name for name in PLAIN_FIELDS.get(m["entity"], ()) if name in m["data"]]
        if m["op"] != "update" or not fields or sent.outcome == "rejected":
            continue
        key = (m["entity"], m["id"])
        if key not in histories:
            histories[key] = await admin.get(f"/sync/v1/history/{key[0]}/{key[1]}")
        history = histories[key]
        own = [
            e
            for e in history
            if e["device_id"] == sent.device_id and e["mutation_id"] == m["mutation_id"]
        ]
        before = own[0]["version"] - 1 if own else sent.result["version"]
        for name in fields:
            device, base = m["data"][name], (m["base"] or {}).get(name)
            server = _value_at(history, name, before)
            expect = device not in (server, base) and server != base
            hit = any(
                c["record_id"] == m["id"]
                and c["field"] == name
                and c["device_id"] == sent.device_id
                and c["device_value"] == device
                and c["base_version"] == m["base_version"]
                for c in recorded
            )
            expected += expect
            found += expect and hit
            if expect and not hit:
                problems.append(f"{key} {name}: a true conflict was not recorded")
            elif hit and not expect:
                problems.append(f"{key} {name}: a conflict was recorded where none was due")
    return expected, found, problems


async def raised_kept(admin: TabletClient, acknowledged: Acknowledged) -> tuple[int, list[str]]:
    """Every issue a group raised and the server acknowledged stands in its round's
    consolidated indicators, with that group among those who raised it; no key stands twice."""
    raised = [
        s.mutation["data"]
        for s in acknowledged.sent
        if s.mutation["entity"] == "cycle_indicator"
        and s.mutation["op"] == "create"
        and s.outcome == "applied"
    ]
    problems = []
    standing: dict[str, list[dict[str, Any]]] = {}
    for data in raised:
        cycle_id = data["cycle_id"]
        if cycle_id not in standing:
            standing[cycle_id] = await admin.get(f"/cycles/v1/{cycle_id}/indicators")
            keys = [i["key"] for i in standing[cycle_id] if i["status"] != "dropped"]
            if len(keys) != len(set(keys)):
                problems.append(f"round {cycle_id}: one key stands twice: {sorted(keys)}")
        found = [i for i in standing[cycle_id] if i["key"] == data["key"]]
        if not any(set(data["raised_by"]) <= set(i["raised_by"]) for i in found):
            problems.append(f"round {cycle_id}: {data['key']} raised by {data['raised_by']} lost")
    return len(raised), problems


async def spending_added(admin: TabletClient, acknowledged: Acknowledged) -> tuple[int, list[str]]:
    """Every acknowledged progress report's money is in its item's total, once; and no item's
    status is behind the furthest status reported on it."""
    reports: dict[str, list[dict[str, Any]]] = {}
    for s in acknowledged.sent:
        m = s.mutation
        if m["entity"] == "action_update" and m["op"] == "create" and s.outcome == "applied":
            reports.setdefault(m["data"]["action_item_id"], []).append(m["data"])
    problems = []
    items: dict[str, dict[str, Any]] = {}
    offset = 0
    while True:
        page = await admin.get(f"/action-plans/v1/items?limit=1000&offset={offset}")
        items |= {item["id"]: item for item in page["items"]}
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            break
    for item_id, sent in reports.items():
        item = items.get(item_id)
        if item is None:
            problems.append(f"action item {item_id}: reported on, not on the server")
            continue
        spent = sum(report.get("spent_mnt", 0) for report in sent)
        if item["spent_mnt"] != spent:
            problems.append(
                f"action item {item_id}: {spent} reported spent, {item['spent_mnt']} kept"
            )
        furthest = max(STAGES[report["status"]] for report in sent)
        if STAGES[item["status"]] < furthest:
            problems.append(f"action item {item_id}: status {item['status']} behind its reports")
    return sum(len(sent) for sent in reports.values()), problems
