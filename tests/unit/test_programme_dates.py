"""The dates people judge by are the programme's own (Asia/Ulaanbaatar by default)."""

from datetime import UTC, date, datetime

import pytest

from backend.action_plans.models import ActionItem
from backend.action_plans.service import is_overdue
from backend.settings import Settings, SettingsError


def test_an_item_due_today_in_ulaanbaatar_is_overdue_from_its_midnight_not_utcs() -> None:
    settings = Settings.from_env({})
    due_today = ActionItem(due_on=date(2026, 12, 1), status="in_progress")
    # 15:59 UTC is 23:59 on 1 December in Ulaanbaatar: still due today
    late_evening = settings.today(datetime(2026, 12, 1, 15, 59, tzinfo=UTC))
    # 16:00 UTC is midnight there: 2 December, overdue, though UTC still says 1 December
    midnight = settings.today(datetime(2026, 12, 1, 16, 0, tzinfo=UTC))
    assert (late_evening, midnight) == (date(2026, 12, 1), date(2026, 12, 2))
    assert not is_overdue(due_today, late_evening)
    assert is_overdue(due_today, midnight)


def test_the_time_zone_is_a_setting_and_a_wrong_one_is_refused() -> None:
    utc = Settings.from_env({"SCORECARD_TIMEZONE": "UTC"})
    assert utc.today(datetime(2026, 12, 1, 16, 0, tzinfo=UTC)) == date(2026, 12, 1)
    with pytest.raises(SettingsError, match="SCORECARD_TIMEZONE"):
        Settings.from_env({"SCORECARD_TIMEZONE": "Mars/Olympus"})
