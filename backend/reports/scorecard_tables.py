"""The scorecard's tables, each one table with one header row, in the reader's language. Pure.

`scores` is long: a row per indicator and respondent and, for the community, per focus group
(all groups first, then each group type the caller may count). The provider's and the
monitors' figures are rows of their own; the gap and the change since the previous round are
on the community's all-groups row, which they are about. `matrix` is the method's grid as the
page shows it: a row per indicator, a block of columns per group type. Every table comes from
the one `ScorecardOut`, so it holds nothing the caller could not read in the JSON."""

from __future__ import annotations

from backend.cycles import raised
from backend.reports import wording
from backend.reports.export_words import WORDS
from backend.reports.formatting import Figures
from backend.reports.page_words import WORDS as PAGE_WORDS
from backend.reports.schemas import CellOut, IndicatorOut, MatrixCell, MatrixRow, ScorecardOut
from backend.reports.tables import Cell, Column, Figure, Table, named, place, place_columns

SCORE_COLUMNS = (
    "origin",
    "respondent",
    "group",
    "scale",
    "better",
    "n",
    "participants",
    "mean",
    "median",
    "min",
    "max",
    "on_100",
    "gap",
    "previous",
    "change",
)
MATRIX_PARTS = ("mean", "on_100", "n", "participants")
# the gap, previous and change columns of a row they are not about
NOT_COMPARED: list[Cell] = [None, None, None]


def scale(unit: str, low: float | None, high: float | None, per: str | None, language: str) -> str:
    """Which scale a figure is on, in words: 1–5, the share answering yes, tögrög, minutes."""
    if unit == "scale" and low is not None and high is not None:
        figures = Figures(language)
        return f"{figures.number(low)}–{figures.number(high)}"
    name = wording.UNITS[language].get(unit, "")
    if unit == "share":
        return str(WORDS[language]["share_stored"].format(unit=name))
    return f"{name} ({per})" if per else name


def origin(origin_: str, raised_by: list[str], language: str) -> str:
    """The template's, or raised at the round by the community (naming its groups, where the
    reader may read them) or the provider."""
    words = PAGE_WORDS[language]
    if origin_ == "community":
        named = [group for group in raised_by if group != raised.COMMUNITY]
        groups = ", ".join(wording.group_name(group, language) for group in named)
        return f"{words['raised']}: {groups}" if groups else str(words["raised"])
    if origin_ == "provider":
        return str(words["raised_provider"])
    return str(WORDS[language]["from_template"])


def scores(card: ScorecardOut, language: str) -> Table:
    words = WORDS[language]
    columns = [
        *place_columns(language),
        Column(words["indicator_key"], key=True),
        Column(words["indicator"]),
        *(Column(words[name]) for name in SCORE_COLUMNS),
    ]
    where = place(card, language)
    rows = [row for i in card.indicators for row in _score_rows(i, where, language)]
    return Table("scores", words["tables"]["scores"], columns, rows)


def _score_rows(indicator: IndicatorOut, where: list[Cell], language: str) -> list[list[Cell]]:
    """The community's all-groups row (with the gap and the change; also unscored, except on
    what only the monitors check), a row per group, then the provider's and the monitors' rows
    where they answered."""
    unit = indicator.unit
    per = wording.pick(language, indicator.unit_mn, indicator.unit_en)
    about = [
        *where,
        indicator.key,
        wording.pick(language, indicator.label_mn, indicator.label_en),
        origin(indicator.origin, indicator.raised_by, language),
    ]
    measured = [
        scale(unit, indicator.scale_min, indicator.scale_max, per, language),
        WORDS[language]["better_is"].get(indicator.better, ""),
    ]
    community = named(wording.RESPONDENTS, language, "community")
    compared = [
        Figure(indicator.gap, unit),
        Figure(indicator.previous_mean, unit),
        Figure(indicator.change, unit),
    ]
    overall = _community(indicator.community, unit, indicator.community_100)
    rows = [[*about, community, WORDS[language]["all_groups"], *measured, *overall, *compared]]
    if indicator.community is None and indicator.monitor_n:
        rows = []  # what the monitors check and nobody in the community scored
    rows += [
        [
            *about,
            community,
            wording.group_name(cell.group, language) if cell.group else "",
            *measured,
            *_community(cell, unit, cell.mean_100),
            *NOT_COMPARED,
        ]
        for cell in indicator.community_groups
    ]
    for respondent, n, mean, mean_100 in (
        ("provider", indicator.provider_n, indicator.provider_mean, indicator.provider_100),
        ("monitor", indicator.monitor_n, indicator.monitor_mean, indicator.monitor_100),
    ):
        if n:
            who = named(wording.RESPONDENTS, language, respondent)
            rows.append([*about, who, "", *measured, *_single(n, mean, mean_100, unit)])
    return rows


def _community(cell: CellOut | None, unit: str, mean_100: float | None) -> list[Figure]:
    """n, participants, mean, median, min, max and the 0-100 value of community scores."""
    if cell is None:
        return [
            Figure(0, "integer"),
            Figure(0, "integer"),
            *[Figure(None, unit)] * 4,
            Figure(None, "on_100"),
        ]
    return [
        Figure(cell.n, "integer"),
        Figure(cell.participants, "integer"),
        Figure(cell.mean, unit),
        Figure(cell.median, unit),
        Figure(cell.min, unit),
        Figure(cell.max, unit),
        Figure(mean_100, "on_100"),
    ]


def _single(n: int, mean: float | None, mean_100: float | None, unit: str) -> list[Cell]:
    """The provider's or the monitors' figures: how many answered and their mean."""
    return [
        Figure(n, "integer"),
        Figure(None, "integer"),
        Figure(mean, unit),
        *[Figure(None, unit)] * 3,
        Figure(mean_100, "on_100"),
        *NOT_COMPARED,
    ]


def matrix(card: ScorecardOut, language: str) -> Table:
    words, page = WORDS[language], PAGE_WORDS[language]
    groups = card.matrix.groups if card.matrix else []
    # a part of a group's block reads on after its name: "Parents: mean"
    parts = [words[part][:1].lower() + words[part][1:] for part in MATRIX_PARTS]
    parts += [words["cell_reasons"]]
    blocks = [wording.pick(language, g.label_mn, g.label_en) for g in groups] + [page["overall"]]
    columns = [
        *place_columns(language),
        Column(words["indicator_key"], key=True),
        Column(words["indicator"]),
        Column(words["origin"]),
        Column(words["scale"]),
        *(Column(words["cell"].format(group=b, part=p)) for b in blocks for p in parts),
        Column(page["provider"]),
        Column(words["provider_100"]),
        Column(words["gap"]),
    ]
    where = place(card, language)
    rows = [
        [
            *where,
            row.indicator,
            wording.pick(language, row.label_mn, row.label_en),
            origin(row.origin, row.raised_by, language),
            scale(row.unit, row.scale_min, row.scale_max, None, language),
            *(value for cell in [*row.cells, row.community] for value in _matrix_cell(cell, row)),
            Figure(row.provider_mean, row.unit),
            Figure(row.provider_100, "on_100"),
            Figure(row.gap, row.unit),
        ]
        for row in (card.matrix.rows if card.matrix else [])
    ]
    return Table("matrix", words["tables"]["matrix"], columns, rows)


def _matrix_cell(cell: MatrixCell | None, row: MatrixRow) -> list[Cell]:
    """A group's block of the matrix: its figures, then the reasons the reader may read."""
    values: list[Cell] = [None] * len(MATRIX_PARTS)
    if cell is not None:
        values = [
            Figure(cell.mean, row.unit),
            Figure(cell.mean_100, "on_100"),
            Figure(cell.n, "integer"),
            Figure(cell.participants, "integer"),
        ]
    said = cell.reasons if cell is not None else None
    values.append(
        "\n".join(" — ".join(text for text in (r.reason, r.suggestion) if text) for r in said or [])
    )
    return values


def reasons(card: ScorecardOut, language: str) -> Table:
    """The community's reasons and suggestions the caller may read (for providers and viewers,
    the pieces a coordinator passed)."""
    words = WORDS[language]
    columns = [
        *place_columns(language),
        Column(words["indicator_key"], key=True),
        Column(words["indicator"]),
        Column(words["group"]),
        Column(words["reason"]),
        Column(words["suggestion"]),
    ]
    where = place(card, language)
    rows: list[list[Cell]] = [
        [
            *where,
            indicator.key,
            wording.pick(language, indicator.label_mn, indicator.label_en),
            wording.group_name(reason.group, language) if reason.group else "",
            reason.reason or "",
            reason.suggestion or "",
        ]
        for indicator in card.indicators
        for reason in indicator.reasons or []
    ]
    return Table("reasons", words["tables"]["reasons"], columns, rows)


def medicines(card: ScorecardOut, language: str) -> Table:
    """Each tracer medicine by name (the basket last, without a key), as the monitors found it."""
    words, page = WORDS[language], PAGE_WORDS[language]
    columns = [
        *place_columns(language),
        Column(words["medicine_key"], key=True),
        Column(page["medicine"]),
        Column(words["form"]),
        *(
            Column(page[name])
            for name in (
                "checks",
                "available",
                "stockout_30",
                "stockout_90",
                "mpr_generic",
                "mpr_originator",
            )
        ),
    ]
    where = place(card, language)
    rows: list[list[Cell]] = [
        [
            *where,
            medicine.key or "",
            wording.pick(language, medicine.name_mn, medicine.name_en)
            if medicine.key
            else page["basket"],
            wording.pick(language, medicine.form_mn, medicine.form_en),
            Figure(medicine.checks, "integer"),
            Figure(medicine.available, "share"),
            Figure(medicine.stockout_days_30, "days"),
            Figure(medicine.stockout_days_90, "days"),
            Figure(medicine.median_price_ratio, "ratio"),
            Figure(medicine.originator_price_ratio, "ratio"),
        ]
        for medicine in card.medicines
    ]
    return Table("medicines", words["tables"]["medicines"], columns, rows)


def inputs(card: ScorecardOut, language: str) -> Table:
    """Input tracking: what the facility is entitled to against what was found."""
    words, page = WORDS[language], PAGE_WORDS[language]
    columns = [
        *place_columns(language),
        Column(words["indicator_key"], key=True),
        Column(words["indicator"]),
        Column(words["respondent"]),
        Column(words["unit"]),
        Column(words["answers"]),
        Column(page["entitled"]),
        Column(page["found"]),
        Column(page["shortfall"]),
        Column(words["shortfall_share"]),
    ]
    where = place(card, language)
    rows: list[list[Cell]] = [
        [
            *where,
            item.key,
            wording.pick(language, item.label_mn, item.label_en),
            named(wording.RESPONDENTS, language, item.respondent),
            wording.pick(language, item.unit_mn, item.unit_en),
            Figure(item.n, "integer"),
            Figure(item.entitled, "count"),
            Figure(item.actual, "count"),
            Figure(item.shortfall, "count"),
            Figure(item.shortfall_share, "share"),
        ]
        for item in card.inputs
    ]
    return Table("inputs", words["tables"]["inputs"], columns, rows)
