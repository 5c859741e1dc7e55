"""Trends over every round: a facility's rounds of one template in order, or an area's rounds
grouped by their label ("2025 autumn round"), in the order they were first opened.

An area's point weighs every facility the same: each facility's mean for the round first, then
the mean over facilities (as roll-ups do). Means are those the caller may count."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.policy import Principal
from backend.errors import NotFound
from backend.facilities.models import Facility
from backend.reports import rounds as facts
from backend.reports.followthrough_schemas import TrendLine, TrendOut, TrendPoint
from backend.scorecards import service as templates
from backend.scorecards.models import Template, TemplateVersion

UNITS = {"scale": "scale", "yes_no": "share", "count": "count", "number": "number", "money": "mnt"}


def _mean(values: list[float]) -> float | None:
    """Unrounded: every figure is rounded once, where it is shown."""
    return statistics.fmean(values) if values else None


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


async def facility_trend(
    db: AsyncSession,
    *,
    principal: Principal,
    facility_id: uuid.UUID,
    template: str,
    timezone: str,
) -> TrendOut:
    visible = await db.scalar(
        select(Facility.id).where(
            Facility.id == facility_id, access.facility_visible(principal, Facility.id)
        )
    )
    if visible is None:
        raise NotFound("No such facility.")
    query = facts.visible_rounds(
        principal, facts.at_facility(facility_id), Template.key == template, timezone=timezone
    )
    rounds = await facts.load_rounds(db, query)
    ordered = sorted(rounds.values(), key=lambda r: (r.opened_at, r.id))
    return await _trend(
        db, principal, template, str(facility_id), [(r.label, [r]) for r in ordered]
    )


async def area_trend(
    db: AsyncSession, *, principal: Principal, area: str, template: str, timezone: str
) -> TrendOut:
    query = facts.visible_rounds(
        principal, facts.in_area(area), Template.key == template, timezone=timezone
    )
    rounds = await facts.load_rounds(db, query)
    by_label: dict[str, list[facts.Round]] = defaultdict(list)
    for r in sorted(rounds.values(), key=lambda r: (r.opened_at, r.id)):
        by_label[r.label].append(r)
    return await _trend(db, principal, template, area.upper(), list(by_label.items()))


async def _trend(
    db: AsyncSession,
    principal: Principal,
    template: str,
    subject: str,
    periods: list[tuple[str, list[facts.Round]]],
) -> TrendOut:
    ids = [r.id for _, members in periods for r in members]
    measures = await facts.measures(db, ids)
    means = await facts.round_means(db, principal, ids)
    labels = await indicator_labels(db, template)
    lines: dict[str, list[TrendPoint]] = defaultdict(list)
    for key in labels:
        for period, members in periods:
            community: dict[uuid.UUID, list[float]] = defaultdict(list)
            provider: dict[uuid.UUID, list[float]] = defaultdict(list)
            for r in members:
                m = means.get((r.id, key))
                if m is None:
                    continue
                if m.community is not None:
                    community[r.facility_id].append(m.community)
                if m.provider is not None:
                    provider[r.facility_id].append(m.provider)
            c = _mean([statistics.fmean(v) for v in community.values()])
            p = _mean([statistics.fmean(v) for v in provider.values()])
            measure = next(
                (measures[r.id][key] for r in members if key in measures.get(r.id, {})), None
            )
            c100 = measure.on_100(c) if measure else None
            p100 = measure.on_100(p) if measure else None
            lines[key].append(
                TrendPoint(
                    round=period,
                    cycle_id=members[0].id if len(members) == 1 else None,
                    facilities=len(community),
                    community=_round(c, 2),
                    provider=_round(p, 2),
                    community_100=_round(c100, 1),
                    provider_100=_round(p100, 1),
                    gap=None if c is None or p is None else round(c - p, 2),
                )
            )
    return TrendOut(
        template=template,
        subject=subject,
        rounds=[period for period, _ in periods],
        indicators=[
            TrendLine(
                key=key,
                label_mn=labels[key][0],
                label_en=labels[key][1],
                unit=UNITS.get(labels[key][2], labels[key][2]),
                better=labels[key][3],
                points=points,
            )
            for key, points in lines.items()
            if any(p.community is not None or p.provider is not None for p in points)
        ],
    )


async def indicator_labels(db: AsyncSession, template: str) -> dict[str, tuple[str, str, str, str]]:
    """The template's numeric indicators as its newest published version names them."""
    version = await db.scalar(
        select(TemplateVersion)
        .join(Template, Template.id == TemplateVersion.template_id)
        .where(Template.key == template, TemplateVersion.status == "published")
        .order_by(TemplateVersion.number.desc())
        .limit(1)
    )
    if version is None:
        raise NotFound("No such template.")
    out: dict[str, tuple[str, str, str, str]] = {}
    for indicator in templates.document_of(version).indicators:
        kind = str(indicator.answer.__struct_config__.tag)
        if kind in UNITS:
            out[indicator.key] = (indicator.label.mn, indicator.label.en, kind, indicator.better)
    return out
