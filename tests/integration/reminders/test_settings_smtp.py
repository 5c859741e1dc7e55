"""The mail server's settings, read from the environment; the password never shows."""

import pytest

from backend.settings import Settings, SettingsError


def test_smtp_settings_are_read_and_the_password_is_kept_out_of_sight() -> None:
    settings = Settings.from_env(
        {
            "SCORECARD_SMTP_HOST": "smtp.example.mn",
            "SCORECARD_SMTP_PORT": "2525",
            "SCORECARD_SMTP_USERNAME": "scorecard",
            "SCORECARD_SMTP_PASSWORD": "hunter2-secret",
            "SCORECARD_SMTP_FROM": "Scorecard <no-reply@example.mn>",
            "SCORECARD_SMTP_STARTTLS": "false",
        }
    )
    smtp = settings.smtp
    assert smtp.enabled
    assert (smtp.host, smtp.port, smtp.username, smtp.starttls) == (
        "smtp.example.mn",
        2525,
        "scorecard",
        False,
    )
    assert smtp.password == "hunter2-secret"
    assert "hunter2-secret" not in repr(settings)


def test_no_host_means_mail_is_off_and_starttls_is_on_by_default() -> None:
    smtp = Settings.from_env({}).smtp
    assert not smtp.enabled
    assert smtp.starttls
    assert smtp.port == 587


def test_a_bad_starttls_value_is_refused() -> None:
    with pytest.raises(SettingsError, match="SCORECARD_SMTP_STARTTLS"):
        Settings.from_env({"SCORECARD_SMTP_STARTTLS": "maybe"})
