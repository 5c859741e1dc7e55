"""Alembic environment: async engine, URL handed over by backend.database.migrate (from Settings)."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from backend.database.models import metadata

config = context.config


def _database_url() -> str:
    url = config.attributes.get("database_url")
    if not url:
        raise SystemExit(
            "No database URL: run migrations with `uv run scorecard db upgrade`, "
            "which reads DATABASE_URL or starts the embedded PostgreSQL."
        )
    return url


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        compare_server_default=True,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(_database_url(), poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
        await connection.commit()
    await engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run against a database")
asyncio.run(_run_async())
