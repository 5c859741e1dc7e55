"""Suppression of small groups, complementary so that nothing follows by subtraction."""

from backend.reports.aggregate import Cell, IndicatorResult, suppress


def _cell(group: str | None, participants: int, mean: float) -> Cell:
    return Cell(group, n=1, participants=participants, mean=mean, median=mean, low=mean, high=mean)


def test_groups_of_five_or_more_are_shown() -> None:
    result = IndicatorResult(
        "inclusion", [_cell("women", 8, 3), _cell("men", 5, 4)], _cell(None, 13, 3.5)
    )
    shown = suppress(result)
    assert [c.suppressed for c in shown.groups] == [False, False]
    assert shown.overall is not None
    assert shown.overall.mean == 3.5


def test_one_small_group_hides_the_next_smallest_too() -> None:
    result = IndicatorResult(
        "inclusion",
        [_cell("women", 9, 3), _cell("youth", 3, 1), _cell("men", 6, 4), _cell("elderly", 12, 5)],
        _cell(None, 30, 3.25),
    )
    shown = suppress(result)
    hidden = {c.group for c in shown.groups if c.suppressed}
    # youth alone would follow from the overall and the other three; men go with it
    assert hidden == {"youth", "men"}
    assert all(c.mean is None and c.median is None for c in shown.groups if c.suppressed)
    assert shown.overall is not None
    assert shown.overall.mean == 3.25


def test_two_small_groups_cover_each_other() -> None:
    result = IndicatorResult(
        "inclusion",
        [_cell("women", 9, 3), _cell("youth", 3, 1), _cell("disability", 2, 2)],
        _cell(None, 14, 2),
    )
    assert {c.group for c in suppress(result).groups if c.suppressed} == {"youth", "disability"}


def test_an_indicator_resting_on_fewer_than_five_people_is_hidden_whole() -> None:
    result = IndicatorResult("inclusion", [_cell("youth", 4, 2)], _cell(None, 4, 2))
    shown = suppress(result)
    assert shown.groups[0].suppressed
    assert shown.overall is not None
    assert shown.overall.suppressed


def test_gap_and_change() -> None:
    result = IndicatorResult(
        "inclusion", [], _cell(None, 20, 2.5), provider_mean=4.25, previous_mean=2.0
    )
    assert (result.gap, result.change) == (-1.75, 0.5)
