"""One day of field work on one tablet, offline: what each role does with what it holds."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import msgspec

from backend.scorecards.document import TemplateDocument
from backend.seed.demo_raised import Selected, raised_answers
from backend.seed.demo_rounds import answers_for
from backend.simulate.cast import Device

PEOPLE = ("School director", "Council chair", "Soum governor", "Head nurse", "Pharmacist")
VENUES = ("Soum hall", "School gym", "Bag centre", "Khoroo office")
REASONS = ("Мэдээлэл хүрдэггүй", "Хүлээлгийн хугацаа урт", "Эм дутдаг")
# issues focus groups raise themselves; the same one comes up on several tablets offline.
# Each is a problem, so the facilitator who selects it says lower is better
ISSUES = (
    ("toilets_locked", "Жорлон цоожтой байдаг"),
    ("classrooms_cold", "Анги өвөл хүйтэн"),
    ("pharmacist_absent", "Эм зүйч байдаггүй"),
    ("long_queue", "Дугаар авахад урт дараалал"),
    ("no_receipt", "Баримт өгдөггүй"),
)
ISSUE_DIRECTION = "lower"
ULAANBAATAR = timezone(timedelta(hours=8))


@dataclass
class Ledger:
    """What the tablets did, for the summary; which interface meetings were held where."""

    plans: dict[str, str] = field(default_factory=dict)  # facility id → meeting id
    actions: dict[str, int] = field(default_factory=dict)

    def count(self, action: str) -> None:
        self.actions[action] = self.actions.get(action, 0) + 1


# what actions cost (tögrög) and who pays, as plans are made at the meeting
COSTS = (150_000, 400_000, 1_200_000)
FUNDING = ("facility_budget", "soum_ldf", "aimag_budget")


def _create(device: Device, entity: str, data: dict[str, Any]) -> str:
    """A record made on the tablet, its id drawn from the tablet's seeded randomness so that
    the same seed plays the same season."""
    record_id = uuid.UUID(int=device.rng.getrandbits(128), version=4)
    return device.tablet.create(entity, data, record_id)


def _open_round(device: Device) -> tuple[str, dict[str, Any], TemplateDocument] | None:
    store = device.tablet.store
    for cycle_id, cycle in store.records("cycle").items():
        if cycle["facility_id"] == device.person.facility_id and cycle["phase"] in (
            "input_tracking",
            "community_scoring",
            "self_assessment",
        ):
            version = store.view("template_version", cycle["template_version_id"])
            if version is None:
                return None
            document = msgspec.convert(version["document"], TemplateDocument)
            return cycle_id, cycle, document
    return None


def _submit(device: Device, day: date, ledger: Ledger, respondent: str, action: str) -> None:
    found = _open_round(device)
    if found is None:
        return
    cycle_id, cycle, document = found
    rng = device.rng
    level = rng.uniform(0.2, 0.9)
    answers = answers_for(document, respondent, rng, level, rng.choice(REASONS))
    group = None
    if respondent == "community":
        planned = [g["type"] for g in cycle.get("planned_groups") or []] or ["community"]
        group = {
            "type": rng.choice(planned),
            "participants": {"female": rng.randint(2, 9), "male": rng.randint(1, 8)},
            "consent_noted": True,
        }
        # the group raises an issue of its own, and scores those already selected
        if cycle["phase"] == "community_scoring" and rng.random() < 0.4:
            _raise_issue(device, cycle_id, document, group["type"], ledger)
        selected = [
            Selected(values["key"], values["kind"], values.get("better"))
            for values in _raised(device, cycle_id)
            if values["status"] == "selected"
        ]
        answers |= raised_answers(selected, document, rng, level)
    collected = datetime.combine(day, time(10 + rng.randint(0, 6)), tzinfo=ULAANBAATAR)
    record_id = _create(
        device,
        "submission",
        {
            "cycle_id": cycle_id,
            "respondent": respondent,
            "group": group,
            "answers": answers,
            "collected_at": collected.isoformat(),
        },
    )
    device.submissions.append(record_id)
    ledger.count(action)


def _raised(device: Device, cycle_id: str) -> list[dict[str, Any]]:
    """The round's raised indicators as the server last gave them to this tablet."""
    return [
        entry.data | {"id": record_id}
        for (entity, record_id), entry in device.tablet.store.server.items()
        if entity == "cycle_indicator" and entry.data["cycle_id"] == cycle_id
    ]


def _raise_issue(
    device: Device, cycle_id: str, document: TemplateDocument, group: str, ledger: Ledger
) -> None:
    key, label = device.rng.choice(ISSUES)
    if any(indicator.key == key for indicator in document.indicators):
        return
    _create(
        device,
        "cycle_indicator",
        {
            "cycle_id": cycle_id,
            "key": key,
            "label": {"mn": label, "en": None},
            "kind": "scale",
            "raised_by": [group],
            "origin": "community",
            "status": "proposed",
        },
    )
    ledger.count("issue raised")


def _consolidate(device: Device, ledger: Ledger) -> None:
    """The facilitator selects or drops one issue the groups raised (as the server has it)."""
    found = _open_round(device)
    if found is None or found[1]["phase"] != "community_scoring":
        return
    # as the tablet shows them: a facilitator does not change their own mind
    proposed = [
        v
        for v in _raised(device, found[0])
        if (device.tablet.store.view("cycle_indicator", v["id"]) or {}).get("status") == "proposed"
    ]
    if not proposed:
        return
    chosen = device.rng.choice(proposed)
    if device.rng.random() < 0.8:
        device.tablet.select_indicator(chosen["id"], better=ISSUE_DIRECTION)
        ledger.count("issue selected")
    else:
        device.tablet.update("cycle_indicator", chosen["id"], {"status": "dropped"})
        ledger.count("issue dropped")


def _one_of_mine(device: Device) -> str | None:
    """A submission of this tablet's that it has already had back from the server."""
    held = [rid for rid in device.submissions if ("submission", rid) in device.tablet.store.server]
    return device.rng.choice(held) if held else None


def _correct_submission(device: Device, ledger: Ledger) -> None:
    """Fix one answer of a submission the tablet has already had back from the server."""
    store = device.tablet.store
    record_id = _one_of_mine(device)
    found = _open_round(device)
    if record_id is None or found is None:
        return
    shown = store.view("submission", record_id)
    if shown is None:
        return
    answers = shown["answers"]
    respondent = store.server[("submission", record_id)].data["respondent"]
    fresh = answers_for(found[2], respondent, device.rng, device.rng.random(), REASONS[0])
    key = device.rng.choice(sorted(answers))
    device.tablet.update("submission", record_id, {"answers": {key: fresh[key]}})
    ledger.count("submission corrected")


def _withdraw_submission(device: Device, ledger: Ledger) -> None:
    """A submission entered twice by mistake is deleted by its author."""
    record_id = _one_of_mine(device)
    if record_id is None:
        return
    device.submissions.remove(record_id)
    device.tablet.delete("submission", record_id)
    ledger.count("submission withdrawn")


def _hold_meeting(device: Device, day: date, ledger: Ledger) -> None:
    """The interface meeting at the device's facility, with its action plan of three items."""
    found = _open_round(device)
    if found is None or device.person.facility_id in ledger.plans:
        return
    cycle_id, _, document = found
    rng = device.rng
    keys = [indicator.key for indicator in document.indicators]
    meeting_id = _create(
        device,
        "interface_meeting",
        {
            "cycle_id": cycle_id,
            "held_on": day.isoformat(),
            "venue": rng.choice(VENUES),
            "attendance": {"community_female": 12, "community_male": 9, "provider": 3},
            "priorities": rng.sample(keys, 2),
            "notes": "",
            "status": "held",
        },
    )
    ledger.plans[device.person.facility_id] = meeting_id
    for n in range(3):
        _create(
            device,
            "action_item",
            {
                "cycle_id": cycle_id,
                "meeting_id": meeting_id,
                "indicator_keys": rng.sample(keys, 1),
                "issue": f"Issue {n + 1} raised at the meeting",
                "action": f"Agreed action {n + 1}",
                "responsible": rng.choice(PEOPLE),
                "due_on": (day + timedelta(days=30)).isoformat(),
                "status": "not_started",
                "cost_mnt": rng.choice(COSTS),
                "funding_source": rng.choice(FUNDING),
                "level": "facility",
            },
        )
    ledger.count("interface meeting held")


def _work_on_plan(device: Device, day: date, ledger: Ledger) -> None:
    """Facilitators of one facility edit its action plan, each from what their tablet holds."""
    store = device.tablet.store
    cycles = store.records("cycle")
    items = sorted(
        rid
        for rid, item in store.records("action_item").items()
        if cycles.get(item["cycle_id"], {}).get("facility_id") == device.person.facility_id
    )
    if not items:
        return
    rng = device.rng
    item_id = rng.choice(items)
    # who is responsible is what a meeting argues over most
    what = rng.choice(
        ("responsible", "responsible", "due_on", "cost", "status", "update", "update", "venue")
    )
    if what == "responsible":
        device.tablet.update("action_item", item_id, {"responsible": rng.choice(PEOPLE)})
    elif what == "due_on":
        due = day + timedelta(days=rng.choice((14, 30, 60)))
        device.tablet.update("action_item", item_id, {"due_on": due.isoformat()})
    elif what == "cost":
        device.tablet.update("action_item", item_id, {"cost_mnt": rng.choice(COSTS)})
    elif what == "status":
        status = rng.choice(("in_progress", "blocked", "done"))
        device.tablet.update("action_item", item_id, {"status": status})
    elif what == "venue":
        meeting_id = (store.view("action_item", item_id) or {}).get("meeting_id")
        if meeting_id and store.view("interface_meeting", meeting_id) is not None:
            device.tablet.update("interface_meeting", meeting_id, {"venue": rng.choice(VENUES)})
    else:
        _create(
            device,
            "action_update",
            {
                "action_item_id": item_id,
                "status": rng.choice(("in_progress", "in_progress", "done")),
                "note": "Checked with the responsible person",
                "reported_on": day.isoformat(),
                "spent_mnt": rng.choice((0, 25_000, 80_000)),
            },
        )
    ledger.count("action plan edited")


def day_of_work(device: Device, day: date, number: int, days: int, ledger: Ledger) -> None:
    rng = device.rng
    role = device.person.role
    if role == "facilitator":
        for _ in range(rng.choice((0, 1, 1, 2))):
            name = "insurance interview" if _is_health_centre(device) else "focus group"
            _submit(device, day, ledger, "community", name)
        if number >= days // 3:
            _hold_meeting(device, day, ledger)
            if rng.random() < 0.6:
                _work_on_plan(device, day, ledger)
        if rng.random() < 0.3:
            _consolidate(device, ledger)
        if rng.random() < 0.15:
            _correct_submission(device, ledger)
        if rng.random() < 0.05:
            _withdraw_submission(device, ledger)
    elif role == "monitor":
        if rng.random() < 0.7:
            _submit(device, day, ledger, "monitor", "medicine check")
    elif role == "provider" and not device.submissions:
        _submit(device, day, ledger, "provider", "self-assessment")


def _is_health_centre(device: Device) -> bool:
    facility = device.tablet.store.view("facility", device.person.facility_id) or {}
    return "health_centre" in facility.get("type", "")
