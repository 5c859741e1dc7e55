"""Turning per-group statistics into a scorecard: gaps and changes. Pure.

Nothing is hidden here: the statistics arrive computed from what the caller may count
(`backend/reports/queries.py`, under the disclosure rule in `backend/auth/access.py`). Means
are kept unrounded; a gap or a change is the difference of the unrounded means, rounded once
(two means of 3.334 and 3.326 differ by 0.01, not by the 0.00 their rounded forms show)."""

from __future__ import annotations

from dataclasses import dataclass, field


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


def on_100(value: float | None, kind: str, low: float | None, high: float | None) -> float | None:
    """A mean on the common 0-100 scale used to compare indicators and templates: a scale's
    lowest point is 0 and its highest 100 (3 on 1-5 faces is 50, 5.5 on 1-10 is 50, a 0-100
    scale stays as it is); yes/no is the share answering yes, in percent. Counts and money
    have no such scale (None): they read as counts and as tögrög. Which way is good is the
    indicator's `better`, not the normalisation's."""
    if value is None:
        return None
    if kind == "yes_no":
        return round(value * 100, 1)
    if kind == "scale" and low is not None and high is not None and high > low:
        return round((value - low) / (high - low) * 100, 1)
    return None
