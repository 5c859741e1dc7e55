"""Gap and change of a scorecard indicator."""

from backend.reports.aggregate import Cell, IndicatorResult


def _cell(group: str | None, participants: int, mean: float) -> Cell:
    return Cell(group, n=1, participants=participants, mean=mean, median=mean, low=mean, high=mean)


def test_gap_and_change() -> None:
    result = IndicatorResult(
        "inclusion", [], _cell(None, 20, 2.5), provider_mean=4.25, previous_mean=2.0
    )
    assert (result.gap, result.change) == (-1.75, 0.5)
