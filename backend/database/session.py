"""Database wiring: the declarative base, the engine, and one transaction per request."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from litestar.datastructures import State
from litestar.di import NamedDependency
from sqlalchemy import MetaData, func, or_, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, mapped_column

from backend.errors import DomainError

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# A primary key the server makes (records a tablet creates carry the tablet's own UUID instead).
ServerUuid = Annotated[
    uuid.UUID, mapped_column(primary_key=True, server_default=text("gen_random_uuid()"))
]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


@dataclass(frozen=True, slots=True)
class Database:
    """The engine and the session factory the app hands to each request."""

    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]

    async def dispose(self) -> None:
        await self.engine.dispose()


def create_engine(url: str, *, pool_size: int = 10) -> AsyncEngine:
    return create_async_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        connect_args={"server_settings": {"application_name": "scorecard", "timezone": "UTC"}},
    )


def open_database(url: str) -> Database:
    engine = create_engine(url)
    return Database(engine, async_sessionmaker(engine, expire_on_commit=False))


async def in_transaction(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Open the database at `url`, run `work` in one transaction (committed when it returns),
    and let the database go: what a command or a seed does outside a request."""
    database = open_database(url)
    try:
        async with database.sessionmaker() as session, session.begin():
            return await work(session)
    finally:
        await database.dispose()


async def provide_db(state: State) -> AsyncIterator[AsyncSession]:
    """One session and one transaction per request, committed before the response is sent.

    Litestar closes this generator after the handler has built its response and before the
    response goes out, so a failed commit raises and becomes an error response, never a 2xx.
    """
    database: Database = state.database
    async with database.sessionmaker() as session:
        transaction = await session.begin()
        try:
            yield session
        except DomainError as error:
            await (transaction.commit() if error.keeps_writes else transaction.rollback())
            raise
        except BaseException:
            await transaction.rollback()
            raise
        else:
            await transaction.commit()


# The request's session, as route handlers declare it: `db: DbSession`.
DbSession = NamedDependency[AsyncSession]


async def upsert_changed(
    db: AsyncSession, model: Any, rows: list[dict[str, Any]], *, key: Any, columns: tuple[str, ...]
) -> set[Any]:
    """Insert new rows and update the changed ones (by `key`); returns the keys written.

    Unchanged rows are left alone, so importing the same file twice writes nothing.
    """
    proposed = insert(model).values(rows)
    statement = proposed.on_conflict_do_update(
        index_elements=[key],
        set_={column: proposed.excluded[column] for column in columns} | {"updated_at": func.now()},
        where=or_(
            *(
                getattr(model, column).is_distinct_from(proposed.excluded[column])
                for column in columns
            )
        ),
    ).returning(key)
    return set(await db.scalars(statement))
