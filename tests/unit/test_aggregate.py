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


def test_the_matrix_lays_out_the_indicators_own_cells_by_group() -> None:
    from backend.reports import matrix
    from backend.reports.schemas import CellOut, IndicatorOut, ReasonOut

    def cell(group: str | None, n: int, people: int, mean: float) -> CellOut:
        return CellOut(
            group=group, n=n, participants=people, mean=mean, median=mean, min=mean,
            max=mean, suppressed=False, mean_100=(mean - 1) * 25,
        )  # fmt: skip

    def indicator(key: str, groups: list[CellOut], unit: str = "scale") -> IndicatorOut:
        return IndicatorOut(
            key=key, section="s", label_mn=key, label_en=key, answer_type="scale",
            scale_min=1, scale_max=5, better="higher", community=cell(None, 3, 20, 3.0),
            community_groups=groups, provider_mean=4.0, provider_n=1, monitor_mean=None,
            monitor_n=0, gap=-1.0, previous_mean=None, change=None, unit=unit,
            reasons=[ReasonOut(group="youth", reason="=bad", suggestion=None)],
        )  # fmt: skip

    built = matrix.build(
        [
            indicator("a", [cell("women", 2, 14, 3.5), cell("youth", 1, 6, 2.0)]),
            indicator("b", [cell("youth", 1, 6, 4.0)]),
            indicator("c", [cell("men", 1, 6, 4.0)], unit="choices"),
            indicator("d", [cell("men", 1, 6, 4.0)]),
        ],
        planned=["youth", "men", "women"],
        compared={"a", "b", "c"},
    )
    # columns in the planned order, only groups with a cell; choices and uncompared left out
    assert [(g.group, g.label_mn) for g in built.groups] == [
        ("youth", "Залуучууд"),
        ("women", "Эмэгтэйчүүд"),
    ]
    a, b = built.rows
    assert [c.mean if c else None for c in a.cells] == [2.0, 3.5]
    assert [c.mean if c else None for c in b.cells] == [4.0, None]  # no cell, no figure
    assert a.cells[0] is not None
    assert a.cells[0].reasons is not None
    assert [r.reason for r in a.cells[0].reasons] == ["=bad"]
    assert a.community is not None
    assert a.community.reasons is None
    assert (a.community.mean, a.provider_mean, a.gap) == (3.0, 4.0, -1.0)
