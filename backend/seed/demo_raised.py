"""Issues the demo's autumn focus groups raised themselves, raised and answered as tablets
would: the same issue from a second group merged into the first, each selected or dropped."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.cycles.sync import CYCLE_INDICATOR
from backend.scorecards.document import TemplateDocument, template_scale
from backend.seed.records import Desk, make


@dataclass(frozen=True, slots=True)
class Issue:
    """An issue a focus group raised in its own words, as the facilitator took it up."""

    key: str
    mn: str
    en: str
    kind: str
    # the groups that raised it, in the order their tablets synced
    raisers: tuple[str, ...]
    # selected for scoring, or dropped
    selected: bool
    # which way is better: the groups word their issues as problems, so lower
    better: str = "lower"


# the autumn groups' own issues: each a problem ("classrooms are cold"), scored on how much
# the group agrees, so a lower score (or "no" to a yes/no) is better
RAISED = {
    "parent_engagement": [
        Issue(
            "toilets_locked",
            "Жорлон хичээлийн үеэр цоожтой",
            "Toilets are locked during lessons",
            "scale",
            ("parents", "students"),
            selected=True,
        ),
        Issue(
            "classrooms_cold",
            "Анги танхим өвөл хүйтэн",
            "Classrooms are cold in winter",
            "scale",
            ("teachers",),
            selected=True,
        ),
        Issue(
            "bus_late",
            "Сургуулийн автобус хоцордог",
            "The school bus is late",
            "yes_no",
            ("parents",),
            selected=False,
        ),
    ],
    "medicine_availability": [
        Issue(
            "pharmacist_absent",
            "Эм зүйч ажлын цагаар байдаггүй",
            "The pharmacist is away in opening hours",
            "scale",
            ("women", "elderly"),
            selected=True,
        ),
        Issue(
            "no_receipt",
            "Баримт өгдөггүй",
            "No receipt is given",
            "yes_no",
            ("men",),
            selected=True,
        ),
    ],
    "health_insurance": [
        Issue(
            "long_queue",
            "Дугаар авахад урт дараалал",
            "Long queues for a number",
            "scale",
            ("women", "herders"),
            selected=True,
        ),
        Issue(
            "no_sign_language",
            "Дохионы хэлний орчуулга байхгүй",
            "No sign-language interpreting",
            "yes_no",
            ("people_with_disabilities",),
            selected=True,
        ),
    ],
}


@dataclass(frozen=True, slots=True)
class Selected:
    """A raised indicator the groups score: its key, kind and which way is better (None: not
    set, scored as if higher were better)."""

    key: str
    kind: str
    better: str | None


async def raise_issues(
    db: AsyncSession,
    desk: Desk,
    document: TemplateDocument,
    groups: list[str],
    people: dict[str, uuid.UUID],
) -> list[Selected]:
    """The groups' own issues, raised as the tablets would: a second group raising the same
    issue is merged into the first; each selected, with which way is better, or dropped. The
    selected ones."""
    selected = []
    for issue in RAISED[document.family]:
        for group in issue.raisers:
            if group not in groups:
                continue
            await make(
                db,
                desk,
                CYCLE_INDICATOR,
                {
                    "cycle_id": desk.cycle_id,
                    "key": issue.key,
                    "label": {"mn": issue.mn, "en": issue.en},
                    "kind": issue.kind,
                    "raised_by": [group],
                    "status": "selected" if issue.selected else "dropped",
                    "better": issue.better if issue.selected else None,
                },
                author=people["facilitator"],
                role=Role.FACILITATOR,
            )
        if issue.selected:
            selected.append(Selected(issue.key, issue.kind, issue.better))
    return selected


def raised_answers(
    selected: list[Selected],
    document: TemplateDocument,
    rng: random.Random,
    level: float,
) -> dict[str, Any]:
    """A community group's answers to the round's selected raised indicators; `level` (0..1)
    is how well the facility is doing, so a problem is agreed with less as it rises."""
    scale = template_scale(document)
    low, high = scale.min, scale.max
    answers: dict[str, Any] = {}
    for indicator in selected:
        good = rng.random() < level
        toward = level if indicator.better != "lower" else 1 - level
        value: Any = (
            good == (indicator.better != "lower")
            if indicator.kind == "yes_no"
            else max(low, min(high, round(low + (high - low) * toward + rng.uniform(-1, 1))))
        )
        answers[indicator.key] = {"value": value, "reason": None, "suggestion": None}
    return answers
