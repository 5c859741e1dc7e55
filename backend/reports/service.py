"""Results of a cycle: the community-provider comparison, under the disclosure rule."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles import raised
from backend.cycles import service as cycles
from backend.cycles.models import Cycle, CycleIndicator
from backend.cycles.sync import as_indicator
from backend.facilities.models import Facility
from backend.reports import community_words, matrix, medicine_queries, queries, rollup_queries
from backend.reports.aggregate import Cell, IndicatorResult, on_100
from backend.reports.occasion import occasion
from backend.reports.schemas import (
    CellOut,
    ChoiceOut,
    IndicatorOut,
    InputOut,
    MedicineOut,
    ScaleOut,
    ScorecardOut,
)
from backend.reviews import pieces
from backend.scorecards import service as templates
from backend.scorecards.document import (
    Entitlement,
    Indicator,
    MedicineCheck,
    MultiChoice,
    Number,
    Scale,
    SingleChoice,
    TemplateDocument,
    scale_key,
    template_scale,
)
from backend.scorecards.models import Template, TemplateVersion, TracerMedicine
from backend.settings import DEFAULT_TIMEZONE

NUMERIC = frozenset({"scale", "yes_no", "count", "number", "money"})
CHOICE = frozenset({"single_choice", "multi_choice"})
UNITS = {
    "scale": "scale",
    "yes_no": "share",
    "count": "count",
    "number": "number",
    "money": "mnt",
    "single_choice": "choices",
    "multi_choice": "choices",
}


@dataclass(frozen=True, slots=True)
class Scored:
    """An indicator the round scores: the template's, or one its groups raised."""

    indicator: Indicator
    # which way is better (IndicatorOut.better): a template indicator's higher or lower; a
    # raised one's as set, none, or unknown while unset
    better: str
    origin: str = "template"
    raised_by: list[str] = field(default_factory=list)
    # the key the reader reads, where it differs from the indicator's own (`raised.Reading`)
    key_shown: str | None = None


async def _previous_means(
    db: AsyncSession, principal: Principal, previous_id: uuid.UUID | None, approved_only: bool
) -> dict[str, float]:
    """The previous round's community means as the caller may count them (none if the round
    is hidden), from the per-round statistics; counted like this round's figures (approved
    submissions only, when asked)."""
    if previous_id is None:
        return {}
    if approved_only:
        return {
            row.indicator: float(row.mean)
            for row in await queries.cycle_statistics(
                db, principal, previous_id, *queries.approved(True)
            )
            if row.overall and row.respondent == "community" and row.mean is not None
        }
    return {
        row.indicator: float(row.community)
        for row in await rollup_queries.round_means(db, principal, [previous_id])
        if row.community is not None
    }


def _cell(row: Any) -> Cell:
    return Cell(
        group=None if row.overall else row.group_type,
        n=row.n,
        participants=int(row.participants or 0),
        mean=None if row.mean is None else float(row.mean),
        median=row.median,
        low=row.low,
        high=row.high,
    )


def _results(rows: list[Any]) -> dict[str, IndicatorResult]:
    results: dict[str, IndicatorResult] = {}
    for row in rows:
        result = results.setdefault(row.indicator, IndicatorResult(key=row.indicator))
        if row.respondent == "community":
            if row.overall:
                result.overall = _cell(row)
            else:
                result.groups.append(_cell(row))
        elif row.overall and row.respondent == "provider":
            result.provider_mean, result.provider_n = float(row.mean), row.n
        elif row.overall and row.respondent == "monitor":
            result.monitor_mean, result.monitor_n = float(row.mean), row.n
    return results


def _out(cell: Cell, kind: str, low: float | None, high: float | None) -> CellOut:
    return CellOut(
        group=cell.group,
        n=cell.n,
        participants=cell.participants,
        mean=_round(cell.mean),
        median=cell.median,
        min=cell.low,
        max=cell.high,
        # a cell an outsider may not see is not computed for them at all: what is shown is
        # never a masked figure
        suppressed=False,
        mean_100=on_100(cell.mean, kind, low, high),
    )


async def scorecard(
    db: AsyncSession,
    *,
    principal: Principal,
    cycle_id: uuid.UUID,
    timezone: str = DEFAULT_TIMEZONE,
    approved_only: bool = False,
) -> ScorecardOut:
    """The round's figures as the caller may count them; with `approved_only`, counted from
    the submissions a coordinator approved as they read now (`reviews.submissions`)."""
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
    facility = await db.get_one(Facility, cycle.facility_id)
    version = await db.get_one(TemplateVersion, cycle.template_version_id)
    template = await db.get_one(Template, version.template_id)
    document = templates.document_of(version)

    # every figure below is computed from what the caller may count (access.publishable)
    counted = queries.approved(approved_only)
    results = _results(await queries.cycle_statistics(db, principal, cycle.id, *counted))
    # the previous round only if the caller may see it: else neither its id nor its figures
    previous_id = cycles.named_previous(cycle, await cycles.previous_seen(db, principal, [cycle]))
    earlier = await _previous_means(db, principal, previous_id, approved_only)
    for key, result in results.items():
        result.previous_mean = earlier.get(key)
    passed = await pieces.passed_for(db, principal, {cycle.id})
    reasons = await community_words.readable(db, principal, cycle.id, passed)
    evidence = await queries.cycle_evidence(db, principal, cycle.id)
    indicators = []
    scored = [Scored(indicator, indicator.better) for indicator in document.indicators]
    reading = (await raised.readings(db, principal, {cycle.id}))[cycle.id]
    scored += await _raised(db, cycle, document, reading=reading)
    choosing = [i.key for i in document.indicators if i.answer.__struct_config__.tag in CHOICE]
    chosen: dict[str, dict[str, int]] = defaultdict(dict)
    if choosing:
        for row in await queries.choice_counts(db, principal, cycle.id, choosing, *counted):
            chosen[row.indicator][row.option] = row.n
    for entry in scored:
        indicator = entry.indicator
        kind = str(indicator.answer.__struct_config__.tag)
        if kind not in NUMERIC and kind not in CHOICE:
            continue
        low, high = (
            (indicator.answer.min, indicator.answer.max)
            if isinstance(indicator.answer, Scale)
            else (0, 1)
            if kind == "yes_no"
            else (None, None)
        )
        result = results.get(indicator.key, IndicatorResult(key=indicator.key))
        indicators.append(
            IndicatorOut(
                key=entry.key_shown or indicator.key,
                section=indicator.section,
                label_mn=indicator.label.mn,
                label_en=indicator.label.en,
                answer_type=kind,
                scale_min=low,
                scale_max=high,
                better=entry.better,
                community=_out(result.overall, kind, low, high) if result.overall else None,
                community_groups=[_out(cell, kind, low, high) for cell in result.groups],
                provider_mean=_round(result.provider_mean),
                provider_n=result.provider_n,
                monitor_mean=_round(result.monitor_mean),
                monitor_n=result.monitor_n,
                gap=result.gap,
                previous_mean=_round(result.previous_mean),
                change=result.change,
                reasons=reasons.get(indicator.key, []),
                evidence=evidence.get(indicator.key, []),
                origin=entry.origin,
                raised_by=entry.raised_by,
                choices=_choices(indicator, chosen.get(indicator.key, {})),
                unit=UNITS.get(kind, "scale"),
                community_100=on_100(
                    result.overall.mean if result.overall else None, kind, low, high
                ),
                provider_100=on_100(result.provider_mean, kind, low, high),
                monitor_100=on_100(result.monitor_mean, kind, low, high),
                unit_mn=indicator.answer.unit.mn if isinstance(indicator.answer, Number) else None,
                unit_en=indicator.answer.unit.en if isinstance(indicator.answer, Number) else None,
            )
        )
    checks = [
        indicator.key
        for indicator in document.indicators
        if isinstance(indicator.answer, MedicineCheck)
    ]
    medicines = await _medicines(db, principal, cycle.id, checks, counted) if checks else []
    tracked = {i.key: i for i in document.indicators if isinstance(i.answer, Entitlement)}
    inputs = [
        _input(tracked[row.indicator], row, evidence.get(row.indicator, []))
        for row in (
            await queries.input_statistics(db, principal, cycle.id, list(tracked), *counted)
            if tracked
            else []
        )
    ]
    scale = template_scale(document)
    return ScorecardOut(
        cycle_id=cycle.id,
        label=cycle.label,
        label_mn=cycle.label_for("mn"),
        label_en=cycle.label_for("en"),
        phase=cycle.phase,
        facility_id=facility.id,
        facility_name_mn=facility.name_mn,
        facility_name_en=facility.name_en,
        template_key=template.key,
        template_version=version.number,
        previous_cycle_id=previous_id,
        published=cycle.published_at is not None,
        # for the team, whether anything awaits review; for outsiders only whether the round
        # was reviewed as a whole (what awaits would tell of pieces they may never read)
        reasons_reviewed=await pieces.all_decided(db, cycle.id)
        if not access.is_outsider(principal)
        else cycle.reasons_reviewed_at is not None,
        suppressed_cells=await queries.withheld_groups(db, principal, cycle.id),
        indicators=indicators,
        medicines=medicines,
        medicines_evidence=[sha for key in checks for sha in evidence.get(key, [])],
        inputs=inputs,
        scale=ScaleOut(key=scale_key(scale.min, scale.max), min=scale.min, max=scale.max),
        # the same cells as `indicators`, laid out by group: one computation, one rule
        matrix=matrix.build(
            indicators,
            planned=[group.get("type", "") for group in cycle.planned_groups or []],
            compared={
                entry.key_shown or entry.indicator.key
                for entry in scored
                if {"community", "provider"} & set(entry.indicator.respondents)
            },
        ),
        template_name_mn=document.name.mn,
        template_name_en=document.name.en,
        occasion=await occasion(db, principal, cycle, facility, timezone=timezone),
        approved_only=approved_only,
    )


def _choices(indicator: Indicator, counts: dict[str, int]) -> list[ChoiceOut]:
    """Every option of a choice indicator in the template's order, chosen or not."""
    answer = indicator.answer
    if not isinstance(answer, SingleChoice | MultiChoice):
        return []
    return [
        ChoiceOut(
            option=option.key,
            label_mn=option.label.mn,
            label_en=option.label.en,
            count=counts.get(option.key, 0),
        )
        for option in answer.options
    ]


def _input(indicator: Indicator, row: Any, evidence: list[str]) -> InputOut:
    assert isinstance(indicator.answer, Entitlement)
    shortfall = None if row.entitled is None or row.actual is None else row.entitled - row.actual
    return InputOut(
        key=indicator.key,
        label_mn=indicator.label.mn,
        label_en=indicator.label.en,
        unit_mn=indicator.answer.unit.mn,
        unit_en=indicator.answer.unit.en,
        respondent=row.respondent,
        n=row.n,
        entitled=_round(row.entitled),
        actual=_round(row.actual),
        shortfall=_round(shortfall),
        shortfall_share=(
            None if shortfall is None or not row.entitled else round(shortfall / row.entitled, 3)
        ),
        evidence=evidence,
    )


async def _raised(
    db: AsyncSession, cycle: Cycle, document: TemplateDocument, *, reading: raised.Reading
) -> list[Scored]:
    """The round's selected raised indicators, scored beside the template's, each read in its
    own direction (unknown while nobody has set it). Scored by their own keys; shown with the
    key, words and groups the reader may read (`raised.Reading`)."""
    rows = list(
        await db.scalars(
            select(CycleIndicator)
            .where(CycleIndicator.cycle_id == cycle.id, CycleIndicator.deleted_at.is_(None))
            .order_by(CycleIndicator.created_at, CycleIndicator.id)
        )
    )
    shown = {out.id: out for out in raised.stand(rows, reading=reading)}
    # a raised indicator is scored on the template's scale
    scale = template_scale(document)
    return [
        Scored(
            indicator=as_indicator(
                {
                    "key": out.key,
                    "kind": out.kind,
                    "origin": out.origin,
                    "label": {"mn": seen.label_mn, "en": seen.label_en},
                    "better": out.better,
                },
                scale,
            ),
            better=raised.direction(out.better),
            origin=out.origin,
            raised_by=seen.raised_by,
            key_shown=seen.key,
        )
        for out in raised.stand(rows, reading=raised.INSIDER)
        if out.status == "selected" and (seen := shown.get(out.id)) is not None
    ]


async def _medicines(
    db: AsyncSession,
    principal: Principal,
    cycle_id: uuid.UUID,
    checks: list[str],
    counted: tuple[ColumnElement[bool], ...] = (),
) -> list[MedicineOut]:
    """Each tracer medicine, then the basket: the mean of the medicines' availability and
    stock-out days, and the median of their median price ratios (WHO/HAI: every medicine
    weighs the same, however often it was checked)."""
    names = {m.key: m for m in await db.scalars(select(TracerMedicine))}
    rows = await medicine_queries.medicine_statistics(db, principal, cycle_id, checks, *counted)
    out = [
        MedicineOut(
            key=row.medicine,
            name_mn=names[row.medicine].name_mn,
            name_en=names[row.medicine].name_en,
            form_mn=names[row.medicine].form_mn,
            form_en=names[row.medicine].form_en,
            checks=row.checks,
            available=round(row.available, 3),
            stockout_days_30=_round(row.stockout_30),
            stockout_days_90=_round(row.stockout_90),
            median_price_ratio=_round(row.price_ratio),
            originator_price_ratio=_round(row.originator_ratio),
        )
        for row in rows
    ]
    if not rows:
        return out  # a round with no medicine check yet: no basket to show
    out.append(
        MedicineOut(
            key=None,
            name_mn=None,
            name_en=None,
            checks=max(row.checks for row in rows),
            available=round(statistics.fmean(row.available for row in rows), 3),
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


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
