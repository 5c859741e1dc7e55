"""What follow-through reports need of rounds: a facility's rounds of one template in order,
how each indicator of a round reads (its kind, scale, which way is better, its tag), and each
indicator's community and provider means as the caller may count them.

Means come from `queries.scored_answers`, so an outsider's figures are from publishable cells
only (the disclosure rule of `backend/auth/access.py`), exactly like the scorecard's."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Date,
    Select,
    Uuid,
    bindparam,
    cast,
    func,
    select,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles import raised
from backend.cycles.models import Cycle, CycleIndicator
from backend.facilities.models import Facility
from backend.reports import rollup_queries
from backend.reports.rollup_queries import first_session
from backend.scorecards import service as templates
from backend.scorecards.document import Scale, template_scale
from backend.scorecards.models import Template, TemplateVersion


@dataclass(frozen=True, slots=True)
class Round:
    id: uuid.UUID
    facility_id: uuid.UUID
    template: str
    family: str
    label: str
    opened_at: datetime
    # the programme's date of its first community session the caller may count, else of its
    # opening (rollup_queries.rollup_rounds)
    held_on: date
    lineage: tuple[str, ...]
    # the facility's previous and next rounds of the same template that the caller may see
    previous_id: uuid.UUID | None
    next_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class Measure:
    """How an indicator of a round reads: on the common 0-100 scale where it has one."""

    kind: str
    low: float | None
    high: float | None
    # higher or lower; a raised indicator's may also be none or unknown (raised.direction)
    better: str
    tag: str | None

    def on_100(self, value: float | None) -> float | None:
        """On the common 0-100 scale, unrounded (figures are rounded once, where shown)."""
        if value is None:
            return None
        if self.kind == "yes_no":
            return value * 100
        if self.kind == "scale" and self.low is not None and self.high is not None:
            return (
                (value - self.low) / (self.high - self.low) * 100 if self.high > self.low else None
            )
        return None


def toward_better(change: float, better: str | None) -> float | None:
    """A change read so that positive is better; None where no direction is known (a raised
    indicator nobody has set, or one where a direction has no meaning)."""
    if better == "higher":
        return change
    if better == "lower":
        return -change
    return None


@dataclass(frozen=True, slots=True)
class Means:
    community: float | None
    provider: float | None


def visible_rounds(principal: Principal, *where: Any, timezone: str) -> Select[Any]:
    """Rounds the caller may see, each with the date it was held (as roll-ups count it) and
    its facility's previous and next round of the same template (by opening) among those the
    caller may see."""
    partition = (Cycle.facility_id, Template.key)
    order = (Cycle.opened_at, Cycle.id)
    first = first_session(principal)
    query: Select[Any] = (
        select(
            Cycle.id,
            Cycle.facility_id,
            Template.key.label("template"),
            Cycle.label,
            Cycle.opened_at,
            cast(func.timezone(timezone, func.coalesce(first.c.at, Cycle.opened_at)), Date).label(
                "held_on"
            ),
            Cycle.template_version_id,
            Area.lineage,
            func.lag(Cycle.id).over(partition_by=partition, order_by=order).label("previous_id"),
            func.lead(Cycle.id).over(partition_by=partition, order_by=order).label("next_id"),
        )
        .join(Facility, Facility.id == Cycle.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .join(TemplateVersion, TemplateVersion.id == Cycle.template_version_id)
        .join(Template, Template.id == TemplateVersion.template_id)
        .outerjoin(first, true())
        .where(access.round_visible(principal), *where)
    )
    return query


def among(column: Any, ids: Iterable[uuid.UUID]) -> ColumnElement[bool]:
    """The column is one of the ids: one array parameter however many rounds, unnested so that
    PostgreSQL hashes it (`= ANY(array)` compares every row with every id)."""
    given = bindparam("ids", sorted(set(ids)), type_=ARRAY(Uuid()), unique=True)
    found: ColumnElement[bool] = column.in_(select(func.unnest(given)))
    return found


def at_facility(facility_id: uuid.UUID) -> ColumnElement[bool]:
    return Cycle.facility_id == facility_id


def in_area(area: str) -> ColumnElement[bool]:
    return Area.lineage.contains([area.upper()])


async def load_rounds(db: AsyncSession, query: Select[Any]) -> dict[uuid.UUID, Round]:
    rows = (await db.execute(query)).all()
    families = await _families(db, {row.template_version_id for row in rows})
    return {
        row.id: Round(
            id=row.id,
            facility_id=row.facility_id,
            template=row.template,
            family=families[row.template_version_id],
            label=row.label,
            opened_at=row.opened_at,
            held_on=row.held_on,
            lineage=tuple(row.lineage),
            previous_id=row.previous_id,
            next_id=row.next_id,
        )
        for row in rows
    }


async def _families(db: AsyncSession, version_ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not version_ids:
        return {}
    versions = await db.scalars(select(TemplateVersion).where(TemplateVersion.id.in_(version_ids)))
    return {version.id: templates.document_of(version).family for version in versions}


async def measures(
    db: AsyncSession, cycle_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Measure]]:
    """Per round, each template indicator and selected raised indicator as it reads."""
    ids = set(cycle_ids)
    if not ids:
        return {}
    rounds = (
        await db.execute(select(Cycle.id, Cycle.template_version_id).where(Cycle.id.in_(ids)))
    ).all()
    versions = {
        version.id: templates.document_of(version)
        for version in await db.scalars(
            select(TemplateVersion).where(
                TemplateVersion.id.in_({version_id for _, version_id in rounds})
            )
        )
    }
    out: dict[uuid.UUID, dict[str, Measure]] = {}
    scales: dict[uuid.UUID, Scale] = {}
    for cycle_id, version_id in rounds:
        document = versions[version_id]
        scales[cycle_id] = template_scale(document)
        out[cycle_id] = {}
        for indicator in document.indicators:
            answer = indicator.answer
            kind = str(answer.__struct_config__.tag)
            low, high = (
                (answer.min, answer.max)
                if isinstance(answer, Scale)
                else (0, 1)
                if kind == "yes_no"
                else (None, None)
            )
            out[cycle_id][indicator.key] = Measure(kind, low, high, indicator.better, None)
    selected = await db.scalars(
        select(CycleIndicator).where(
            CycleIndicator.cycle_id.in_(ids),
            CycleIndicator.status == "selected",
            CycleIndicator.deleted_at.is_(None),
        )
    )
    for row in selected:
        scale = scales[row.cycle_id]
        low, high = (
            (scale.min, scale.max)
            if row.kind == "scale"
            else (0, 1)
            if row.kind == "yes_no"
            else (None, None)
        )
        out[row.cycle_id][row.key] = Measure(
            row.kind, low, high, raised.direction(row.better), row.tag
        )
    return out


async def round_means(
    db: AsyncSession, principal: Principal, cycle_ids: Iterable[uuid.UUID]
) -> dict[tuple[uuid.UUID, str], Means]:
    """Per (round, indicator): the community mean over its sessions and the provider's mean,
    from what the caller may count (the per-round statistics, `rollup_queries.round_means`)."""
    ids = sorted(set(cycle_ids))
    if not ids:
        return {}
    return {
        (row.cycle_id, row.indicator): Means(
            None if row.community is None else float(row.community),
            None if row.provider is None else float(row.provider),
        )
        for row in await rollup_queries.round_means(db, principal, ids)
    }


def counterpart(key: str, here: dict[str, Measure], there: dict[str, Measure]) -> list[str]:
    """The indicators of another round that read the same as `key` here: the same key, or for
    a raised indicator, the other round's raised indicators with the same tag."""
    measure = here.get(key)
    if measure is None:
        return []
    if measure.tag is not None:
        tagged = [other for other, m in there.items() if m.tag == measure.tag]
        if tagged:
            return tagged
    return [key] if key in there else []
