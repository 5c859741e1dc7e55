"""A short field season against a real server process: the simulator's checks all pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.simulate import report
from backend.simulate.season import Season
from backend.simulate.server import serving

pytestmark = pytest.mark.asyncio


@pytest.mark.slow
async def test_a_short_season_converges(committed_database_url: str, tmp_path: Path) -> None:
    with serving(committed_database_url, tmp_path) as served:
        summary = await Season(served.base_url, devices=8, days=5, seed=4).run(lambda: None)

    assert summary.problems == [], report(summary)
    assert summary.submissions_acknowledged > 0
    assert summary.submissions_present == summary.submissions_acknowledged
    assert summary.answers_lost > 0, "no answer was lost: the replay path went untested"
    assert summary.lost_tablet, "no tablet was lost and revoked"
    assert summary.conflicts_recorded == summary.conflicts_due
