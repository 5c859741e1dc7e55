"""compose.yaml describes the production shape with settings the app really reads."""

from pathlib import Path

import yaml

from backend.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_compose_runs_postgres_16_with_a_volume_and_healthcheck() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:16")
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_compose_app_environment_is_valid_production_settings() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    app = compose["services"]["app"]
    assert app["build"] == "."
    assert app["depends_on"]["db"]["condition"] == "service_healthy"
    env = {
        key: value.replace("${POSTGRES_PASSWORD:-change-me}", "change-me")
        for key, value in app["environment"].items()
    }
    assert app["depends_on"]["bucket"]["condition"] == "service_completed_successfully"
    settings = Settings.from_env(env)
    assert settings.production
    assert settings.database_url == "postgresql+asyncpg://scorecard:change-me@db:5432/scorecard"
    assert settings.workers == 2


def test_compose_keeps_evidence_in_the_bucket_it_makes() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    env = compose["services"]["app"]["environment"]
    settings = Settings.from_env(
        {key: value.replace("${POSTGRES_PASSWORD:-change-me}", "pw") for key, value in env.items()}
    )
    assert settings.attachment_store == "s3"
    assert settings.s3_endpoint_url == "http://objects:9000"
    assert f"store/{settings.s3_bucket}" in compose["services"]["bucket"]["entrypoint"]
