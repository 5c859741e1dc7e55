"""Service configuration: one frozen object, built once from the environment and passed in."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENVIRONMENTS = ("development", "production")
LOG_FORMATS = ("text", "json")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "[::1]")
STORES = ("folder", "s3")  # where attachment files live: under the data dir, or a bucket


class SettingsError(ValueError):
    """A configuration value is missing or malformed."""


# a metrics token shorter than this is refused: it is all that stands between the activity
# figures and anyone who can reach the port
METRICS_TOKEN_MIN = 16

# the programme's time zone unless SCORECARD_TIMEZONE says: deadlines are judged by its calendar
DEFAULT_TIMEZONE = "Asia/Ulaanbaatar"


@dataclass(frozen=True, slots=True)
class Limits:
    """Request limits the server enforces and documents."""

    max_body_bytes: int = 8 * 1024 * 1024
    max_push_mutations: int = 500
    max_page_size: int = 1000
    default_page_size: int = 200
    max_attachment_bytes: int = 16 * 1024 * 1024  # bigger than a body: large files go in pieces
    push_concurrency: int = 2  # pushes a worker runs at once; more wait briefly, then get 503


@dataclass(frozen=True, slots=True)
class Smtp:
    """The mail server reminders are handed to. The password never appears in a repr or a log."""

    host: str | None = None
    port: int = 587
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    from_address: str = "scorecard@localhost"
    starttls: bool = True  # false only for a relay on the same machine or network

    @property
    def enabled(self) -> bool:
        return self.host is not None


@dataclass(frozen=True, slots=True)
class Settings:
    environment: str = "development"
    database_url: str | None = None
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_format: str = "text"
    log_level: str = "INFO"
    jwt_issuer: str = "scorecard"
    jwt_audience: str = "scorecard-api"
    jwt_signing_key_file: Path | None = None
    jwt_verify_key_files: tuple[Path, ...] = ()
    access_token_minutes: int = 15
    refresh_token_days: int = 45
    # Host headers the server answers (others get 400): DNS rebinding and host-header tricks
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS
    # browser origins allowed to call the API (a web dashboard elsewhere); none by default,
    # tablets are native apps and need no CORS
    cors_origins: tuple[str, ...] = ()
    attachment_store: str = "folder"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None  # for MinIO and other S3-compatible stores
    # the programme's time zone: the dates people see and judge by (due dates, "overdue")
    timezone: str = DEFAULT_TIMEZONE
    limits: Limits = field(default_factory=Limits)
    # reminders by email; no host: mail is off and messages wait in the outbox
    smtp: Smtp = field(default_factory=Smtp)
    # the bearer token the operator's scraper sends to /metrics; none: /metrics is off (404).
    # Never in a repr or a log
    metrics_token: str | None = field(default=None, repr=False)

    def today(self, now: datetime | None = None) -> date:
        """The programme's date now: the date people judge deadlines by, in its time zone (an
        item due today in Ulaanbaatar is not overdue until its midnight, 16:00 UTC)."""
        return (now or datetime.now(UTC)).astimezone(ZoneInfo(self.timezone)).date()

    @property
    def embedded_database(self) -> bool:
        return self.database_url is None

    @property
    def production(self) -> bool:
        return self.environment == "production"

    @property
    def embedded_pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    @property
    def jwt_key_dir(self) -> Path:
        return self.data_dir / "jwt"

    def with_database_url(self, url: str) -> Settings:
        return dataclasses.replace(self, database_url=url)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Read the documented environment variables; raise SettingsError on a bad value."""
        env = os.environ if env is None else env
        reader = _Reader(env)
        limits = Limits()
        settings = cls(
            environment=reader.choice("SCORECARD_ENV", "development", ENVIRONMENTS),
            database_url=asyncpg_url(env.get("DATABASE_URL") or None),
            data_dir=Path(env.get("SCORECARD_DATA_DIR") or "var"),
            host=env.get("SCORECARD_HOST") or "127.0.0.1",
            port=reader.integer("SCORECARD_PORT", 8000, low=1, high=65535),
            workers=reader.integer("SCORECARD_WORKERS", 1, low=1, high=64),
            log_format=reader.choice("SCORECARD_LOG_FORMAT", "text", LOG_FORMATS),
            log_level=reader.choice(
                "SCORECARD_LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR")
            ),
            jwt_issuer=env.get("SCORECARD_JWT_ISSUER") or "scorecard",
            jwt_audience=env.get("SCORECARD_JWT_AUDIENCE") or "scorecard-api",
            jwt_signing_key_file=reader.path("SCORECARD_JWT_SIGNING_KEY_FILE"),
            jwt_verify_key_files=reader.paths("SCORECARD_JWT_VERIFY_KEY_FILES"),
            access_token_minutes=reader.integer(
                "SCORECARD_ACCESS_TOKEN_MINUTES", 15, low=1, high=24 * 60
            ),
            allowed_hosts=reader.names("SCORECARD_ALLOWED_HOSTS", LOCAL_HOSTS),
            cors_origins=reader.names("SCORECARD_CORS_ORIGINS", ()),
            attachment_store=reader.choice("SCORECARD_ATTACHMENT_STORE", "folder", STORES),
            s3_bucket=env.get("SCORECARD_S3_BUCKET") or None,
            s3_endpoint_url=env.get("SCORECARD_S3_ENDPOINT_URL") or None,
            refresh_token_days=reader.integer("SCORECARD_REFRESH_TOKEN_DAYS", 45, low=1, high=365),
            timezone=_time_zone(env.get("SCORECARD_TIMEZONE") or DEFAULT_TIMEZONE),
            limits=Limits(
                max_body_bytes=reader.integer(
                    "SCORECARD_MAX_BODY_BYTES", limits.max_body_bytes, low=1024, high=1 << 30
                ),
                max_push_mutations=reader.integer(
                    "SCORECARD_MAX_PUSH_MUTATIONS", limits.max_push_mutations, low=1, high=10_000
                ),
                max_attachment_bytes=reader.integer(
                    "SCORECARD_MAX_ATTACHMENT_BYTES",
                    limits.max_attachment_bytes,
                    low=1024,
                    high=1 << 30,
                ),
                push_concurrency=reader.integer(
                    "SCORECARD_PUSH_CONCURRENCY", limits.push_concurrency, low=1, high=64
                ),
                max_page_size=reader.integer(
                    "SCORECARD_MAX_PAGE_SIZE", limits.max_page_size, low=10, high=10_000
                ),
            ),
            smtp=Smtp(
                host=env.get("SCORECARD_SMTP_HOST") or None,
                port=reader.integer("SCORECARD_SMTP_PORT", 587, low=1, high=65535),
                username=env.get("SCORECARD_SMTP_USERNAME") or None,
                password=env.get("SCORECARD_SMTP_PASSWORD") or None,
                from_address=env.get("SCORECARD_SMTP_FROM") or "scorecard@localhost",
                starttls=reader.flag("SCORECARD_SMTP_STARTTLS", True),
            ),
            metrics_token=reader.secret("SCORECARD_METRICS_TOKEN", shortest=METRICS_TOKEN_MIN),
        )
        if settings.attachment_store == "s3" and settings.s3_bucket is None:
            raise SettingsError(
                "SCORECARD_S3_BUCKET is required when SCORECARD_ATTACHMENT_STORE=s3"
            )
        if settings.production:
            if settings.database_url is None:
                raise SettingsError("DATABASE_URL is required when SCORECARD_ENV=production")
            if settings.jwt_signing_key_file is None:
                raise SettingsError(
                    "SCORECARD_JWT_SIGNING_KEY_FILE is required when SCORECARD_ENV=production"
                )
        return settings


def asyncpg_url(url: str | None) -> str | None:
    """Accept the usual postgres:// spellings and point them at the asyncpg driver."""
    if url is None:
        return None
    for prefix in ("postgres://", "postgresql://", "postgresql+asyncpg://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    raise SettingsError("DATABASE_URL must be a postgresql:// URL")


@dataclass(frozen=True, slots=True)
class _Reader:
    env: Mapping[str, str]

    def integer(self, name: str, default: int, *, low: int, high: int) -> int:
        raw = self.env.get(name)
        if not raw:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be an integer, got {raw!r}") from None
        if not low <= value <= high:
            raise SettingsError(f"{name} must be between {low} and {high}, got {value}")
        return value

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        raw = self.env.get(name) or default
        if raw not in choices:
            raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
        return raw

    def flag(self, name: str, default: bool) -> bool:
        raw = (self.env.get(name) or "").strip().lower()
        if not raw:
            return default
        if raw in ("1", "true", "yes", "on"):
            return True
        if raw in ("0", "false", "no", "off"):
            return False
        raise SettingsError(f"{name} must be true or false, got {raw!r}")

    def secret(self, name: str, *, shortest: int) -> str | None:
        """A token of at least `shortest` characters, or None when unset; its value is never
        repeated in an error."""
        raw = (self.env.get(name) or "").strip()
        if not raw:
            return None
        if len(raw) < shortest:
            raise SettingsError(f"{name} must be at least {shortest} characters long")
        return raw

    def path(self, name: str) -> Path | None:
        raw = self.env.get(name)
        return Path(raw) if raw else None

    def paths(self, name: str) -> tuple[Path, ...]:
        raw = self.env.get(name) or ""
        return tuple(Path(part) for part in raw.split(",") if part.strip())

    def names(self, name: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """A comma-separated list; unset keeps the default, `*` alone means any."""
        raw = self.env.get(name)
        if raw is None or not raw.strip():
            return default
        return tuple(part.strip() for part in raw.split(",") if part.strip())


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"SCORECARD_TIMEZONE: {name!r} is not an IANA time zone") from None
    return name
