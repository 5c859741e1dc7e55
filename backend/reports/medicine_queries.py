"""The monitors' medicine checks (WHO/HAI), computed in PostgreSQL over the checks the caller may
count: per round (the scorecard) and per unit of an area (the roll-up).

One row of `checks()` is one tracer medicine in one monitor's check: available when in stock
and not expired; the price ratios are the lowest generic (and the originator's) unit price over
the reference price, read only where the medicine was on the shelf."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Float,
    Integer,
    Numeric,
    Text,
    case,
    cast,
    column,
    func,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth import access
from backend.auth.policy import Principal
from backend.facilities.models import Facility
from backend.reports.queries import answers_of
from backend.reports.rollup_queries import Rounds, among, unit_of
from backend.scorecards.models import TracerMedicine
from backend.submissions.models import Submission


def checks(principal: Principal, indicators: Sequence[str], *where: ColumnElement[bool]) -> Any:
    """One row per tracer medicine per monitor's check that the caller may count."""
    answer = answers_of()
    medicine = (
        func.jsonb_each(answer.c.value["value"])
        .table_valued(column("key", Text), column("value", JSONB))
        .lateral("medicine")
    )
    found = medicine.c.value
    on_shelf = cast(found["in_stock"].astext, Boolean)
    available = case((on_shelf & ~cast(found["expired"].astext, Boolean), 1.0), else_=0.0)
    reference = TracerMedicine.reference_price_mnt
    return (
        select(
            Submission.facility_id,
            Submission.cycle_id,
            medicine.c.key.label("medicine"),
            available.label("available"),
            on_shelf.label("on_shelf"),
            cast(found["stockout_days_30"].astext, Integer).label("stockout_30"),
            cast(found["stockout_days_90"].astext, Integer).label("stockout_90"),
            cast(cast(found["generic_price"].astext, Numeric) / reference, Float).label("ratio"),
            cast(cast(found["originator_price"].astext, Numeric) / reference, Float).label("brand"),
        )
        .select_from(Submission)
        .join(answer, true())
        .join(medicine, true())
        .join(TracerMedicine, TracerMedicine.key == medicine.c.key)
        .where(
            Submission.deleted_at.is_(None),
            Submission.respondent == "monitor",
            access.publishable(principal),
            answer.c.key.in_(list(indicators)),
            func.jsonb_typeof(answer.c.value["value"]) == "object",
            *where,
        )
        .subquery("checks")
    )


def _median(value: Any, where: Any) -> Any:
    return cast(func.percentile_cont(0.5).within_group(value).filter(where), Float)


async def medicine_statistics(
    db: AsyncSession,
    principal: Principal,
    cycle_id: uuid.UUID,
    indicators: Sequence[str],
    *where: ColumnElement[bool],
) -> list[Any]:
    """Per tracer medicine over a round's checks: share available, mean stock-out days, and the
    median over the checks that found it on the shelf of its price ratios. The basket is
    computed from these rows, medicine by medicine."""
    c = checks(principal, indicators, Submission.cycle_id == cycle_id, *where).c
    query = (
        select(
            c.medicine,
            func.count().label("checks"),
            cast(func.avg(c.available), Float).label("available"),
            cast(func.avg(c.stockout_30), Float).label("stockout_30"),
            cast(func.avg(c.stockout_90), Float).label("stockout_90"),
            _median(c.ratio, c.on_shelf).label("price_ratio"),
            _median(c.brand, c.on_shelf).label("originator_ratio"),
        )
        .group_by(c.medicine)
        .order_by(c.medicine)
    )
    return list((await db.execute(query)).all())


async def rollup_medicines(
    db: AsyncSession,
    principal: Principal,
    rounds: Rounds,
    position: int | None,
    indicators: Sequence[str],
    *where: ColumnElement[bool],
) -> list[Any]:
    """Per unit and tracer medicine over the outlets checked in the rounds: each outlet's own
    figures first (its checks' mean availability and stock-outs, median price ratios), then
    the share of outlets, the mean and the median over the unit's outlets, so an outlet
    checked twice weighs as much as one checked once."""
    c = checks(principal, indicators, among(Submission.cycle_id, rounds), *where).c
    per_outlet = (
        select(
            c.facility_id,
            c.medicine,
            cast(func.avg(c.available), Float).label("available"),
            cast(func.avg(c.stockout_30), Float).label("stockout_30"),
            cast(func.avg(c.stockout_90), Float).label("stockout_90"),
            _median(c.ratio, c.on_shelf).label("ratio"),
            _median(c.brand, c.on_shelf).label("brand"),
        )
        .group_by(c.facility_id, c.medicine)
        .subquery("per_outlet")
    ).c
    unit = unit_of(position, per_outlet.facility_id, Area.lineage).label("unit")
    query = (
        select(
            unit,
            per_outlet.medicine,
            func.count().label("outlets"),
            cast(func.avg(per_outlet.available), Float).label("available"),
            cast(func.avg(per_outlet.stockout_30), Float).label("stockout_30"),
            cast(func.avg(per_outlet.stockout_90), Float).label("stockout_90"),
            _median(per_outlet.ratio, per_outlet.ratio.is_not(None)).label("price_ratio"),
            _median(per_outlet.brand, per_outlet.brand.is_not(None)).label("originator_ratio"),
        )
        .join(Facility, Facility.id == per_outlet.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .group_by(unit, per_outlet.medicine)
        .order_by(unit, per_outlet.medicine)
    )
    return list((await db.execute(query)).all())
