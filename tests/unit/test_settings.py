from pathlib import Path

import pytest

from backend.settings import Limits, Settings, SettingsError


def test_defaults_use_the_embedded_database_under_var() -> None:
    settings = Settings.from_env({})
    assert settings.embedded_database
    assert settings.embedded_pgdata == Path("var/pgdata")
    assert (settings.host, settings.port, settings.log_format) == ("127.0.0.1", 8000, "text")
    assert settings.access_token_minutes == 15
    assert settings.refresh_token_days == 45
    assert settings.limits == Limits()
    assert settings.limits.max_body_bytes == 8 * 1024 * 1024


def test_database_url_is_pointed_at_asyncpg() -> None:
    settings = Settings.from_env({"DATABASE_URL": "postgres://u:p@db:5432/scorecard"})
    assert settings.database_url == "postgresql+asyncpg://u:p@db:5432/scorecard"
    assert not settings.embedded_database


def test_limits_come_from_the_environment() -> None:
    settings = Settings.from_env(
        {"SCORECARD_MAX_BODY_BYTES": "2048", "SCORECARD_MAX_PUSH_MUTATIONS": "50"}
    )
    assert settings.limits.max_body_bytes == 2048
    assert settings.limits.max_push_mutations == 50


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SCORECARD_PORT": "eighty"}, "SCORECARD_PORT must be an integer"),
        ({"SCORECARD_PORT": "70000"}, "between 1 and 65535"),
        ({"SCORECARD_LOG_FORMAT": "xml"}, "SCORECARD_LOG_FORMAT must be one of"),
        ({"DATABASE_URL": "mysql://x/y"}, "postgresql://"),
        ({"SCORECARD_ENV": "production"}, "DATABASE_URL is required"),
        (
            {"SCORECARD_ENV": "production", "DATABASE_URL": "postgresql://db/x"},
            "SCORECARD_JWT_SIGNING_KEY_FILE is required",
        ),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)


def test_settings_are_frozen() -> None:
    settings = Settings.from_env({})
    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


def test_the_settings_read_hosts_and_origins() -> None:
    settings = Settings.from_env(
        {
            "SCORECARD_ALLOWED_HOSTS": "scorecard.masam.mn, localhost",
            "SCORECARD_CORS_ORIGINS": "https://dashboard.masam.mn",
        }
    )
    assert settings.allowed_hosts == ("scorecard.masam.mn", "localhost")
    assert settings.cors_origins == ("https://dashboard.masam.mn",)
