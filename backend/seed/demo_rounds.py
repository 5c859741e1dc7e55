"""Completed demo rounds: scores from focus groups, a provider and a monitor, an interface
meeting and an action plan with progress, so the scorecard page shows gaps and trends at once."""

from __future__ import annotations

import random
import uuid
import zlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.attachments import refs
from backend.auth.models import Role
from backend.cycles.models import Cycle, CyclePhaseChange
from backend.cycles.phases import PHASES
from backend.reviews import service as reviews
from backend.scorecards.document import (
    Count,
    Entitlement,
    FreeText,
    Indicator,
    MedicineCheck,
    Money,
    MultiChoice,
    Number,
    Scale,
    SingleChoice,
    TemplateDocument,
    YesNo,
)
from backend.scorecards.medicines import TRACER_MEDICINES
from backend.scorecards.models import TemplateVersion
from backend.scorecards.validation import compile_template
from backend.seed import demo_plans, demo_raised
from backend.seed.records import Desk, make
from backend.submissions.sync import SUBMISSION, Respondent
from backend.sync.entity import CycleInfo

REFERENCE_PRICES = {m.key: m.reference_price_mnt for m in TRACER_MEDICINES}
REASONS = {
    "parent_engagement": "Эцэг эхчүүдэд мэдээлэл хүрдэггүй",
    "medicine_availability": "Инсулин байнга дутдаг",
    "health_insurance": "Хөнгөлөлттэй эм ихэвчлэн дууссан байдаг",
}
# what each focus group says in its own words: groups see a school or a clinic differently
VOICES: dict[str, tuple[str, ...]] = {
    "parents": (
        "Эцэг эхчүүдэд мэдээлэл хүрдэггүй",
        "Хурлын тухай зар хоцорч ирдэг",
        "Сургуулийн төсвийг бидэнтэй ярилцдаггүй",
    ),
    "students": (
        "Багш нар заримдаа хичээлдээ ирдэггүй",
        "Өвөл анги хүйтэн байдаг",
        "Бидний саналыг сонсдог болсон",
    ),
    "teachers": (
        "Сурах бичиг хүрэлцдэггүй",
        "Эцэг эхчүүд хуралд цөөн ирдэг",
        "Удирдлага санал хүсэлтэд хурдан хариулдаг",
    ),
    "women": (
        "Инсулин байнга дутдаг",
        "Хүүхдийн эм ихэвчлэн байдаггүй",
        "Үнийн жагсаалт харагдахгүй байна",
    ),
    "men": (
        "Даралтын эм үнэтэй",
        "Эмийн сан эрт хаадаг",
        "Баримт өгдөггүй",
    ),
    "elderly": (
        "Хөнгөлөлттэй эм дуусчихсан байдаг",
        "Эм зүйч тайлбарлаж өгдөг",
        "Дараалал урт",
    ),
    "herders": (
        "Сумын төв хол, эм авахад хэцүү",
        "Даатгалаа сунгуулах хугацаа тохиромжгүй",
        "Утсаар зөвлөгөө авах боломжгүй",
    ),
    "people_with_disabilities": (
        "Барилга руу тэргэнцэртэй орох боломжгүй",
        "Хөнгөлөлтийн талаар мэдээлэл өгдөггүй",
        "Эмч ээлжгүй үзсэн",
    ),
}


def in_their_words(answers: dict[str, Any], group: str) -> dict[str, Any]:
    """The group's own reasons in place of the family's one line: each indicator a reason the
    group would give (the same every time the demo is seeded; the scores are left as they are)."""
    voices = VOICES.get(group)
    if not voices:
        return answers
    for key, answer in answers.items():
        if answer.get("reason"):
            answer["reason"] = voices[zlib.crc32(f"{group}:{key}".encode()) % len(voices)]
    return answers


def _value(indicator: Indicator, rng: random.Random, level: float) -> Any:
    """A plausible answer; `level` (0..1) is how well the facility is doing."""
    answer = indicator.answer
    good = rng.random() < level
    if isinstance(answer, Scale):
        spread = answer.max - answer.min
        centre = answer.min + spread * (level if indicator.better == "higher" else 1 - level)
        return max(answer.min, min(answer.max, round(centre + rng.uniform(-1, 1))))
    if isinstance(answer, YesNo):
        return good if indicator.better == "higher" else not good
    if isinstance(answer, Count):
        return rng.randint(1, 8)
    if isinstance(answer, Money):
        return 0 if good else rng.choice([5000, 10000, 20000])
    if isinstance(answer, Number):
        low = answer.min or 0
        high = answer.max if answer.max is not None else low + 100
        value = low + (high - low) * (0.05 if good else 0.2) * rng.random()
        return round(value) if answer.integer else round(value, 1)
    if isinstance(answer, SingleChoice):
        return answer.options[0 if good else -1].key
    if isinstance(answer, MultiChoice):
        return [option.key for option in answer.options if rng.random() < level]
    if isinstance(answer, FreeText):
        return "Санал байхгүй"
    if isinstance(answer, Entitlement):
        return {"entitled": 12, "actual": round(12 * level)}
    if isinstance(answer, MedicineCheck):
        checks = {}
        for key in answer.medicines:
            short = 0 if rng.random() < level else rng.randint(1, 10)
            in_stock = short == 0
            # a price is read off the shelf only; generics sell at 0.9-2.6 times the reference
            # price (WHO/HAI surveys find 1.5-3 in private pharmacies), originator brands, where
            # stocked, at 1.6-3.5 times the generic
            reference = REFERENCE_PRICES.get(key, 1000)
            generic = round(reference * rng.uniform(0.9, 2.6)) if in_stock else None
            originator = (
                round(generic * rng.uniform(1.6, 3.5))
                if generic is not None and rng.random() < 0.4
                else None
            )
            checks[key] = {
                "in_stock": in_stock,
                "expired": False,
                "stockout_days_30": short,
                "stockout_days_90": short + rng.randint(0, 12),
                "discounted_available": rng.random() < level,
                "generic_price": generic,
                "originator_price": originator,
                "price_displayed": good,
            }
        return checks
    raise TypeError(type(answer))


@dataclass(frozen=True, slots=True)
class RoundLabel:
    """A demo round's label in Mongolian (the primary one) and in English."""

    mn: str
    en: str


def round_id(facility_id: uuid.UUID, label: RoundLabel) -> uuid.UUID:
    """Demo rounds have fixed ids too, so examples and guides can name them. Made from the
    English label, as they were before rounds had a Mongolian one, so those ids stand."""
    return uuid.uuid5(facility_id, label.en)


def answers_for(
    document: TemplateDocument, respondent: str, rng: random.Random, level: float, reason: str
) -> dict[str, Any]:
    answers = {}
    for indicator in document.indicators:
        if respondent not in indicator.respondents:
            continue
        answers[indicator.key] = {
            "value": _value(indicator, rng, level),
            "reason": reason if indicator.ask_reason and respondent == "community" else None,
            "suggestion": None,
        }
    errors = compile_template(document).validate(answers, respondent=respondent)
    assert not errors, errors  # the demo shows only what a tablet could have sent
    return answers


# who collects each kind of scores, and as what
AUTHORS: dict[str, tuple[str, Role]] = {
    "community": ("facilitator", Role.FACILITATOR),
    "provider": ("provider", Role.PROVIDER),
    "monitor": ("monitor", Role.MONITOR),
}
# the phase a round's scores were collected in
SCORED_IN = "community_scoring"

# One group too small to show outside the team, so the demo shows the disclosure rule at work.
SMALL_GROUP = "people_with_disabilities"


def _participants(group: str, rng: random.Random) -> dict[str, int]:
    if group == SMALL_GROUP:
        return {"female": 2, "male": 1}
    return {"female": rng.randint(4, 9), "male": rng.randint(3, 8)}


def _day(held_on: date, days: int) -> datetime:
    """A moment of the demo's calendar, counted from the interface meeting's date."""
    return datetime.combine(held_on + timedelta(days=days), datetime.min.time(), UTC)


def _after_meeting(phase: str, held_on: date) -> datetime | None:
    if PHASES.index(phase) <= PHASES.index("interface_meeting"):
        return None
    return _day(held_on, 1)


async def seed_round(
    db: AsyncSession,
    *,
    facility_id: uuid.UUID,
    version_id: uuid.UUID,
    document: TemplateDocument,
    label: RoundLabel,
    phase: str,
    groups: list[str],
    level: float,
    held_on: date,
    previous_cycle_id: uuid.UUID | None,
    people: dict[str, uuid.UUID],
    evidence: dict[tuple[str, str], list[str]] | None = None,
    raise_indicators: bool = False,
) -> Cycle:
    """One round at one facility, scored and (past the meeting) planned; its groups may have
    raised indicators of their own, scored beside the template's."""
    # made-up demo scores, the same every time (seeded as before rounds had a Mongolian label)
    rng = random.Random(f"{facility_id}{label.en}")  # noqa: S311
    cycle = Cycle(
        id=round_id(facility_id, label),
        facility_id=facility_id,
        template_version_id=version_id,
        label=label.mn,
        label_en=label.en,
        phase=phase,
        previous_cycle_id=previous_cycle_id,
        planned_groups=[{"type": group} for group in groups],
        opened_by=people["coordinator"],
        # the round's calendar, in order: opened a month before its meeting, scored ten days
        # before it, published the day after, closed (if it is) four months on
        opened_at=_day(held_on, -30),
        closed_at=_day(held_on, 120) if phase == "closed" else None,
        # past the meeting, the coordinator has read the reasons and published the results
        published_at=_after_meeting(phase, held_on),
        reasons_reviewed_at=_after_meeting(phase, held_on),
    )
    db.add(cycle)
    await db.flush()
    steps = PHASES[: PHASES.index(phase) + 1]
    db.add_all(
        CyclePhaseChange(
            cycle_id=cycle.id, from_phase=before, to_phase=after, changed_by=people["coordinator"]
        )
        for before, after in zip((None, *steps[:-1]), steps, strict=True)
    )
    collected = _day(held_on, -10)
    version = await db.get(TemplateVersion, version_id)
    assert version is not None
    # the submissions were made while the round was scoring, its plan at the meeting
    scoring = Desk(cycle.id, CycleInfo(facility_id, SCORED_IN, version))
    planning = Desk(cycle.id, CycleInfo(facility_id, "interface_meeting", version))
    entries: list[tuple[Respondent, str | None]] = [("community", group) for group in groups]
    entries.append(("provider", None))
    if any("monitor" in i.respondents for i in document.indicators):
        entries.append(("monitor", None))
    selected = (
        await demo_raised.raise_issues(db, scoring, document, groups, people)
        if raise_indicators
        else []
    )
    evidence = dict(evidence or {})
    mentions: list[tuple[str, uuid.UUID, uuid.UUID, list[str], bool, bool]] = []
    for respondent, group in entries:
        answers = answers_for(document, respondent, rng, level, REASONS[document.family])
        if group is not None:
            answers = in_their_words(answers, group)
        if respondent == "community":
            answers |= demo_raised.raised_answers(selected, document, rng, level)
        submission_id = uuid.uuid4()
        for (who, key), hashes in list(evidence.items()):
            if who == respondent and key in answers:  # the first group of a kind shows it
                answers[key]["evidence"] = hashes
                mentions.append((SUBMISSION.name, submission_id, facility_id, hashes, False, True))
                del evidence[(who, key)]
        person, role = AUTHORS[respondent]
        data: dict[str, Any] = {
            "cycle_id": cycle.id,
            "respondent": respondent,
            "answers": answers,
            "collected_at": collected,
        }
        if group is not None:
            data["group"] = {"type": group, "participants": _participants(group, rng)}
        await make(
            db,
            scoring,
            SUBMISSION,
            data,
            author=people[person],
            role=role,
            record_id=submission_id,
        )
    if PHASES.index(phase) > PHASES.index("interface_meeting"):
        await demo_plans.seed_plan(db, planning, document, held_on, people, rng)
    await db.flush()
    await refs.record(db, mentions, None)
    if cycle.reasons_reviewed_at is not None:
        await reviews.pass_all(db, decided_by=people["coordinator"], cycle_id=cycle.id)
    return cycle
