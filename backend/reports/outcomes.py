"""Did it work? Each action item read against its facility's next round.

For an item, its linked indicators (`indicator_keys`; a raised indicator is matched in the
next round by its tag) are read in the round that agreed the item and in the facility's next
round of the same template, on the common 0-100 scale, toward the better direction:

- community change: the mean, over the linked indicators read in both rounds, of the change
  in the community score (positive is better);
- gap change: the mean change of the community-provider gap's size (negative: it closed);
- outcome: done or not done (the item's status), crossed with improved (community change
  above 0) or not.

Which way is better is the indicator's: a template's says higher or lower; a raised one's is
what facilitators set, in either round (the two rounds' tagged indicators must not disagree).
An indicator without a known direction (unset, or "none") adds nothing to the community
change, though its gap's size still counts: the size is the same whichever way is good.

Dropped items, items whose facility has no next round yet, items whose indicators were not
scored in both rounds, and items whose scored indicators have no known direction are not
judged, and say why. Scores are those the caller may count:
an outsider's from publishable cells only."""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem, ActionUpdate
from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles import service as cycles
from backend.errors import InvalidInput
from backend.reports import rounds as facts
from backend.reports.followthrough_schemas import (
    ItemOutcomeOut,
    OutcomeRow,
    OutcomesOut,
    RoundOutcomesOut,
)

CLASSES = ("done_improved", "done_not_improved", "not_done_improved", "not_done_not_improved")
AREA_LEVELS = {"aimag": 2, "soum": 3}
GROUPINGS = ("funding_source", "level", "family", "aimag", "soum")


def classify(done: bool, community_change: float) -> str:
    improved = community_change > 0
    return f"{'done' if done else 'not_done'}_{'improved' if improved else 'not_improved'}"


def _mean(values: list[float]) -> float | None:
    return round(statistics.fmean(values), 2) if values else None


def _direction(here: facts.Measure, there: list[facts.Measure]) -> str | None:
    """Which way is better for a linked indicator read in both rounds: what the rounds say
    where they say it (a raised indicator's direction may be set in one round only); None
    where neither says, or they disagree (the issue was worded the other way round)."""
    said = {m.better for m in (here, *there) if m.better != "unknown"}
    return said.pop() if said in ({"higher"}, {"lower"}) else None


def _unjudged(
    status: str, nxt: uuid.UUID | None, change: float | None, undirected: int
) -> str | None:
    """Why an item has no outcome, if it has none."""
    if status == "dropped":
        return "dropped"
    if nxt is None:
        return "no_next_round"
    if change is None:
        return "no_direction" if undirected else "no_scores"
    return None


def _judge(
    item: ActionItem,
    spent: int,
    round_: facts.Round,
    measures: dict[uuid.UUID, dict[str, facts.Measure]],
    means: dict[tuple[uuid.UUID, str], facts.Means],
) -> ItemOutcomeOut:
    changes: list[float] = []
    gaps: list[float] = []
    compared = undirected = 0
    nxt = round_.next_id
    if nxt is not None and item.status != "dropped":
        here, there = measures.get(round_.id, {}), measures.get(nxt, {})
        for key in item.indicator_keys:
            measure = here.get(key)
            others = facts.counterpart(key, here, there)
            if measure is None or not others:
                continue
            before = means.get((round_.id, key))
            after = [means.get((nxt, other)) for other in others]
            c0 = measure.on_100(before.community) if before else None
            c1s = [there[o].on_100(a.community) for o, a in zip(others, after, strict=True) if a]
            c1s_known = [v for v in c1s if v is not None]
            if c0 is None or not c1s_known:
                continue
            compared += 1
            c1 = statistics.fmean(c1s_known)
            change = facts.toward_better(c1 - c0, _direction(measure, [there[o] for o in others]))
            if change is None:
                undirected += 1
            else:
                changes.append(change)
            p0 = measure.on_100(before.provider) if before else None
            p1s = [there[o].on_100(a.provider) for o, a in zip(others, after, strict=True) if a]
            p1s_known = [v for v in p1s if v is not None]
            if p0 is not None and p1s_known:
                gaps.append(abs(c1 - statistics.fmean(p1s_known)) - abs(c0 - p0))
    community_change = _mean(changes)
    unjudged = _unjudged(item.status, nxt, community_change, undirected)
    return ItemOutcomeOut(
        id=item.id,
        cycle_id=item.cycle_id,
        facility_id=item.facility_id,
        action=item.action,
        status=item.status,
        indicator_keys=list(item.indicator_keys),
        cost_mnt=item.cost_mnt,
        spent_mnt=spent,
        funding_source=item.funding_source,
        level=item.level,
        next_cycle_id=nxt,
        indicators_compared=compared,
        indicators_without_direction=undirected,
        community_change=community_change,
        gap_change=_mean(gaps),
        outcome=None
        if unjudged or community_change is None
        else classify(item.status == "done", community_change),
        unjudged=unjudged,
    )


async def judge(
    db: AsyncSession, principal: Principal, rounds: dict[uuid.UUID, facts.Round]
) -> list[tuple[ItemOutcomeOut, facts.Round]]:
    """Every visible, live action item of the rounds, judged against their next rounds."""
    if not rounds:
        return []
    items = list(
        await db.scalars(
            select(ActionItem)
            .where(
                facts.among(ActionItem.cycle_id, rounds),
                ActionItem.deleted_at.is_(None),
                access.action_item_visible(principal),
            )
            .order_by(ActionItem.cycle_id, ActionItem.due_on.nulls_last(), ActionItem.id)
        )
    )
    spent: dict[uuid.UUID, int] = dict(
        (
            await db.execute(
                select(ActionUpdate.action_item_id, func.sum(ActionUpdate.spent_mnt))
                .where(
                    facts.among(ActionUpdate.action_item_id, [item.id for item in items]),
                    ActionUpdate.deleted_at.is_(None),
                )
                .group_by(ActionUpdate.action_item_id)
            )
        ).all()
    )
    involved = set(rounds) | {r.next_id for r in rounds.values() if r.next_id is not None}
    measures = await facts.measures(db, involved)
    means = await facts.round_means(db, principal, involved)
    return [
        (
            _judge(item, int(spent.get(item.id, 0)), rounds[item.cycle_id], measures, means),
            rounds[item.cycle_id],
        )
        for item in items
    ]


async def round_outcomes(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID, timezone: str
) -> RoundOutcomesOut:
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
    at_facility = facts.visible_rounds(
        principal, facts.at_facility(cycle.facility_id), timezone=timezone
    )
    rounds = await facts.load_rounds(db, at_facility)
    judged = await judge(db, principal, {cycle_id: rounds[cycle_id]})
    return RoundOutcomesOut(cycle_id=cycle_id, items=[outcome for outcome, _ in judged])


def _grouping(by: str) -> Callable[[ItemOutcomeOut, facts.Round], str]:
    if by in AREA_LEVELS:
        position = AREA_LEVELS[by] - 1
        return lambda _, r: r.lineage[position] if len(r.lineage) > position else r.lineage[-1]
    if by == "family":
        return lambda _, r: r.family
    return lambda outcome, _: getattr(outcome, by) or "unstated"


async def outcomes(
    db: AsyncSession,
    *,
    principal: Principal,
    area: str,
    by: str,
    since: date,
    until: date,
    timezone: str,
) -> OutcomesOut:
    """Judged items of the area's rounds held in [since, until) (as roll-ups count them),
    counted by funding source, level, template family, aimag or soum, with the money
    committed and spent."""
    if by not in GROUPINGS:
        raise InvalidInput(f"by is one of {', '.join(GROUPINGS)}", field="by")
    inside = facts.visible_rounds(principal, facts.in_area(area), timezone=timezone).subquery()
    query: Any = select(inside).where(inside.c.held_on >= since, inside.c.held_on < until)
    rounds = await facts.load_rounds(db, query)
    key = _grouping(by)
    rows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for outcome, round_ in await judge(db, principal, rounds):
        row = rows[key(outcome, round_)]
        row["items"] += 1
        row["cost_mnt"] += outcome.cost_mnt or 0
        row["spent_mnt"] += outcome.spent_mnt
        if outcome.outcome is not None:
            row["judged"] += 1
            row[outcome.outcome] += 1
    return OutcomesOut(
        area=area.upper(),
        by=by,
        since=since,
        until=until,
        rows=[
            OutcomeRow(
                group=group,
                **{name: counts[name] for name in OutcomeRow.__struct_fields__ if name != "group"},
            )
            for group, counts in sorted(rows.items())
        ],
    )
