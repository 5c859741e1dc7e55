"""Wire types of follow-through: did the actions work, the responsiveness index, trends."""

from __future__ import annotations

import uuid
from datetime import date

from backend.wire import Wire


class ItemOutcomeOut(Wire):
    id: uuid.UUID
    cycle_id: uuid.UUID
    facility_id: uuid.UUID
    action: str
    status: str
    indicator_keys: list[str]
    cost_mnt: int | None
    spent_mnt: int
    funding_source: str | None
    level: str | None
    # the facility's next round of the same template, where the change is read
    next_cycle_id: uuid.UUID | None
    # the linked indicators read in both rounds
    indicators_compared: int
    # mean change of the community score on the linked indicators with a known direction,
    # 0-100, positive = better
    community_change: float | None
    # mean change of the community-provider gap's size, 0-100 points, negative = closed
    gap_change: float | None
    # done_improved, done_not_improved, not_done_improved, not_done_not_improved; None when
    # it cannot be judged (see `unjudged`)
    outcome: str | None
    # why there is no outcome: dropped, no_next_round, no_scores, no_direction (the linked
    # indicators read in both rounds are raised ones whose direction is unset or none)
    unjudged: str | None
    # of `indicators_compared`, those without a known direction: not in `community_change`
    indicators_without_direction: int = 0


class RoundOutcomesOut(Wire):
    cycle_id: uuid.UUID
    items: list[ItemOutcomeOut]


class OutcomeRow(Wire):
    # the funding source, level, template family or area the row counts
    group: str
    items: int
    judged: int
    done_improved: int
    done_not_improved: int
    not_done_improved: int
    not_done_not_improved: int
    cost_mnt: int
    spent_mnt: int


class OutcomesOut(Wire):
    area: str
    by: str
    since: date
    until: date
    rows: list[OutcomeRow]


class ComponentOut(Wire):
    # on_time, money, gap_closed or participation
    key: str
    # a share between 0 and 1; None when suppressed
    value: float | None
    # its base: items due, approved items with a cost, indicator pairs, priority groups planned
    n: int
    # True when the base is under the index's minimum base (5)
    suppressed: bool


class IndexRow(Wire):
    unit: str
    rounds: int
    # 0-100; None when fewer than three components are shown
    index: float | None
    components: list[ComponentOut]


class IndexOut(Wire):
    area: str
    by: str
    since: date
    until: date
    # the formula's version (README, "Responsiveness index")
    version: int
    rows: list[IndexRow]


class TrendPoint(Wire):
    # a round (facility trend) or a round label shared by the area's rounds (area trend)
    round: str
    cycle_id: uuid.UUID | None
    facilities: int
    community: float | None
    provider: float | None
    # both on the common 0-100 scale where the indicator has one
    community_100: float | None
    provider_100: float | None
    gap: float | None


class TrendLine(Wire):
    key: str
    label_mn: str
    label_en: str
    unit: str
    better: str
    points: list[TrendPoint]


class TrendOut(Wire):
    template: str
    # the facility's id, or the area's code
    subject: str
    rounds: list[str]
    indicators: list[TrendLine]
