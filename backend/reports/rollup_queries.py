"""The SQL of roll-ups: which rounds of an area count, and their scores and action plans per
unit, each from what the caller may see and count (the disclosure rule of
`backend/auth/access.py`, through `queries.countable_statistics`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Float,
    Integer,
    Select,
    Text,
    Uuid,
    any_,
    bindparam,
    cast,
    func,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import ARRAY, distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem
from backend.action_plans.service import overdue_clause
from backend.areas.models import Area
from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles.models import Cycle
from backend.facilities.models import Facility
from backend.reports.models import CycleStatistic
from backend.reports.queries import countable_statistics, scored_answers
from backend.scorecards.models import Template, TemplateVersion
from backend.submissions.models import Submission


def first_session(principal: Principal) -> Any:
    """Per round (laterally, beside a Cycle row): when its first community scoring session
    that the caller may count was collected. A small group's session never moves an
    outsider's round from one period to another."""
    return (
        select(Submission.collected_at.label("at"))
        .where(
            Submission.cycle_id == Cycle.id,
            Submission.respondent == "community",
            Submission.deleted_at.is_(None),
            access.publishable(principal),
        )
        # the first in the index that counts (ix_submission_first_session), not all of them
        .order_by(Submission.collected_at)
        .limit(1)
        .lateral("first_session")
    )


@dataclass(frozen=True, slots=True)
class Period:
    """Which rounds a roll-up pools: those of one campaign, those held in [since, until), or,
    when neither is asked for, each facility's latest published round (what the public reads
    of it now)."""

    since: date | None = None
    until: date | None = None
    campaign: uuid.UUID | None = None

    @property
    def kind(self) -> str:
        if self.campaign is not None:
            return "campaign"
        if self.since is not None or self.until is not None:
            return "held"
        return "latest_published"


def held_on(first: Any, timezone: str) -> Any:
    """The programme's date a round was held: its first community session the caller may
    count, or, while it has none, the date it was opened."""
    return cast(func.timezone(timezone, func.coalesce(first.c.at, Cycle.opened_at)), Date)


def rollup_rounds(
    principal: Principal, *, template: str, area: str, period: Period, timezone: str
) -> Select[Any]:
    """The rounds (id, facility, held date) of one template in an area that the caller may
    see, as the period selects them (`Period`)."""
    first = first_session(principal)
    held = held_on(first, timezone)
    query = (
        select(Cycle.id, Cycle.facility_id, held.label("held_on"))
        .join(Facility, Facility.id == Cycle.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .join(TemplateVersion, TemplateVersion.id == Cycle.template_version_id)
        .join(Template, Template.id == TemplateVersion.template_id)
        .outerjoin(first, true())
        .where(
            Template.key == template,
            Area.lineage.contains([area]),
            access.round_visible(principal),
        )
    )
    if period.kind == "campaign":
        return query.where(Cycle.campaign_id == period.campaign)
    if period.kind == "held":
        return query.where(held >= (period.since or date.min), held < (period.until or date.max))
    return (
        query.where(Cycle.published_at.is_not(None))
        .ext(distinct_on(Cycle.facility_id))
        .order_by(Cycle.facility_id, held.desc(), Cycle.opened_at.desc(), Cycle.id.desc())
    )


def unit_of(position: int | None, facility_id: Any, lineage: Any) -> Any:
    """A row's unit: the facility itself, or its area at a position in the lineage."""
    return cast(facility_id, Text) if position is None else lineage[position]


@dataclass(frozen=True, slots=True)
class Rounds:
    """The rounds a roll-up counts, found once for both of its queries."""

    ids: list[uuid.UUID]
    # some facility has more than one round among them
    repeated: bool
    # the first and the last day they were held on
    first_held: date | None = None
    last_held: date | None = None
    # per facility, its latest round among them
    latest: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)


async def find_rounds(db: AsyncSession, query: Select[Any]) -> Rounds:
    """The rounds of a `rollup_rounds` query, and the settings of the queries that follow in
    the transaction: every roll-up is planned for the values it is given (a plan made once for
    "some area, some array of rounds" guesses ten rounds, and sorts 75,000 rows by text where
    it should hash them), and a national roll-up of rounds repeated (one group per facility
    and indicator, 75,000 for 2,500 schools) is kept in memory, not spilled to disk. What this
    transaction wrote to submissions is added to the statistics first (at commit otherwise)."""
    await db.execute(
        select(
            func.set_config("plan_cache_mode", "force_custom_plan", True),
            func.set_config("work_mem", "32MB", True),
            func.cycle_statistic_apply(),
        )
    )
    rows = (await db.execute(query)).all()
    latest: dict[uuid.UUID, Any] = {}
    for row in sorted(rows, key=lambda row: (row.held_on, str(row.id))):
        latest[row.facility_id] = row.id
    return Rounds(
        ids=[row.id for row in rows],
        repeated=len(latest) < len(rows),
        first_held=min((row.held_on for row in rows), default=None),
        last_held=max((row.held_on for row in rows), default=None),
        latest=latest,
    )


def among(column: Any, rounds: Rounds) -> ColumnElement[bool]:
    """The column is one of the rounds: one array parameter, however many rounds."""
    among: ColumnElement[bool] = column == any_(
        bindparam("rounds", rounds.ids, type_=ARRAY(Uuid()), unique=True)
    )
    return among


async def rollup_scores(
    db: AsyncSession,
    principal: Principal,
    rounds: Rounds,
    position: int | None,
    *where: ColumnElement[bool],
) -> list[Any]:
    """Per unit and indicator: facilities, community scores, participants and means, every
    facility weighing the same: each facility's mean over its sessions (community) or its
    self-assessments (provider) first, then the mean of those over the unit's facilities, so
    a school with two rounds does not outweigh three schools with one.

    Read from the per-cycle statistics, what the caller may count only
    (`queries.countable_statistics`): the answers `queries.scored_answers` would give them,
    summed per round and indicator as they were written. With `where` (approved submissions
    only), the statistics cannot say which answers it keeps: the answers themselves are read."""
    if where:
        return await _grouped(db, _answered_per_facility(principal, rounds, where), position)
    stat = CycleStatistic
    counted = countable_statistics(principal)

    def total(column: Any, kind: Any = Integer) -> Any:
        # A facility's rounds summed, where it has several in the period; with one round each
        # (the usual roll-up) its row is its figure, and one grouping does the rest. As int
        # or float: numeric aggregates take ten times the memory per group.
        return func.sum(cast(column, kind)) if rounds.repeated else cast(column, kind)

    def mean(sum_: Any, n: Any) -> Any:
        # None where nothing was counted
        return total(sum_, Float) / cast(func.nullif(total(n), 0), Float)

    per_facility = select(
        stat.facility_id,
        stat.indicator,
        total(counted.community_n).label("scores"),
        total(counted.community_participants).label("participants"),
        mean(counted.community_total, counted.community_n).label("community"),
        mean(stat.provider_total, stat.provider_n).label("provider"),
        mean(stat.monitor_total, stat.monitor_n).label("monitor"),
    ).where(among(stat.cycle_id, rounds), counted.where)
    if rounds.repeated:
        per_facility = per_facility.group_by(stat.facility_id, stat.indicator)
    return await _grouped(db, per_facility, position)


def _answered_per_facility(
    principal: Principal, rounds: Rounds, where: tuple[ColumnElement[bool], ...]
) -> Select[Any]:
    """`rollup_scores`' per-facility figures read from the answers the caller may count and
    `where` keeps (`queries.scored_answers`), the rounds of a facility pooled."""
    s = scored_answers(principal, among(Submission.cycle_id, rounds), *where)
    community = s.c.respondent == "community"
    return select(
        s.c.facility_id,
        s.c.indicator,
        cast(func.count().filter(community), Integer).label("scores"),
        cast(func.coalesce(func.sum(s.c.people).filter(community), 0), Integer).label(
            "participants"
        ),
        cast(func.avg(s.c.score).filter(community), Float).label("community"),
        cast(func.avg(s.c.score).filter(s.c.respondent == "provider"), Float).label("provider"),
        cast(func.avg(s.c.score).filter(s.c.respondent == "monitor"), Float).label("monitor"),
    ).group_by(s.c.facility_id, s.c.indicator)


async def _grouped(db: AsyncSession, per_facility: Select[Any], position: int | None) -> list[Any]:
    """Per-facility figures grouped by unit, every facility weighing the same."""
    f = per_facility.subquery("per_facility").c
    unit = unit_of(position, f.facility_id, Area.lineage).label("unit")
    query = (
        select(
            unit,
            f.indicator,
            func.count().label("facilities"),
            cast(func.sum(f.scores), Integer).label("scores"),
            func.sum(f.participants).label("participants"),
            func.avg(f.community).label("community"),
            func.avg(f.provider).label("provider"),
            func.avg(f.monitor).label("monitor"),
        )
        .join(Facility, Facility.id == f.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .group_by(unit, f.indicator)
        .order_by(unit, f.indicator)
    )
    return list((await db.execute(query)).all())


async def rollup_plans(
    db: AsyncSession,
    principal: Principal,
    rounds: Rounds,
    position: int | None,
    today: date,
) -> dict[str, Any]:
    """Per unit: action items, done, dropped and overdue ones, of the rounds given."""
    unit = unit_of(position, ActionItem.facility_id, Area.lineage).label("unit")
    query = (
        select(
            unit,
            func.count().label("items"),
            func.count().filter(ActionItem.status == "done").label("done"),
            func.count().filter(ActionItem.status == "dropped").label("dropped"),
            func.count().filter(overdue_clause(today)).label("overdue"),
        )
        .join(Facility, Facility.id == ActionItem.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .where(
            ActionItem.deleted_at.is_(None),
            among(ActionItem.cycle_id, rounds),
            access.action_item_visible(principal),
        )
        .group_by(unit)
    )
    return {row.unit: row for row in await db.execute(query)}


async def round_means(
    db: AsyncSession, principal: Principal, cycle_ids: Sequence[uuid.UUID]
) -> list[Any]:
    """Per (round, indicator) with an answer the caller may count: the community mean over its
    sessions and the provider's mean, from the per-cycle statistics; the figures of
    `rounds.round_means` (the index, trends, "did it work?") without reading the answers."""
    stat = CycleStatistic
    counted = countable_statistics(principal)
    await db.execute(select(func.cycle_statistic_apply()))  # this transaction's writes
    query = select(
        stat.cycle_id,
        stat.indicator,
        (
            cast(counted.community_total, Float) / cast(func.nullif(counted.community_n, 0), Float)
        ).label("community"),
        (cast(stat.provider_total, Float) / cast(func.nullif(stat.provider_n, 0), Float)).label(
            "provider"
        ),
    ).where(stat.cycle_id.in_(list(cycle_ids)), counted.where)
    return list((await db.execute(query)).all())
