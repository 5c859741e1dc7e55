"""The scorecard page a facilitator projects at the interface meeting and prints on A4.

Everything on it comes from the same services as the API (the scorecard, the action plan, the
facility's trend), so the page shows nothing the caller could not read there; it only lays the
figures out, each kind the one way `formatting.py` shows it, in the reader's language."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans import service as plans
from backend.action_plans.schemas import ActionItemOut
from backend.attachments.storage import Store, thumbnail_key
from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles.models import Cycle
from backend.cycles.phases import position
from backend.reports import service as reports
from backend.reports import trend as trends
from backend.reports import wording
from backend.reports.followthrough_schemas import TrendLine
from backend.reports.formatting import Figures
from backend.reports.page_words import WORDS
from backend.reports.schemas import IndicatorOut, ScorecardOut
from backend.web.pagination import PageRequest

EVIDENCE_SHOWN = 4  # thumbnails beside one indicator
PLAN_SHOWN = 200  # action items of one round on the page
TREND_WIDTH, TREND_HEIGHT = 90, 24
# community scoring and self-assessment are still under way before the interface meeting
MEETING = position("interface_meeting")


@cache
def environment() -> Environment:
    """The result pages' templates, autoescaped."""
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
    # bar lengths on 0-100
    community_pct: float | None
    provider_pct: float | None
    light: str  # green, amber, red, or none
    # the community's score round by round, as SVG polyline points (None: one round or none)
    trend: str | None


def light(value_100: float | None, better: str) -> str:
    """A figure on 0-100 read toward the better side: green from 75, amber from 50, else red;
    none where the figure has no 0-100 value or no side is known to be better."""
    if value_100 is None or better not in ("higher", "lower"):
        return "none"
    toward = value_100 if better == "higher" else 100 - value_100
    return "green" if toward >= 75 else "amber" if toward >= 50 else "red"


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string (the printed footer): every character that could end the
    string or the style element is written as a CSS escape."""
    escaped = "".join(
        ch if ch.isprintable() and ch not in "\\\"'<>&" else f"\\{ord(ch):x} " for ch in text
    )
    return Markup(f'"{escaped}"')  # noqa: S704  # every unsafe character is escaped above


def _bar(value: float | None) -> float | None:
    return None if value is None else max(0.0, min(100.0, value))


def sparkline(line: TrendLine | None, better: str) -> str | None:
    """Polyline points of the community's score over the rounds, drawn so that up is better
    (a "lower is better" indicator is drawn upside down); None for fewer than two scores."""
    if line is None:
        return None
    values = [p.community_100 if p.community_100 is not None else p.community for p in line.points]
    if sum(v is not None for v in values) < 2:
        return None
    present = [v for v in values if v is not None]
    low, high = (0.0, 100.0) if line.unit in ("scale", "share") else (min(present), max(present))
    span = (high - low) or 1.0
    step = TREND_WIDTH / max(1, len(values) - 1)
    points = []
    for index, value in enumerate(values):
        if value is None:
            continue
        height = (value - low) / span
        if better == "lower":
            height = 1 - height
        points.append(f"{index * step:.1f},{(1 - height) * (TREND_HEIGHT - 4) + 2:.1f}")
    return " ".join(points)


async def _round_names(
    db: AsyncSession, card: ScorecardOut, labels: list[str], language: str
) -> list[str]:
    """The trend's rounds (named by their Mongolian labels) in the reader's language."""
    named = await db.execute(
        select(Cycle.label, Cycle.label_en).where(Cycle.facility_id == card.facility_id)
    )
    english = {label: label_en for label, label_en in named}
    return [wording.pick(language, label, english.get(label)) for label in labels]


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


def rows(card: ScorecardOut, language: str, lines: dict[str, TrendLine]) -> list[Row]:
    out = []
    for indicator in card.indicators:
        community = indicator.community.mean if indicator.community else None
        lit = indicator.community_100 if community is not None else indicator.monitor_100
        out.append(
            Row(
                indicator=indicator,
                label=wording.pick(language, indicator.label_mn, indicator.label_en),
                community_pct=_bar(indicator.community_100),
                provider_pct=_bar(indicator.provider_100),
                light=light(lit, indicator.better),
                trend=sparkline(lines.get(indicator.key), indicator.better),
            )
        )
    return out


async def render(
    db: AsyncSession,
    store: Store,
    *,
    principal: Principal,
    cycle_id: uuid.UUID,
    language: str,
    today: date,
    timezone: str,
    nonce: str,
    approved_only: bool = False,
) -> str:
    card = await reports.scorecard(
        db,
        principal=principal,
        cycle_id=cycle_id,
        timezone=timezone,
        approved_only=approved_only,
    )
    plan: list[ActionItemOut] = (
        await plans.list_items(
            db,
            principal=principal,
            page=PageRequest(limit=PLAN_SHOWN, offset=0),
            cycle_id=card.cycle_id,
            area=None,
            overdue_only=False,
            today=today,
        )
    ).items
    trend = await trends.facility_trend(
        db,
        principal=principal,
        facility_id=card.facility_id,
        template=card.template_key,
        timezone=timezone,
    )
    lines = {line.key: line for line in trend.indicators} if len(trend.rounds) > 1 else {}
    medicine_lights = [
        "green" if m.available >= 0.8 else "amber" if m.available >= 0.5 else "red"
        for m in card.medicines
    ]
    return (
        environment()
        .get_template("scorecard.html")
        .render(
            nonce=nonce,
            card=card,
            rows=rows(card, language, lines),
            rounds=await _round_names(db, card, trend.rounds, language) if lines else [],
            scoring=position(card.phase) < MEETING,
            medicine_lights=medicine_lights,
            thumbnails=await _thumbnails(store, card),
            shown=EVIDENCE_SHOWN,
            plan=plan,
            words=WORDS[language],
            fig=Figures(language),
            say=wording,
            min_group_size=access.MIN_GROUP_SIZE,
            language=language,
            other="en" if language == "mn" else "mn",
            today=today,
            css_string=css_string,
            trend_width=TREND_WIDTH,
            trend_height=TREND_HEIGHT,
        )
    )
