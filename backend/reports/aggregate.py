"""Turning per-group statistics into a scorecard: gaps, changes, and privacy suppression. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

# A disaggregated cell describing fewer people than this is not shown outside the team.
MIN_PARTICIPANTS = 5


@dataclass(frozen=True, slots=True)
class Cell:
    """Scores of one indicator from one community group (or all of them: `group` None)."""

    group: str | None
    n: int  # scores (one agreed score per focus group session)
    participants: int
    mean: float | None
    median: float | None
    low: float | None
    high: float | None
    suppressed: bool = False

    def hidden(self) -> Cell:
        return replace(self, mean=None, median=None, low=None, high=None, suppressed=True)


@dataclass(slots=True)
class IndicatorResult:
    key: str
    groups: list[Cell] = field(default_factory=list)
    overall: Cell | None = None
    provider_mean: float | None = None
    provider_n: int = 0
    monitor_mean: float | None = None
    monitor_n: int = 0
    previous_mean: float | None = None

    @property
    def gap(self) -> float | None:
        """Community minus provider: what the interface meeting talks about."""
        if self.overall is None or self.overall.mean is None or self.provider_mean is None:
            return None
        return round(self.overall.mean - self.provider_mean, 2)

    @property
    def change(self) -> float | None:
        """Since the previous round at the same facility."""
        if self.overall is None or self.overall.mean is None or self.previous_mean is None:
            return None
        return round(self.overall.mean - self.previous_mean, 2)


def suppress(result: IndicatorResult) -> IndicatorResult:
    """Hide small groups, and one more so that no hidden cell follows from the overall figure.

    With the overall mean and count shown, a single hidden group could be worked out by
    subtraction; so when exactly one group is small, the next smallest group is hidden too.
    When the whole indicator rests on fewer than MIN_PARTICIPANTS people, the overall goes too.
    """
    small = [cell for cell in result.groups if cell.participants < MIN_PARTICIPANTS]
    hidden = {id(cell) for cell in small}
    if len(small) == 1:
        others = sorted(
            (cell for cell in result.groups if id(cell) not in hidden),
            key=lambda cell: (cell.participants, cell.group or ""),
        )
        if others:
            hidden.add(id(others[0]))
    groups = [cell.hidden() if id(cell) in hidden else cell for cell in result.groups]
    overall = result.overall
    if overall is not None and overall.participants < MIN_PARTICIPANTS:
        overall = overall.hidden()
    return replace(result, groups=groups, overall=overall)
