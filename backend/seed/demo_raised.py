"""Issues the demo's autumn focus groups raised themselves, raised and answered as tablets
would: the same issue from a second group merged into the first, each selected or dropped."""

from __future__ import annotations

import random
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.cycles.sync import CYCLE_INDICATOR
from backend.scorecards.document import Scale, TemplateDocument
from backend.seed.records import Desk, make

# issues the autumn groups raised themselves: (key, Mongolian, English, kind, the groups that
# raised it, in the order their tablets synced; selected for scoring or dropped)
RAISED = {
    "parent_engagement": [
        (
            "toilets_locked",
            "Жорлон хичээлийн үеэр цоожтой",
            "Toilets are locked during lessons",
            "scale",
            ["parents", "students"],
            True,
        ),
        (
            "classrooms_cold",
            "Анги танхим өвөл хүйтэн",
            "Classrooms are cold in winter",
            "scale",
            ["teachers"],
            True,
        ),
        (
            "bus_late",
            "Сургуулийн автобус хоцордог",
            "The school bus is late",
            "yes_no",
            ["parents"],
            False,
        ),
    ],
    "medicine_availability": [
        (
            "pharmacist_absent",
            "Эм зүйч ажлын цагаар байдаггүй",
            "The pharmacist is away in opening hours",
            "scale",
            ["women", "elderly"],
            True,
        ),
        ("no_receipt", "Баримт өгдөггүй", "No receipt is given", "yes_no", ["men"], True),
    ],
    "health_insurance": [
        (
            "long_queue",
            "Дугаар авахад урт дараалал",
            "Long queues for a number",
            "scale",
            ["women", "herders"],
            True,
        ),
        (
            "no_sign_language",
            "Дохионы хэлний орчуулга байхгүй",
            "No sign-language interpreting",
            "yes_no",
            ["people_with_disabilities"],
            True,
        ),
    ],
}


async def raise_issues(
    db: AsyncSession,
    desk: Desk,
    document: TemplateDocument,
    groups: list[str],
    people: dict[str, uuid.UUID],
) -> list[tuple[str, str]]:
    """The groups' own issues, raised as the tablets would: a second group raising the same
    issue is merged into the first; each selected or dropped. The selected (key, kind)."""
    selected = []
    for key, mn, en, kind, raisers, chosen in RAISED[document.family]:
        for group in raisers:
            if group not in groups:
                continue
            await make(
                db,
                desk,
                CYCLE_INDICATOR,
                {
                    "cycle_id": desk.cycle_id,
                    "key": key,
                    "label": {"mn": mn, "en": en},
                    "kind": kind,
                    "raised_by": [group],
                    "status": "selected" if chosen else "dropped",
                },
                author=people["facilitator"],
                role=Role.FACILITATOR,
            )
        if chosen:
            selected.append((key, kind))
    return selected


def raised_answers(
    selected: list[tuple[str, str]],
    document: TemplateDocument,
    rng: random.Random,
    level: float,
) -> dict[str, Any]:
    """A community group's answers to the round's selected raised indicators, (key, kind)."""
    scale = next((i.answer for i in document.indicators if isinstance(i.answer, Scale)), None)
    low, high = (scale.min, scale.max) if scale is not None else (1, 5)
    answers: dict[str, Any] = {}
    for key, kind in selected:
        good = rng.random() < level
        value: Any = (
            good
            if kind == "yes_no"
            else max(low, min(high, round(low + (high - low) * level + rng.uniform(-1, 1))))
        )
        answers[key] = {"value": value, "reason": None, "suggestion": None}
    return answers
