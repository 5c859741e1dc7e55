"""Roll-ups: one template's scores across the facilities of an area, by facility, soum, aimag or
the nation, with the action plans' rates per unit and, for the medicine template, the tracer
medicines' availability, stock-outs and price ratios."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles import raised
from backend.cycles.models import Campaign, CycleIndicator
from backend.errors import InvalidInput, NotFound
from backend.facilities.models import Facility
from backend.reports import medicine_queries, queries, rollup_queries
from backend.reports.rollup_queries import Period, Rounds
from backend.reports.schemas import (
    MedicineRollupRow,
    PeriodOut,
    RollupOut,
    RollupRow,
    RollupUnitOut,
)
from backend.reviews import pieces
from backend.scorecards import service as templates
from backend.scorecards.document import MedicineCheck, TemplateDocument
from backend.scorecards.models import Template, TemplateVersion, TracerMedicine
from backend.settings import DEFAULT_TIMEZONE

# Which element of an area's lineage (root first) names the unit rows are grouped by.
LEVELS = {"facility": None, "soum": 3, "aimag": 2, "nation": 1}
UNITS = {"scale": "scale", "yes_no": "share", "count": "count", "number": "number", "money": "mnt"}


async def newest_document(db: AsyncSession, template: str) -> TemplateDocument:
    """The template as its newest published version states it (names, units, medicines)."""
    version = await db.scalar(
        select(TemplateVersion)
        .join(Template, Template.id == TemplateVersion.template_id)
        .where(Template.key == template, TemplateVersion.status == "published")
        .order_by(TemplateVersion.number.desc())
        .limit(1)
    )
    if version is None:
        raise NotFound("No such template.", field="template")
    return templates.document_of(version)


async def rollup(
    db: AsyncSession,
    *,
    principal: Principal,
    area: str,
    template: str,
    level: str,
    period: Period,
    today: date,
    timezone: str = DEFAULT_TIMEZONE,
    approved_only: bool = False,
) -> RollupOut:
    """Every figure from the rounds the caller may see and the answers they may count, so a
    roll-up at one level minus another, or one period minus another, reveals nothing hidden.
    The period says which rounds are pooled (`rollup_queries.Period`); dates are the
    programme's (its time zone). With `approved_only`, the scores and medicine checks count only
    the submissions a coordinator approved as they read now."""
    if level not in LEVELS:
        raise InvalidInput(f"level is one of {', '.join(LEVELS)}", field="by")
    document = await newest_document(db, template)
    position = LEVELS[level]
    # the rounds found once, for every query below
    rounds = await pooled(
        db, principal=principal, area=area, template=template, period=period, timezone=timezone
    )
    counted = queries.approved(approved_only)
    score_rows = await rollup_queries.rollup_scores(db, principal, rounds, position, *counted)
    plan_rows = await rollup_queries.rollup_plans(db, principal, rounds, position, today)
    kinds = {
        i.key: UNITS.get(str(i.answer.__struct_config__.tag), "scale") for i in document.indicators
    }
    labels: dict[str, tuple[str, str, str]] = {
        i.key: (i.label.mn, i.label.en, i.better) for i in document.indicators
    }
    labels |= await _raised_labels(db, principal, rounds, set(labels))
    outsider = access.is_outsider(principal)
    rows = []
    for row in score_rows:
        if outsider and row.indicator not in labels:
            continue
        plan = plan_rows.get(row.unit)
        completion, overdue = _rates(plan)
        rows.append(
            RollupRow(
                unit=row.unit,
                indicator=row.indicator,
                facilities=row.facilities,
                community_scores=row.scores,
                community=_round(row.community),
                provider=_round(row.provider),
                gap=None
                if row.community is None or row.provider is None
                else round(row.community - row.provider, 2),
                # for an outsider: no group here was large enough to count
                suppressed=outsider and row.scores == 0,
                action_items=plan.items if plan else 0,
                completion_rate=completion,
                overdue_rate=overdue,
                monitor=_round(row.monitor),
                unit_kind=kinds.get(row.indicator, "scale"),
                label_mn=labels.get(row.indicator, ("", "", ""))[0],
                label_en=labels.get(row.indicator, ("", "", ""))[1],
                better=labels.get(row.indicator, ("", "", "unknown"))[2],
            )
        )
    checks = [i.key for i in document.indicators if isinstance(i.answer, MedicineCheck)]
    medicines = (
        await _medicines(
            db,
            await medicine_queries.rollup_medicines(
                db, principal, rounds, position, checks, *counted
            ),
        )
        if checks
        else []
    )
    area_row = await db.get(Area, area.upper())
    # each unit's indicators in the template's order, the raised ones after them
    order = {key: number for number, key in enumerate(labels)}
    rows.sort(key=lambda row: (row.unit or "", order.get(row.indicator, len(order)), row.indicator))
    return RollupOut(
        area=area.upper(),
        template=template,
        by=level,
        rows=rows,
        period=await _period(db, period, rounds),
        units=await _units(db, level, rounds, rows, plan_rows),
        medicines=medicines,
        area_name_mn=area_row.name_mn if area_row else area.upper(),
        area_name_en=area_row.name_en if area_row else area.upper(),
        template_name_mn=document.name.mn,
        template_name_en=document.name.en,
        approved_only=approved_only,
    )


async def pooled(
    db: AsyncSession,
    *,
    principal: Principal,
    area: str,
    template: str,
    period: Period,
    timezone: str = DEFAULT_TIMEZONE,
) -> Rounds:
    """The rounds a roll-up pools (`rollup_queries.Period`)."""
    query = rollup_queries.rollup_rounds(
        principal, template=template, area=area.upper(), period=period, timezone=timezone
    )
    return await rollup_queries.find_rounds(db, query)


async def _raised_labels(
    db: AsyncSession, principal: Principal, rounds: Rounds, known: set[str]
) -> dict[str, tuple[str, str, str]]:
    """The words of the rounds' selected raised indicators, by key (the first round's words
    the reader may read), and which way is better: the first round's that says it, else
    unknown. An issue whose words no reader-readable round passed has no row for outsiders
    (its key is the community's words too)."""
    if not rounds.ids:
        return {}
    passed = await pieces.passed_for(db, principal, rounds.ids)
    found: dict[str, tuple[str, str, str]] = {}
    for row in await db.scalars(
        select(CycleIndicator)
        .where(
            rollup_queries.among(CycleIndicator.cycle_id, rounds),
            CycleIndicator.status == "selected",
            CycleIndicator.deleted_at.is_(None),
        )
        .order_by(CycleIndicator.created_at, CycleIndicator.id)
    ):
        if row.key in known or not passed.shows_label(row):
            continue
        if row.key not in found:
            label = row.label
            found[row.key] = (label["mn"], label.get("en") or label["mn"], "unknown")
        mn, en, better = found[row.key]
        if better == "unknown":
            found[row.key] = (mn, en, raised.direction(row.better))
    return found


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _rates(plan: Any) -> tuple[float | None, float | None]:
    """Completion (done) and overdue rates over one denominator: the items not dropped."""
    open_items = (plan.items - plan.dropped) if plan else 0
    if not open_items:
        return None, None
    return round(plan.done / open_items, 3), round(plan.overdue / open_items, 3)


async def _period(db: AsyncSession, period: Period, rounds: Rounds) -> PeriodOut:
    campaign = await db.get(Campaign, period.campaign) if period.campaign else None
    return PeriodOut(
        kind=period.kind,
        since=period.since,
        until=period.until,
        campaign_id=period.campaign,
        campaign_label=campaign.label if campaign else None,
        rounds=len(rounds.ids),
        first_held=rounds.first_held,
        last_held=rounds.last_held,
    )


async def _units(
    db: AsyncSession,
    level: str,
    rounds: Rounds,
    rows: list[RollupRow],
    plan_rows: dict[str, Any],
) -> list[RollupUnitOut]:
    """The units by name, with their plans' rates once each."""
    facilities: dict[str, int] = defaultdict(int)
    for row in rows:
        if row.unit is not None:
            facilities[row.unit] = max(facilities[row.unit], row.facilities)
    codes = sorted(set(facilities) | set(plan_rows))
    if level == "facility":
        found = await db.execute(
            select(Facility.id, Facility.name_mn, Facility.name_en).where(
                Facility.id.in_([uuid.UUID(code) for code in codes])
            )
        )
        names = {str(id_): (mn, en) for id_, mn, en in found}
    else:
        names = await area_names(db, codes)
    out = []
    for code in codes:
        completion, overdue = _rates(plan_rows.get(code))
        mn, en = names.get(code, (code, code))
        plan = plan_rows.get(code)
        out.append(
            RollupUnitOut(
                unit=code,
                name_mn=mn,
                name_en=en,
                facilities=facilities.get(code, 0),
                action_items=plan.items if plan else 0,
                completion_rate=completion,
                overdue_rate=overdue,
                cycle_id=rounds.latest.get(uuid.UUID(code)) if level == "facility" else None,
            )
        )
    return sorted(out, key=lambda unit: unit.name_mn)


async def area_names(db: AsyncSession, codes: Iterable[str]) -> dict[str, tuple[str, str]]:
    """Areas' names in Mongolian and English, by code."""
    found = await db.execute(
        select(Area.code, Area.name_mn, Area.name_en).where(Area.code.in_(list(codes)))
    )
    return {code: (mn, en) for code, mn, en in found}


async def _medicines(db: AsyncSession, found: list[Any]) -> list[MedicineRollupRow]:
    """Each unit's tracer medicines, then its basket: availability and stock-outs averaged
    over the medicines, the median of their price ratios (each medicine weighs the same)."""
    names = {m.key: m for m in await db.scalars(select(TracerMedicine))}
    by_unit: dict[str, list[Any]] = defaultdict(list)
    for row in found:
        by_unit[row.unit].append(row)
    out = []
    for unit, rows in by_unit.items():
        out += [
            MedicineRollupRow(
                unit=unit,
                medicine=row.medicine,
                name_mn=names[row.medicine].name_mn,
                name_en=names[row.medicine].name_en,
                outlets=row.outlets,
                available=_round(row.available, 3),
                stockout_days_30=_round(row.stockout_30),
                stockout_days_90=_round(row.stockout_90),
                median_price_ratio=_round(row.price_ratio),
                originator_price_ratio=_round(row.originator_ratio),
            )
            for row in rows
        ]
        out.append(
            MedicineRollupRow(
                unit=unit,
                medicine=None,
                name_mn=None,
                name_en=None,
                outlets=max(row.outlets for row in rows),
                available=_round(_mean(row.available for row in rows), 3),
                stockout_days_30=_round(_mean(row.stockout_30 for row in rows)),
                stockout_days_90=_round(_mean(row.stockout_90 for row in rows)),
                median_price_ratio=_round(_median(row.price_ratio for row in rows)),
                originator_price_ratio=_round(_median(row.originator_ratio for row in rows)),
            )
        )
    return out


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.fmean(present) if present else None


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None
