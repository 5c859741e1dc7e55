"""The scorecard page a facilitator projects at the interface meeting and prints on A4."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem
from backend.action_plans.service import is_overdue
from backend.attachments.storage import Store, thumbnail_key
from backend.auth import access
from backend.auth.policy import Principal
from backend.reports import service as reports
from backend.reports.schemas import IndicatorOut, ScorecardOut
from backend.scorecards.group_types import group_label

LANGUAGES = ("mn", "en")
WORDS = {
    "mn": {
        "title": "Иргэдийн үнэлгээний карт",
        "community": "Иргэд",
        "provider": "Үйлчилгээ үзүүлэгч",
        "gap": "Зөрүү",
        "change": "Өмнөх үеэс",
        "groups": "бүлэг",
        "people": "хүн",
        "withheld": "{n} бүлэг {size}-аас цөөн хүнтэй байсан тул энэ хуудасны аль ч тоонд ороогүй.",
        "plan": "Хамтарсан үйл ажиллагааны төлөвлөгөө",
        "issue": "Асуудал",
        "action": "Арга хэмжээ",
        "responsible": "Хариуцагч",
        "due": "Хугацаа",
        "status": "Төлөв",
        "overdue": "хугацаа хэтэрсэн",
        "no_plan": "Төлөвлөгөө хараахан гараагүй байна.",
        "not_scored": "үнэлгээ алга",
        "evidence": "Нотлох зураг",
        "raised": "Иргэд өөрсдөө дэвшүүлсэн",
        "medicines": "Эмийн хүртээмж ба үнэ",
        "inputs": "Орцын хяналт: эрх ба бодит байдал",
        "entitled": "Эрх",
        "found": "Байгаа",
        "shortfall": "Дутагдал",
        "medicine": "Эм",
        "basket": "Бүх эм (сагс)",
        "available": "Байгаа",
        "stockout_30": "Тасалдсан өдөр (30)",
        "stockout_90": "Тасалдсан өдөр (90)",
        "mpr_generic": "Үнийн харьцаа, ерөнхий нэршлийн",
        "mpr_originator": "Үнийн харьцаа, анхдагч брэнд",
        "mpr_note": (
            "Үнийн харьцаа: лангуун дээр байсан үеийн нэгж үнийн медиан, лавлах үнэд "
            "харьцуулсан (ДЭМБ/HAI арга); 1 = лавлах үнэ. Гэрэл: байгаа хувь 80%-аас дээш "
            "ногоон, 50%-аас дээш шар."
        ),
        "raised_provider": "Үйлчилгээ үзүүлэгч дэвшүүлсэн",
        "medicine_evidence": "Эмийн нөөц, үнийн нотолгоо",
        "matrix": "Үнэлгээний хүснэгт: үзүүлэлт, бүлгээр",
        "indicator": "Үзүүлэлт",
        "overall": "Иргэд, бүгд",
        "scores": "оноо",
        "score": "оноо",
        "scale": "Хэмжүүр",
        "scales": {
            "faces_1_5": "1–5 (царай: маш муу … маш сайн)",
            "points_1_10": "1–10",
            "percent_0_100": "0–100",
        },
        "scale_note": (
            "Тоо бүр үзүүлэлтийн өөрийн хэмжүүрээр; тийм/үгүй асуултад тийм гэсэн хувь. "
            "Хаалтанд 0–100 болгосон утга: хэмжүүрийн доод цэг 0, дээд цэг 100."
        ),
        "no_score": "—",
        "units": {"share": "тийм гэсэн хувь", "count": "тоо", "number": "хэмжээ", "mnt": "төгрөг"},
        "statuses": {
            "not_started": "эхлээгүй",
            "in_progress": "хийгдэж байна",
            "blocked": "саатсан",
            "done": "хийгдсэн",
            "dropped": "цуцалсан",
        },
    },
    "en": {
        "title": "Community scorecard",
        "community": "Community",
        "provider": "Provider",
        "gap": "Gap",
        "change": "Since last round",
        "groups": "groups",
        "people": "people",
        "withheld": "{n} group(s) had fewer than {size} people: left out of every figure here.",
        "plan": "Joint action plan",
        "issue": "Issue",
        "action": "Action",
        "responsible": "Responsible",
        "due": "Due",
        "status": "Status",
        "overdue": "overdue",
        "no_plan": "No action plan yet.",
        "not_scored": "not scored",
        "evidence": "Evidence photo",
        "raised": "Raised by the community",
        "medicines": "Medicine availability and prices",
        "inputs": "Input tracking: entitlement against what is there",
        "entitled": "Entitled",
        "found": "Found",
        "shortfall": "Shortfall",
        "medicine": "Medicine",
        "basket": "All medicines (basket)",
        "available": "Available",
        "stockout_30": "Stock-out days (30)",
        "stockout_90": "Stock-out days (90)",
        "mpr_generic": "Price ratio, lowest generic",
        "mpr_originator": "Price ratio, originator",
        "mpr_note": (
            "Price ratio: the median unit price found on the shelf over the reference price "
            "(the WHO/HAI median price ratio); 1 = the reference price. Lights: available "
            "in 80% of checks or more green, 50% or more amber."
        ),
        "raised_provider": "Raised by the provider",
        "medicine_evidence": "Stock and price evidence",
        "matrix": "Scoring matrix: indicators by group",
        "indicator": "Indicator",
        "overall": "Community, all",
        "scores": "scores",
        "score": "score",
        "scale": "Scale",
        "scales": {
            "faces_1_5": "1–5 (faces: very bad … very good)",
            "points_1_10": "1–10",
            "percent_0_100": "0–100",
        },
        "scale_note": (
            "Each figure on the indicator's own scale; for yes/no, the share answering yes. "
            "In brackets, the same on the common 0–100 scale: the scale's lowest point is 0, "
            "its highest 100."
        ),
        "no_score": "—",
        "units": {
            "share": "share answering yes",
            "count": "count",
            "number": "number",
            "mnt": "MNT",
        },
        "statuses": {
            "not_started": "not started",
            "in_progress": "in progress",
            "blocked": "blocked",
            "done": "done",
            "dropped": "dropped",
        },
    },
}
EVIDENCE_SHOWN = 4  # thumbnails beside one indicator


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True, slots=True)
class Row:
    indicator: IndicatorOut
    label: str
    community_pct: float | None
    provider_pct: float | None
    light: str  # green, amber, red, or none


def _share(value: float | None, low: float, high: float) -> float | None:
    if value is None or high <= low:
        return None
    return round(max(0.0, min(1.0, (value - low) / (high - low))) * 100, 1)


def _figure(value: float | None, unit: str) -> str:
    """A mean as people read it: points on a scale, a yes/no share in percent."""
    if value is None:
        return ""
    if unit == "share":
        return f"{value * 100:.0f}%"
    if unit == "scale":
        return f"{value:.2f}"
    return f"{value:g}"


def _light(share: float | None) -> str:
    if share is None:
        return "none"
    return "green" if share >= 75 else "amber" if share >= 50 else "red"


async def _thumbnails(store: Store, card: ScorecardOut) -> dict[str, str]:
    """Evidence thumbnails inlined, so the page prints and projects without signing in again."""
    wanted = [sha for i in card.indicators for sha in i.evidence[:EVIDENCE_SHOWN]]
    wanted += card.medicines_evidence[:EVIDENCE_SHOWN]
    inlined = {}
    for sha in dict.fromkeys(wanted):
        data = await store.get(thumbnail_key(sha))
        if data is not None:
            inlined[sha] = base64.b64encode(data).decode()
    return inlined


async def render(
    db: AsyncSession,
    store: Store,
    *,
    principal: Principal,
    cycle_id: uuid.UUID,
    language: str,
    today: date,
) -> str:
    card: ScorecardOut = await reports.scorecard(db, principal=principal, cycle_id=cycle_id)
    rows = []
    for indicator in card.indicators:
        low, high = indicator.scale_min, indicator.scale_max
        community = indicator.community.mean if indicator.community else None
        community_pct = provider_pct = None
        if low is not None and high is not None:
            community_pct = _share(community, low, high)
            provider_pct = _share(indicator.provider_mean, low, high)
        rows.append(
            Row(
                indicator=indicator,
                label=indicator.label_mn if language == "mn" else indicator.label_en,
                community_pct=community_pct,
                provider_pct=provider_pct,
                light=_light(
                    community_pct
                    if community_pct is None or indicator.better == "higher"
                    else 100 - community_pct
                ),
            )
        )
    medicine_lights = [
        "green" if m.available >= 0.8 else "amber" if m.available >= 0.5 else "red"
        for m in card.medicines
    ]
    items = (
        await db.scalars(
            select(ActionItem)
            .where(ActionItem.cycle_id == card.cycle_id, ActionItem.deleted_at.is_(None))
            .order_by(ActionItem.due_on.nulls_last(), ActionItem.created_at)
        )
    ).all()
    plan = [{"item": item, "overdue": is_overdue(item, today)} for item in items]
    return (
        _environment()
        .get_template("scorecard.html")
        .render(
            card=card,
            rows=rows,
            medicine_lights=medicine_lights,
            thumbnails=await _thumbnails(store, card),
            shown=EVIDENCE_SHOWN,
            plan=plan,
            words=WORDS[language],
            min_group_size=access.MIN_GROUP_SIZE,
            language=language,
            other="en" if language == "mn" else "mn",
            facility=card.facility_name_mn if language == "mn" else card.facility_name_en,
            figure=_figure,
            # group types by name in the page's language (unknown types by their key)
            group_name=lambda key: getattr(group_label(key), language),
        )
    )
