"""Wire types of results."""

from __future__ import annotations

import uuid
from datetime import date

from backend.wire import Wire


class CellOut(Wire):
    """Scores of one indicator from one community group, or from all (`group` null)."""

    group: str | None
    n: int
    participants: int
    mean: float | None
    median: float | None
    min: float | None
    max: float | None
    suppressed: bool
    # the mean on the common 0-100 scale (see IndicatorOut.community_100)
    mean_100: float | None = None


class ReasonOut(Wire):
    group: str | None
    reason: str | None
    suggestion: str | None


class ChoiceOut(Wire):
    """How many answers chose one option of a single- or multiple-choice indicator."""

    option: str
    label_mn: str
    label_en: str
    count: int


class IndicatorOut(Wire):
    key: str
    section: str
    label_mn: str
    label_en: str
    answer_type: str
    # the range scores are drawn against (scales, and yes/no as 0-1); null for counts and sums
    scale_min: float | None
    scale_max: float | None
    # which way is good: "higher" or "lower"; for a raised indicator also "none" (no direction
    # has meaning: a count) or "unknown" (nobody has set it yet). Only higher and lower say
    # whether a score is good
    better: str
    community: CellOut | None
    community_groups: list[CellOut]
    provider_mean: float | None
    provider_n: int
    monitor_mean: float | None
    monitor_n: int
    # community minus provider
    gap: float | None
    previous_mean: float | None
    # community now minus community in the previous round at this facility
    change: float | None
    # the community's reasons and suggestions; for providers and viewers only the pieces a
    # coordinator passed (each piece is reviewed on its own: README, "Review")
    reasons: list[ReasonOut] | None
    # photos and documents backing the answers, by sha256 (GET /sync/v1/attachments/{sha256});
    # for providers and viewers, like reasons, only the photos a coordinator passed
    evidence: list[str] = []
    # "template", or for an indicator the round's groups raised, "community" or "provider"
    origin: str = "template"
    # for a raised indicator: the group types that raised it (merged ones included); providers
    # and viewers read ["community"] where naming a group could point at a small one
    raised_by: list[str] = []
    # for single and multiple choice: how often each option was chosen
    choices: list[ChoiceOut] = []
    # what `community`, `provider_mean` and `monitor_mean` show: "scale" (points on the
    # scale_min-scale_max scale), "share" (yes/no: the share answering yes, 0-1), "count" or
    # "mnt" (tögrög), "choices" (see `choices`)
    unit: str = "scale"
    # the same means on the common 0-100 scale (scales: lowest point 0, highest 100; yes/no:
    # percent yes); null for counts, money and choices
    community_100: float | None = None
    provider_100: float | None = None
    monitor_100: float | None = None
    # for `unit` "number": what it is measured in (minutes)
    unit_mn: str | None = None
    unit_en: str | None = None


class MedicineOut(Wire):
    """One tracer medicine across the monitors' checks (null key: the whole basket, each
    medicine weighing the same; `checks` is then the most checks of any one medicine)."""

    key: str | None
    name_mn: str | None
    name_en: str | None
    checks: int
    # share of checks finding it in stock and not expired
    available: float
    stockout_days_30: float | None
    stockout_days_90: float | None
    # median, over the checks that found it on the shelf, of the lowest generic unit price over
    # the reference price (WHO/HAI); for the basket, the median of the medicines' ratios
    median_price_ratio: float | None
    # the same for the originator brand, where stocked
    originator_price_ratio: float | None = None
    # dosage form and strength (two forms of one medicine are two tracer medicines)
    form_mn: str | None = None
    form_en: str | None = None


class InputOut(Wire):
    """Input tracking for one item: what the facility is entitled to against what was found
    (medians over those who checked, by who checked)."""

    key: str
    label_mn: str
    label_en: str
    unit_mn: str
    unit_en: str
    respondent: str
    n: int
    entitled: float | None
    actual: float | None
    # entitled minus found; and as a share of the entitlement (0.25: a quarter is missing)
    shortfall: float | None
    shortfall_share: float | None
    evidence: list[str] = []


class ScaleOut(Wire):
    """The scale a template scores on: `faces_1_5`, `points_1_10` or `percent_0_100`
    (null key: another range, from a template that states none)."""

    key: str | None
    min: float
    max: float


class MatrixGroup(Wire):
    """A column of the matrix: a type of focus group the caller may count in this round."""

    group: str
    label_mn: str
    label_en: str


class MatrixCell(Wire):
    """One group type's agreed scores on one indicator (all types: the community overall)."""

    n: int
    participants: int
    # on the row's own unit (`unit`, `scale_min`-`scale_max`), and on the common 0-100 scale
    mean: float | None
    mean_100: float | None
    # the group's reasons and suggestions; null while the caller may not read them
    reasons: list[ReasonOut] | None = None


class MatrixRow(Wire):
    """One indicator: each group's cell (aligned with `MatrixOut.groups`; null where the group
    gave no score), the community overall, the provider's self-score and the gap."""

    indicator: str
    label_mn: str
    label_en: str
    origin: str
    raised_by: list[str]
    unit: str
    scale_min: float | None
    scale_max: float | None
    # as IndicatorOut.better: higher, lower, none or unknown
    better: str
    cells: list[MatrixCell | None]
    community: MatrixCell | None
    provider_mean: float | None
    provider_100: float | None
    provider_n: int
    gap: float | None


class MatrixOut(Wire):
    """The method's own output: indicators by focus groups, with reasons. Built from the very
    cells of `indicators` (the same disclosure rule): a group the caller may not count has no
    column and is in no total; the scorecard's `suppressed_cells` says how many existed."""

    groups: list[MatrixGroup]
    rows: list[MatrixRow]


class PlaceOut(Wire):
    """An area the facility is in (an aimag or the capital, a soum or a district, ...)."""

    code: str
    level: str
    name_mn: str
    name_en: str


class OccasionOut(Wire):
    """Where and when the round is: the facility's places from the aimag (or the capital) down,
    the round's dates in the programme's time zone, and how far community scoring has come."""

    places: list[PlaceOut]
    opened_on: date | None
    # the day of its first community session the caller may count (as roll-ups date a round)
    held_on: date | None
    # the interface meeting's date, once one is set
    meeting_on: date | None
    published_on: date | None
    closed_on: date | None
    groups_planned: int
    # community sessions in the caller's figures so far (small groups apart: `suppressed_cells`)
    groups_scored: int


class ScorecardOut(Wire):
    cycle_id: uuid.UUID
    # the round's label in Mongolian, the primary one (as `label_mn`)
    label: str
    phase: str
    facility_id: uuid.UUID
    facility_name_mn: str
    facility_name_en: str
    template_key: str
    template_version: int
    previous_cycle_id: uuid.UUID | None
    published: bool
    # nothing of the round's community text and evidence awaits review
    reasons_reviewed: bool
    suppressed_cells: int
    indicators: list[IndicatorOut]
    # tracer medicines, for templates with a medicine check
    medicines: list[MedicineOut] = []
    # photos of stock cards and price lists behind the medicine check
    medicines_evidence: list[str] = []
    # input tracking: entitlement against what is really there
    inputs: list[InputOut] = []
    # the template's scale; each figure says its own (`unit`, `scale_min`-`scale_max`) and
    # gives the common 0-100 value beside it (`*_100`)
    scale: ScaleOut | None = None
    # indicators by focus groups
    matrix: MatrixOut | None = None
    # the template's name
    template_name_mn: str = ""
    template_name_en: str = ""
    # where and when
    occasion: OccasionOut | None = None
    # the round's label in each language; English is the Mongolian one where none was given
    label_mn: str = ""
    label_en: str = ""
    # the figures count only the submissions a coordinator approved as they read now (asked
    # for with `approved_only=true`); reasons and photos are shown as ever
    approved_only: bool = False


class RollupRow(Wire):
    """One indicator at one unit (a facility id, a soum or aimag code, or MN)."""

    unit: str | None
    indicator: str
    # facilities with at least one answer the caller may count
    facilities: int
    community_scores: int
    # the mean of the facilities' own means: every facility weighs the same
    community: float | None
    provider: float | None
    gap: float | None
    suppressed: bool
    action_items: int
    # done / (all but dropped)
    completion_rate: float | None
    # past due (by the programme's own date) and neither done nor dropped / (all but dropped)
    overdue_rate: float | None
    # the monitors' finding (yes/no: the share of facilities' checks finding yes), where they
    # check this indicator
    monitor: float | None = None
    # what the figures are on: "scale", "share" (yes/no, 0-1), "count", "number", "mnt"
    unit_kind: str = "scale"
    # the indicator's words (a raised one's as its round states them) and which way is better
    # ("higher", "lower", "none", or "unknown" where nobody has said)
    label_mn: str = ""
    label_en: str = ""
    better: str = "higher"


class PeriodOut(Wire):
    """Which rounds a roll-up pools. `kind`: "latest_published" (each facility's latest
    published round: the default), "held" (the rounds held in [since, until)) or
    "campaign"; with the first and last day the pooled rounds were held on."""

    kind: str
    since: date | None = None
    until: date | None = None
    campaign_id: uuid.UUID | None = None
    campaign_label: str | None = None
    rounds: int = 0
    first_held: date | None = None
    last_held: date | None = None


class RollupUnitOut(Wire):
    """A unit of the roll-up by name, with its action plans' rates (once per unit); for a
    facility, the latest of its rounds pooled (whose scorecard page a reader may open)."""

    unit: str
    name_mn: str
    name_en: str
    facilities: int
    action_items: int
    completion_rate: float | None
    overdue_rate: float | None
    cycle_id: uuid.UUID | None = None


class MedicineRollupRow(Wire):
    """One tracer medicine at one unit, over the outlets (facilities) checked: availability is
    the share of outlets finding it in stock and not expired; stock-out days their mean; the
    price ratios the median over the outlets that had it on the shelf (each outlet's own
    median first). `medicine` null: the basket, each medicine weighing the same."""

    unit: str
    medicine: str | None
    name_mn: str | None
    name_en: str | None
    outlets: int
    available: float | None
    stockout_days_30: float | None
    stockout_days_90: float | None
    median_price_ratio: float | None
    originator_price_ratio: float | None


class RollupOut(Wire):
    area: str
    template: str
    by: str
    rows: list[RollupRow]
    period: PeriodOut | None = None
    units: list[RollupUnitOut] = []
    medicines: list[MedicineRollupRow] = []
    # the area's and template's names
    area_name_mn: str = ""
    area_name_en: str = ""
    template_name_mn: str = ""
    template_name_en: str = ""
    # the figures count only the submissions a coordinator approved as they read now
    approved_only: bool = False
