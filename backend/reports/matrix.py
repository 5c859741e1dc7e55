"""The scoring matrix (indicators by focus groups) from a scorecard's own cells. Pure.

There is one computation of the figures: `backend/reports/service.py` computes each
indicator's cells from what the caller may count, and the matrix only lays those cells out.
A group the caller may not count is in no cell and no total of `indicators`, so it cannot be in
the matrix either: it has no column, and nothing masked stands in its place."""

from __future__ import annotations

from collections.abc import Collection

from backend.reports.schemas import CellOut, IndicatorOut, MatrixCell, MatrixGroup, MatrixOut
from backend.reports.schemas import MatrixRow as Row
from backend.scorecards.group_types import group_label


def build(
    indicators: list[IndicatorOut],
    *,
    planned: list[str],
    compared: Collection[str],
) -> MatrixOut:
    """Rows: the indicators in `compared` (those the community or the provider scores), except
    choices, whose answers are counted per option and not scored. Columns: the group types
    with a cell the caller may count, in the round's planned order, then any others."""
    rows = [i for i in indicators if i.key in compared and i.unit != "choices"]
    present = {cell.group for i in rows for cell in i.community_groups if cell.group}
    order = [g for g in dict.fromkeys(planned) if g in present] + sorted(present - set(planned))
    return MatrixOut(
        groups=[
            MatrixGroup(group=g, label_mn=group_label(g).mn, label_en=group_label(g).en)
            for g in order
        ],
        rows=[_row(indicator, order) for indicator in rows],
    )


def _row(indicator: IndicatorOut, order: list[str]) -> Row:
    by_group = {cell.group: cell for cell in indicator.community_groups}
    return Row(
        indicator=indicator.key,
        label_mn=indicator.label_mn,
        label_en=indicator.label_en,
        origin=indicator.origin,
        raised_by=indicator.raised_by,
        unit=indicator.unit,
        scale_min=indicator.scale_min,
        scale_max=indicator.scale_max,
        better=indicator.better,
        cells=[_cell(indicator, by_group.get(group)) for group in order],
        community=_cell(indicator, indicator.community, overall=True),
        provider_mean=indicator.provider_mean,
        provider_100=indicator.provider_100,
        provider_n=indicator.provider_n,
        gap=indicator.gap,
    )


def _cell(
    indicator: IndicatorOut, cell: CellOut | None, *, overall: bool = False
) -> MatrixCell | None:
    if cell is None:
        return None
    reasons = None
    if indicator.reasons is not None and not overall:
        reasons = [reason for reason in indicator.reasons if reason.group == cell.group]
    return MatrixCell(
        n=cell.n,
        participants=cell.participants,
        mean=cell.mean,
        mean_100=cell.mean_100,
        reasons=reasons,
    )
