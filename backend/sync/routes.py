"""The tablet-facing sync endpoints (API.md, "Sync"; mobile_contract/SYNC.md)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

import msgspec
from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from backend.auth.models import Role
from backend.auth.policy import SIGNED_IN, CurrentPrincipal, allow
from backend.database.session import DbSession
from backend.sync import conflicts, feed
from backend.sync import push as pushing
from backend.sync.errors import UnsupportedProtocol
from backend.sync.schemas import (
    SUPPORTED_PROTOCOLS,
    ConflictOut,
    IntegrityIn,
    IntegrityOut,
    Protocol,
    PullIn,
    PullOut,
    PushIn,
    PushOut,
    ResolvedOut,
    ResolveIn,
    VersionOut,
)
from backend.system import metrics
from backend.web.pagination import Offset, page_request

SYNCERS = allow(Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.MONITOR, Role.PROVIDER)
RESOLVERS = allow(Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR)


async def check_protocol(request: Request[Any, Any, Any]) -> None:
    """Answer 426 before the body is decoded as version 1, whatever shape a newer one has."""
    try:
        protocol = msgspec.json.decode(await request.body(), type=Protocol).protocol
    except msgspec.DecodeError:
        return  # malformed: the ordinary decoding reports it with its field
    if protocol not in SUPPORTED_PROTOCOLS:
        raise UnsupportedProtocol(
            f"Protocol {protocol} is not supported; this server speaks "
            f"{', '.join(map(str, sorted(SUPPORTED_PROTOCOLS)))}. Update the app."
        )


@post("/sync/v1/push", opt=SYNCERS, tags=["sync"], status_code=200, before_request=check_protocol)
async def push(
    db: DbSession, state: State, principal: CurrentPrincipal, data: JSONBody[PushIn]
) -> PushOut:
    """Apply a batch of the device's mutations, oldest first; one result per mutation."""
    answer = await pushing.push(db, principal=principal, settings=state.settings, body=data)
    for result in answer.results:
        metrics.PUSH_MUTATIONS.labels(result.status).inc()
    return answer


@post("/sync/v1/pull", opt=SIGNED_IN, tags=["sync"], status_code=200, before_request=check_protocol)
async def pull(
    db: DbSession, state: State, principal: CurrentPrincipal, data: JSONBody[PullIn]
) -> PullOut:
    """Every change in the caller's scope after the cursor (null: from the beginning)."""
    answer = await feed.pull(db, principal=principal, settings=state.settings, body=data)
    for change in answer.changes:
        metrics.PULLED_RECORDS.labels(change.op).inc()
    return answer


@get("/sync/v1/conflicts", opt=SIGNED_IN, tags=["sync"])
async def list_conflicts(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    status: FromQuery[str | None] = None,
    limit: Annotated[int | None, Parameter(ge=1)] = None,
    offset: Offset = 0,
) -> list[ConflictOut]:
    page = page_request(state, limit, offset)
    return await conflicts.list_conflicts(
        db, principal=principal, status=status, limit=page.limit, offset=page.offset
    )


@post(
    "/sync/v1/conflicts/{conflict_id:uuid}/resolve", opt=RESOLVERS, tags=["sync"], status_code=200
)
async def resolve_conflict(
    db: DbSession,
    principal: CurrentPrincipal,
    conflict_id: FromPath[uuid.UUID],
    data: JSONBody[ResolveIn],
) -> ResolvedOut:
    """Keep the server's value, take the device's, or set another; a new version follows."""
    answer = await conflicts.resolve(
        db,
        principal=principal,
        conflict_id=conflict_id,
        choice=data.choice,
        value=data.value,
        note=data.note,
    )
    metrics.CONFLICTS_RESOLVED.labels(data.choice).inc()
    return answer


@post("/sync/v1/integrity", opt=SIGNED_IN, tags=["sync"], status_code=200)
async def integrity(
    db: DbSession, principal: CurrentPrincipal, data: JSONBody[IntegrityIn]
) -> IntegrityOut:
    """Which of these ids are deleted, out of the caller's scope, or unknown to the server."""
    return await conflicts.integrity(db, principal=principal, entity=data.entity, ids=data.ids)


@get("/sync/v1/history/{entity:str}/{record_id:uuid}", opt=SIGNED_IN, tags=["sync"])
async def record_history(
    db: DbSession,
    principal: CurrentPrincipal,
    entity: FromPath[str],
    record_id: FromPath[uuid.UUID],
) -> list[VersionOut]:
    """Every version of a record: who changed which fields, when, from which device."""
    return await conflicts.history(db, principal=principal, entity=entity, record_id=record_id)


ROUTES = [push, pull, list_conflicts, resolve_conflict, integrity, record_history]
