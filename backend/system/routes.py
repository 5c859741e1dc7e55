"""Liveness and readiness."""

from __future__ import annotations

import msgspec
from litestar import Response, get
from litestar.datastructures import State
from sqlalchemy import text

from backend.database import migrate
from backend.database.session import Database


class Health(msgspec.Struct):
    status: str


class Readiness(msgspec.Struct):
    status: str
    database: str
    migration: str | None
    expected_migration: str


@get("/health", tags=["service"], summary="Liveness: the process answers", opt={"access": "public"})
async def health() -> Health:
    return Health(status="ok")


@get(
    "/ready",
    tags=["service"],
    summary="Readiness: the database answers and its schema is at the migration head",
    opt={"access": "public"},
    responses={},
)
async def ready(state: State) -> Response[Readiness]:
    database: Database = state.database
    expected = migrate.head_revision()
    try:
        async with database.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            current = await migrate.current_revision(connection)
    except Exception as exc:  # any failure to reach the database means "not ready"
        body = Readiness("unavailable", f"unreachable: {type(exc).__name__}", None, expected)
        return Response(body, status_code=503, headers={"Retry-After": "5"})
    if current != expected:
        return Response(Readiness("unavailable", "ok", current, expected), status_code=503)
    return Response(Readiness("ok", "ok", current, expected))
