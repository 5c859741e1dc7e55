"""Gaps and changes are differences of unrounded means, rounded once."""

from backend.reports.aggregate import Cell, IndicatorResult


def test_gap_and_change_are_taken_from_the_unrounded_means() -> None:
    # 3.3349 and 3.3251 both read 3.33 rounded, yet they differ by 0.0098
    now = Cell(group=None, n=3, participants=30, mean=3.3349, median=3, low=2, high=5)
    result = IndicatorResult(key="k", overall=now, previous_mean=3.3251, provider_mean=3.3251)
    assert (result.change, result.gap) == (0.01, 0.01)


def test_the_common_0_to_100_scale_on_hand_computed_examples() -> None:
    from backend.reports.aggregate import on_100

    assert [on_100(v, "scale", 1, 5) for v in (1, 3, 5, 3.4)] == [0.0, 50.0, 100.0, 60.0]
    assert on_100(5.5, "scale", 1, 10) == 50.0
    assert on_100(73, "scale", 0, 100) == 73.0
    assert on_100(0.25, "yes_no", 0, 1) == 25.0
    assert on_100(4.0, "count", None, None) is None  # counts read as counts
    assert on_100(None, "scale", 1, 5) is None
