"""Liveness, readiness, problem details, limits and request ids."""

import dataclasses

import msgspec
import pytest
from httpx import AsyncClient
from litestar import Litestar, post
from litestar.params import JSONBody
from sqlalchemy import text

from backend.app import create_app
from backend.database.session import DbSession, open_database
from backend.settings import Limits, Settings
from tests.support.http import serve

pytestmark = pytest.mark.asyncio


async def test_health_answers_ok(client: AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_ready_when_database_is_at_migration_head(client: AsyncClient) -> None:
    response = await client.get("/ready")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["migration"] == body["expected_migration"]


async def test_ready_is_503_when_the_database_is_unreachable(settings: Settings) -> None:
    unreachable = open_database("postgresql+asyncpg://nobody@127.0.0.1:1/none")
    app = create_app(settings, database=unreachable)
    async with serve(app) as client:
        response = await client.get("/ready")
    await unreachable.dispose()
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.headers["retry-after"]


async def test_ready_is_503_when_migrations_are_behind(
    settings: Settings, committed_database_url: str
) -> None:
    database = open_database(committed_database_url)
    async with database.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    async with serve(create_app(settings, database=database)) as client:
        response = await client.get("/ready")
    await database.dispose()
    assert response.status_code == 503
    assert response.json()["migration"] == "older"


async def test_unknown_path_is_problem_json_404(client: AsyncClient) -> None:
    response = await client.get("/no/such/thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "not_found"
    assert body["status"] == 404
    assert body["request_id"] == response.headers["x-request-id"]


async def test_wrong_method_is_problem_json_405(client: AsyncClient) -> None:
    response = await client.post("/health")
    assert response.status_code == 405
    assert response.json()["code"] == "request.method_not_allowed"


class Echo(msgspec.Struct):
    name: str
    count: int


@post("/test/echo", opt={"access": "public"})
async def echo(data: JSONBody[Echo]) -> Echo:
    return data


@post("/test/explode", opt={"access": "public"})
async def explode() -> None:
    raise RuntimeError("secret internals: password=hunter2")


async def test_body_over_the_limit_is_problem_json_413(settings: Settings, database) -> None:  # type: ignore[no-untyped-def]
    small = dataclasses.replace(settings, limits=Limits(max_body_bytes=1024))
    app = create_app(small, database=database)
    app.register(echo)
    async with serve(app) as client:
        ok = await client.post("/test/echo", json={"name": "x", "count": 1})
        too_big = await client.post("/test/echo", json={"name": "x" * 2000, "count": 1})
    assert ok.status_code == 201
    assert too_big.status_code == 413
    assert too_big.headers["content-type"].startswith("application/problem+json")
    assert too_big.json()["code"] == "request.too_large"


async def test_invalid_body_names_the_field(app: Litestar) -> None:
    app.register(echo)
    async with serve(app) as client:
        response = await client.post("/test/echo", json={"name": "x", "count": "three"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "request.invalid"
    assert body["field"] == "count"
    assert body["errors"][0]["field"] == "count"


async def test_unexpected_error_is_500_problem_without_internals(app: Litestar) -> None:
    app.register(explode)
    async with serve(app) as client:
        response = await client.post("/test/explode")
    assert response.status_code == 500
    assert response.json()["code"] == "server.error"
    assert "hunter2" not in response.text
    assert "Traceback" not in response.text


async def test_request_id_is_echoed_or_made(client: AsyncClient) -> None:
    made = await client.get("/health")
    assert len(made.headers["x-request-id"]) == 16
    echoed = await client.get("/health", headers={"x-request-id": "tablet-42-abcdef"})
    assert echoed.headers["x-request-id"] == "tablet-42-abcdef"
    refused = await client.get("/health", headers={"x-request-id": "<script>"})
    assert refused.headers["x-request-id"] != "<script>"


async def test_large_responses_are_gzipped(client: AsyncClient) -> None:
    response = await client.get("/schema/openapi.json", headers={"accept-encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    # httpx decodes transparently; the body is the real document
    assert response.json()["info"]["title"] == "Community scorecard API"


@post("/test/probe", opt={"access": "public"})
async def write_probe(db: DbSession) -> dict[str, str]:
    # the deferred unique constraint only fails at COMMIT, after the handler returned
    await db.execute(text("INSERT INTO commit_probe (id) VALUES (1), (1)"))
    return {"stored": "yes"}


async def test_a_failed_commit_is_never_a_2xx(
    settings: Settings, committed_database_url: str
) -> None:
    database = open_database(committed_database_url)
    async with database.engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE TABLE commit_probe (id int, CONSTRAINT uq_probe UNIQUE (id) "
                "DEFERRABLE INITIALLY DEFERRED)"
            )
        )
    app = create_app(settings, database=database)
    app.register(write_probe)
    async with serve(app) as client:
        response = await client.post("/test/probe")
    async with database.engine.connect() as connection:
        stored = await connection.scalar(text("SELECT count(*) FROM commit_probe"))
    await database.dispose()
    assert response.status_code >= 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert stored == 0
