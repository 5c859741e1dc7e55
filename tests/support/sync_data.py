"""Record payloads as a tablet sends them."""

from __future__ import annotations

from typing import Any

from tests.support.field import Programme, school_answers


def submission(field: Programme, score: int = 3, **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(field.cycle_id),
        "respondent": "community",
        "group": {"type": "parents", "participants": {"female": 7, "male": 5}},
        "answers": school_answers(score),
        "collected_at": "2026-11-20T10:00:00+08:00",
    } | extra


def meeting(field: Programme, **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(field.cycle_id),
        "held_on": "2026-11-25",
        "venue": "Soum community hall",
        "attendance": {"community_female": 10, "community_male": 8, "provider": 3, "officials": 1},
        "priorities": ["teacher_attendance"],
        "notes": "",
        "status": "planned",
    } | extra


def action_item(field: Programme, meeting_id: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "cycle_id": str(field.cycle_id),
        "meeting_id": meeting_id,
        "indicator_keys": ["toilets_and_water"],
        "issue": "Girls' toilets do not work",
        "action": "Repair the toilets before winter",
        "responsible": "School director",
        "due_on": "2026-12-15",
        "status": "not_started",
    } | extra
