"""Gaps and changes are differences of unrounded means, rounded once."""

from backend.reports.aggregate import Cell, IndicatorResult


def test_gap_and_change_are_taken_from_the_unrounded_means() -> None:
    # 3.3349 and 3.3251 both read 3.33 rounded, yet they differ by 0.0098
    now = Cell(group=None, n=3, participants=30, mean=3.3349, median=3, low=2, high=5)
    result = IndicatorResult(key="k", overall=now, previous_mean=3.3251, provider_mean=3.3251)
    assert (result.change, result.gap) == (0.01, 0.01)
