"""The responsiveness index: how well an area's facilities and governments answer what
communities raise, per soum, aimag or the nation, for the rounds held in a period (as
roll-ups count them: the date of the first community session).

Formula version 1 (README, "Responsiveness index", has a worked example). Four components,
each a share between 0 and 1 with its base `n`:

- on_time: of the action items due by the period's end (or today, if earlier) and not dropped,
  the share done by their due date (the first report saying done, else the day the item was
  marked done);
- money: of the approved items with a cost, the money spent (each item's up to its cost)
  against the money committed;
- gap_closed: of the (round, indicator) pairs read in a round and in the facility's previous
  round by both the community and the provider, the share whose community-provider gap
  narrowed (on the 0-100 scale). The gap's size is the same whichever way is better, so a
  raised indicator counts here whether or not its direction is known;
- participation: of the priority focus groups planned for the rounds past community scoring
  (women, herders, people with disabilities), the share heard: a scored community session of
  that group with at least MIN_GROUP_SIZE people.

A component whose base is under MIN_BASE is suppressed (no value). The index is 100 times the
mean of the components shown, given only when at least three are shown. Scores are those the
caller may count (an outsider's from publishable cells only); participation counts a group as
heard only at a publishable size, so it is the same for every reader."""

from __future__ import annotations

import statistics
import uuid
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem, ActionUpdate
from backend.auth import access
from backend.auth.access import MIN_GROUP_SIZE
from backend.auth.policy import Principal
from backend.cycles import phases
from backend.cycles.models import Cycle
from backend.errors import InvalidInput
from backend.reports import rounds as facts
from backend.reports.followthrough_schemas import ComponentOut, IndexOut, IndexRow
from backend.scorecards.models import Template
from backend.submissions.models import Submission

VERSION = 1
MIN_BASE = 5
MIN_COMPONENTS = 3
# a round's groups are heard by the end of community scoring
HEARD_BY = "community_scoring"
PRIORITY_GROUPS = ("women", "herders", "people_with_disabilities")
COMPONENTS = ("on_time", "money", "gap_closed", "participation")
LEVELS = {"soum": 3, "aimag": 2, "nation": 1}


@dataclass
class Tally:
    """One component's count for one unit: `hits` of `n` (money: spent of committed)."""

    hits: float = 0
    n: int = 0
    base: float = 0  # for money: the money committed

    def share(self) -> float | None:
        if self.n < MIN_BASE:
            return None
        if self.base:
            return min(1.0, self.hits / self.base)
        return self.hits / self.n


@dataclass
class Unit:
    components: dict[str, Tally] = field(
        default_factory=lambda: {name: Tally() for name in COMPONENTS}
    )


def _unit_of(round_: facts.Round, position: int) -> str:
    return round_.lineage[position - 1] if len(round_.lineage) >= position else round_.lineage[-1]


async def responsiveness(
    db: AsyncSession,
    *,
    principal: Principal,
    area: str,
    by: str,
    since: date,
    until: date,
    today: date,
    timezone: str,
    family: str | None = None,
    among: Collection[uuid.UUID] | None = None,
) -> IndexOut:
    """The index of the rounds held in [since, until); of one template family's rounds only,
    where given; of those rounds only (`among`: the rounds a roll-up pools), where given."""
    if by not in LEVELS:
        raise InvalidInput(f"by is one of {', '.join(LEVELS)}", field="by")
    where = [facts.in_area(area)]
    if family is not None:
        where.append(Template.family == family)
    inside = facts.visible_rounds(principal, *where, timezone=timezone).subquery()
    query: Any = select(inside).where(inside.c.held_on >= since, inside.c.held_on < until)
    if among is not None:
        query = query.where(inside.c.id.in_(list(among)))
    rounds = await facts.load_rounds(db, query)
    unit_of = {r.id: _unit_of(r, LEVELS[by]) for r in rounds.values()}
    # every unit with a round has a row
    units: dict[str, Unit] = {name: Unit() for name in unit_of.values()}
    await _commitments(db, principal, rounds, unit_of, units, min(until, today), timezone)
    await _gaps(db, principal, rounds, unit_of, units)
    await _participation(db, rounds, unit_of, units)
    rows = []
    for name, unit in sorted(units.items()):
        components = [
            ComponentOut(
                key=key,
                value=None if (share := tally.share()) is None else round(share, 3),
                n=tally.n,
                suppressed=tally.n < MIN_BASE,
            )
            for key, tally in unit.components.items()
        ]
        shown = [c.value for c in components if c.value is not None]
        rows.append(
            IndexRow(
                unit=name,
                rounds=sum(1 for r in rounds if unit_of[r] == name),
                index=round(100 * statistics.fmean(shown), 1)
                if len(shown) >= MIN_COMPONENTS
                else None,
                components=components,
            )
        )
    return IndexOut(area=area.upper(), by=by, since=since, until=until, version=VERSION, rows=rows)


async def _commitments(
    db: AsyncSession,
    principal: Principal,
    rounds: dict[uuid.UUID, facts.Round],
    unit_of: dict[uuid.UUID, str],
    units: dict[str, Unit],
    judged_by: date,
    timezone: str,
) -> None:
    if not rounds:
        return
    # each item once, with its reports beside it: the first saying done, the money spent
    u = ActionUpdate
    rows = await db.execute(
        select(
            ActionItem.cycle_id,
            ActionItem.status,
            ActionItem.due_on,
            ActionItem.approval,
            ActionItem.cost_mnt,
            func.date(func.timezone(timezone, ActionItem.updated_at)).label("updated_on"),
            func.min(u.reported_on).filter(u.status == "done").label("done_on"),
            func.coalesce(func.sum(u.spent_mnt), 0).label("spent"),
        )
        .outerjoin(u, and_(u.action_item_id == ActionItem.id, u.deleted_at.is_(None)))
        .where(
            facts.among(ActionItem.cycle_id, rounds),
            ActionItem.deleted_at.is_(None),
            access.action_item_visible(principal),
        )
        .group_by(ActionItem.id)
    )
    for row in rows:
        unit = units[unit_of[row.cycle_id]].components
        if row.status != "dropped" and row.due_on is not None:
            finished_on = row.done_on or (row.updated_on if row.status == "done" else None)
            if row.status == "done" or row.due_on < judged_by:
                unit["on_time"].n += 1
                if row.status == "done" and finished_on is not None and finished_on <= row.due_on:
                    unit["on_time"].hits += 1
        if row.approval == "approved" and row.cost_mnt:
            money = unit["money"]
            money.n += 1
            money.base += row.cost_mnt
            # an item counts up to its cost: one over-reported item does not cover the others
            money.hits += min(int(row.spent), row.cost_mnt)


async def _gaps(
    db: AsyncSession,
    principal: Principal,
    rounds: dict[uuid.UUID, facts.Round],
    unit_of: dict[uuid.UUID, str],
    units: dict[str, Unit],
) -> None:
    pairs = [(r.id, r.previous_id) for r in rounds.values() if r.previous_id is not None]
    if not pairs:
        return
    involved = {cycle for pair in pairs for cycle in pair if cycle is not None}
    measures = await facts.measures(db, involved)
    means = await facts.round_means(db, principal, involved)
    for now, before in pairs:
        assert before is not None
        here, there = measures.get(now, {}), measures.get(before, {})
        for key, measure in here.items():
            if key not in there:
                continue
            a, b = means.get((now, key)), means.get((before, key))
            if a is None or b is None:
                continue
            gap_now = _gap(measure, a)
            gap_before = _gap(there[key], b)
            if gap_now is None or gap_before is None:
                continue
            tally = units[unit_of[now]].components["gap_closed"]
            tally.n += 1
            tally.hits += 1 if gap_now < gap_before else 0


def _gap(measure: facts.Measure, means: facts.Means) -> float | None:
    community, provider = measure.on_100(means.community), measure.on_100(means.provider)
    if community is None or provider is None:
        return None
    return abs(community - provider)


async def _participation(
    db: AsyncSession,
    rounds: dict[uuid.UUID, facts.Round],
    unit_of: dict[uuid.UUID, str],
    units: dict[str, Unit],
) -> None:
    if not rounds:
        return
    wanted: dict[uuid.UUID, set[str]] = {}
    for cycle_id, groups, phase in await db.execute(
        select(Cycle.id, Cycle.planned_groups, Cycle.phase).where(facts.among(Cycle.id, rounds))
    ):
        if phases.position(phase) <= phases.position(HEARD_BY):
            continue  # its groups may still be heard
        planned = {g.get("type") for g in groups or []} & set(PRIORITY_GROUPS)
        if planned:
            wanted[cycle_id] = planned
    if not wanted:
        return
    heard = {
        (row.cycle_id, row.group_type)
        for row in await db.execute(
            select(Submission.cycle_id, Submission.group["type"].astext.label("group_type"))
            .where(
                facts.among(Submission.cycle_id, wanted),
                Submission.respondent == "community",
                Submission.deleted_at.is_(None),
                Submission.participants >= MIN_GROUP_SIZE,
                Submission.group["type"].astext.in_(PRIORITY_GROUPS),
            )
            .distinct()
        )
    }
    for cycle_id, planned in wanted.items():
        tally = units[unit_of[cycle_id]].components["participation"]
        tally.n += len(planned)
        tally.hits += sum(1 for group in planned if (cycle_id, group) in heard)
