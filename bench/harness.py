"""What the sync benchmarks share: a fresh database, a programme in it, a real HTTP server.

The database is BENCH_DATABASE_URL (a server; a fresh database is made on it) or, by default,
the embedded PostgreSQL under var/bench-pgdata. The server is `scorecard serve` in a
subprocess, so requests go through real HTTP and a real uvicorn worker.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from backend import seed
from backend.auth.models import Role
from backend.cycles.models import Cycle
from backend.database import migrate
from backend.database.embedded import EmbeddedPostgres
from backend.database.session import open_database
from backend.facilities.models import Facility
from backend.scorecards import service as templates
from backend.scorecards.models import Template
from backend.settings import asyncpg_url
from backend.simulate.server import serving
from backend.users import service as users
from backend.users.schemas import UserCreate
from tests.support import databases

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "bench-password"
INDICATORS = 30


@contextmanager
def fresh_database() -> Iterator[str]:
    given = os.environ.get("BENCH_DATABASE_URL")
    embedded = None
    if given:
        server = asyncpg_url(given)
        assert server is not None
    else:
        embedded = EmbeddedPostgres(ROOT / "var" / "bench-pgdata")
        server = embedded.start()
    name = databases.new_name("scorecard_bench")
    url = databases.create_database(server, name)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        databases.drop_database(server, name)
        if embedded is not None:
            embedded.stop()


def bench_template() -> dict[str, Any]:
    """A scorecard of 30 scale indicators, the size the benchmark pushes."""
    label = {"mn": "Үзүүлэлт", "en": "Indicator"}
    return {
        "key": "bench_thirty",
        "family": "custom",
        "name": {"mn": "Гучин үзүүлэлт", "en": "Thirty indicators"},
        "facility_types": ["school"],
        "sections": [{"key": "all", "title": {"mn": "Бүгд", "en": "All"}}],
        "indicators": [
            {
                "key": f"q{i:02d}",
                "section": "all",
                "label": label,
                "answer": {"type": "scale", "min": 1, "max": 5},
                "respondents": ["community"],
            }
            for i in range(INDICATORS)
        ],
    }


async def _programme(url: str) -> dict[str, Any]:
    database = open_database(url)
    try:
        async with database.sessionmaker() as db, db.begin():
            await seed.reference(db)
            user = await users.create(
                db,
                data=UserCreate(
                    username="bench",
                    display_name="Bench",
                    role=Role.FACILITATOR,
                    password=PASSWORD,
                    area_codes=["MN"],
                ),
                by=None,
            )
            version = await templates.import_document(db, raw=bench_template(), by=user.id)
            version.status = "published"
            facility = Facility(
                type="school", name_mn="Сургууль", name_en="School", area_code="MN-046"
            )
            db.add(facility)
            await db.flush()
            cycle = Cycle(
                facility_id=facility.id,
                template_version_id=version.id,
                label="bench",
                phase="community_scoring",
                opened_by=user.id,
            )
            db.add(cycle)
            await db.flush()
            assert await db.scalar(select(Template.id).where(Template.key == "bench_thirty"))
            return {
                "user_id": user.id,
                "facility_id": facility.id,
                "cycle_id": cycle.id,
                "version_id": version.id,
            }
    finally:
        await database.dispose()


def programme(url: str) -> dict[str, Any]:
    return asyncio.run(_programme(url))


def answers(seed_value: int) -> dict[str, Any]:
    return {
        f"q{i:02d}": {
            "value": 1 + (seed_value + i) % 5,
            "reason": "Хичээл тасалдсан",
            "suggestion": None,
        }
        for i in range(INDICATORS)
    }


@contextmanager
def server(url: str, workers: int = 1) -> Iterator[str]:
    with serving(url, ROOT / "var" / "bench", workers=workers) as served:
        yield served.base_url


def sign_in(base: str) -> tuple[dict[str, str], uuid.UUID]:
    device_id = uuid.uuid4()
    response = httpx.post(
        f"{base}/auth/v1/login",
        json={
            "username": "bench",
            "password": PASSWORD,
            "device": {
                "id": str(device_id),
                "name": "bench",
                "platform": "bench",
                "app_version": "1",
            },
        },
        timeout=30,
    )
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}, device_id


SUBMISSION_COLUMNS = [
    "id",
    "cycle_id",
    "template_version_id",
    "respondent",
    "group",
    "answers",
    "collected_at",
    "content_hash",
    "version",
    "facility_id",
    "created_by",
    "created_at",
    "updated_at",
    "deleted_at",
]


async def copy_submissions(connection: Any, rows: list[tuple[Any, ...]]) -> None:
    """Submission rows (in SUBMISSION_COLUMNS order) straight into the table, triggers and all."""
    await connection.copy_records_to_table("submission", records=rows, columns=SUBMISSION_COLUMNS)
