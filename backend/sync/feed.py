"""Pull: the change feed in (xid, id) order, never past the oldest running transaction.

Every change row carries the id of the transaction that wrote it. A pull hands out only rows
whose transaction id is below the snapshot's xmin: those transactions have all ended, so no
row can later appear behind the cursor. A transaction that commits late holds the feed back
for everyone until it ends, instead of being skipped.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import Text, Uuid, and_, any_, cast, func, literal, not_, or_, select, text, tuple_
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from backend.attachments.refs import evidence_of
from backend.auth.policy import Principal
from backend.settings import Settings
from backend.sync import cursor as cursors
from backend.sync import entity as entities
from backend.sync import scope
from backend.sync.models import Change, SyncMutation
from backend.sync.push import check_device
from backend.sync.schemas import ChangeOut, PullIn, PullOut
from backend.web.pagination import PageTooLarge

DEFAULT_LIMIT = 500
FEED_COLUMNS = (
    Change.xid,
    Change.id,
    Change.entity,
    Change.record_id,
    Change.version,
    Change.op,
    Change.audience,
)

# a change row saying a record left the area it was scoped to (its facility moved)
LEAVE = "leave"
# rows that take a record back from viewers (a withdrawn publication, cycles/publication.py)
WITHDRAWN = "withdrawn"


async def _feed_state(db: AsyncSession) -> tuple[uuid.UUID, int, int]:
    """The feed's epoch, and (xmin, xmax) of a fresh snapshot: every transaction below xmin
    has ended. One round trip: a pull's fixed cost is mostly round trips."""
    row = (
        await db.execute(
            text(
                "SELECT epoch, pg_snapshot_xmin(pg_current_snapshot())::text::bigint, "
                "pg_snapshot_xmax(pg_current_snapshot())::text::bigint "
                "FROM sync_epoch WHERE id = 1"
            )
        )
    ).one()
    return row[0], int(row[1]), int(row[2])


def _xid(value: int) -> Any:
    return literal(value, type_=Change.xid.type)


async def _last_settled(db: AsyncSession, device_id: uuid.UUID, below_xid: int) -> int:
    """The highest mutation of this device whose changes the device has now been given."""
    return (
        await db.scalar(
            select(func.coalesce(func.max(SyncMutation.mutation_id), 0)).where(
                SyncMutation.device_id == device_id, SyncMutation.xid < _xid(below_xid)
            )
        )
        or 0
    )


def _reset(signer: cursors.Signer, epoch: uuid.UUID, feed_scope: scope.FeedScope) -> PullOut:
    start = cursors.Cursor(epoch=epoch, xid=0, id=0, scope=feed_scope.hash)
    return PullOut(
        changes=[], cursor=signer.encode(start), has_more=True, reset=True, last_mutation_id=0
    )


def _resume(
    signer: cursors.Signer, text: str | None, *, epoch: uuid.UUID, xmax: int
) -> cursors.Cursor | None:
    """The position a cursor names, or None when this server cannot continue from it."""
    if text is None:
        return None
    try:
        position = signer.decode(text)
    except cursors.UnreadableCursor:
        return None
    # another feed (a restored or replaced database), or a position it never reached
    if position.epoch != epoch or position.xid >= xmax:
        return None
    return position


async def pull(
    db: AsyncSession, *, principal: Principal, settings: Settings, body: PullIn
) -> PullOut:
    check_device(principal, body.device_id, body.protocol)
    if body.limit is not None and body.limit > settings.limits.max_page_size:
        raise PageTooLarge(f"limit may be at most {settings.limits.max_page_size}", field="limit")
    limit = body.limit or min(DEFAULT_LIMIT, settings.limits.max_page_size)
    epoch, horizon, xmax = await _feed_state(db)
    current = scope.FeedScope.of(principal)
    signer = cursors.Signer(
        key=cursors.key_for(settings), user_id=principal.user_id, device_id=body.device_id
    )

    position = _resume(signer, body.cursor, epoch=epoch, xmax=xmax)
    if position is None or position.scope != current.hash:
        # a cursor is about to name this scope: keep it, so a later change can be diffed
        await scope.remember(db, current)
    if position is None:
        if body.cursor is not None:
            return _reset(signer, epoch, current)
        position = cursors.Cursor(epoch=epoch, xid=0, id=0, scope=current.hash)

    if position.scope != current.hash and position.delta is None:
        position = cursors.Cursor(
            epoch=epoch,
            xid=position.xid,
            id=position.id,
            scope=current.hash,
            delta=(0, 0),
            old_scope=position.scope,
        )
    if position.delta is not None:
        # the old scope comes from a cursor this server signed for this user's device
        old = await scope.recall(db, position.old_scope or "")
        if old is None or position.scope != current.hash:
            return _reset(signer, epoch, current)  # the scope moved again mid-way: start afresh
        return await _scope_delta(
            db, principal, signer, body.device_id, position, old, current, limit, horizon
        )

    rows = (
        await db.execute(
            # plain rows, not ORM objects: a page is a thousand of them
            select(*FEED_COLUMNS)
            .where(
                tuple_(Change.xid, Change.id) > tuple_(_xid(position.xid), position.id),
                Change.xid < _xid(horizon),
                current.predicate(),
            )
            .order_by(Change.xid, Change.id)
            .limit(limit + 1)
        )
    ).all()
    has_more = len(rows) > limit
    rows = rows[:limit]
    changes = await _changes(db, principal, rows, removed=set())
    if rows:
        last = rows[-1]
        position = cursors.Cursor(epoch=epoch, xid=int(last.xid), id=last.id, scope=current.hash)
    # acknowledge mutations only once everything they wrote has been handed out
    settled_below = position.xid if has_more else horizon
    return PullOut(
        changes=changes,
        cursor=signer.encode(position),
        has_more=has_more,
        reset=False,
        last_mutation_id=await _last_settled(db, body.device_id, settled_below),
    )


async def _scope_delta(
    db: AsyncSession,
    principal: Principal,
    signer: cursors.Signer,
    device_id: uuid.UUID,
    position: cursors.Cursor,
    old: scope.FeedScope,
    new: scope.FeedScope,
    limit: int,
    horizon: int,
) -> PullOut:
    """Walk the feed up to the device's position once more: what left the old scope goes out
    as removals, what came into the new one comes in; then the feed carries on as usual."""
    assert position.delta is not None
    was, now = old.predicate(), new.predicate()
    rows = (
        await db.execute(
            select(*FEED_COLUMNS, now.label("visible"))
            .where(
                tuple_(Change.xid, Change.id) > tuple_(_xid(position.delta[0]), position.delta[1]),
                tuple_(Change.xid, Change.id) <= tuple_(_xid(position.xid), position.id),
                or_(and_(was, not_(now)), and_(now, not_(was))),
            )
            .order_by(Change.xid, Change.id)
            .limit(limit + 1)
        )
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    removed = {(row.entity, row.record_id) for row in rows if not row.visible}
    changes = await _changes(db, principal, rows, removed=removed)
    if more:
        last = rows[-1]
        next_position = msgspec.structs.replace(position, delta=(int(last.xid), last.id))
    else:
        next_position = cursors.Cursor(
            epoch=position.epoch, xid=position.xid, id=position.id, scope=new.hash
        )
    return PullOut(
        changes=changes,
        cursor=signer.encode(next_position),
        has_more=True,  # the ordinary feed follows
        reset=False,
        last_mutation_id=await _last_settled(db, device_id, min(position.xid, horizon)),
    )


async def _changes(
    db: AsyncSession, reader: Principal, rows: Sequence[Any], *, removed: set[tuple[str, str]]
) -> list[ChangeOut]:
    """One change per record (its latest row in the page), with the record as it is now."""
    latest: dict[tuple[str, str], Any] = {}
    for row in rows:
        latest.pop((row.entity, row.record_id), None)
        latest[(row.entity, row.record_id)] = row
    # a record whose facility moved to another area leaves this area's tablets; a withdrawn
    # publication takes its round back from viewers
    removed |= {key for key, row in latest.items() if row.op == LEAVE or row.audience == WITHDRAWN}
    wanted: dict[str, list[str]] = {}
    for entity, record_id in latest:
        if (entity, record_id) not in removed:
            wanted.setdefault(entity, []).append(record_id)
    current: dict[tuple[str, str], tuple[Any, int | None, bool]] = {}
    for entity, ids in wanted.items():
        loaded = await _load(db, reader, entity, ids)
        kind = entities.find(entity)
        if kind is not None and kind.as_read is not None:
            withheld = await kind.as_read(
                db,
                reader,
                {key: data for (_, key), (data, _, deleted) in loaded.items() if not deleted},
            )
            removed |= {(entity, record_id) for record_id in withheld}
        current |= loaded
    unversioned = await _change_counts(db, [key for key, row in latest.items() if not row.version])
    out = []
    for key, row in latest.items():
        version = row.version or unversioned.get(key, 1)
        if key in removed:
            out.append(
                ChangeOut(
                    entity=row.entity,
                    id=row.record_id,
                    op="delete",
                    version=version,
                    data=None,
                    reason="out_of_scope",
                )
            )
            continue
        found = current.get(key)
        if found is None:
            continue  # a record that no longer exists in any form: nothing to hand out
        data, record_version, deleted = found
        if deleted:
            out.append(
                ChangeOut(
                    entity=row.entity,
                    id=row.record_id,
                    op="delete",
                    version=record_version or version,
                    data=None,
                    reason="deleted",
                )
            )
        else:
            out.append(
                ChangeOut(
                    entity=row.entity,
                    id=row.record_id,
                    op="upsert",
                    version=record_version or version,
                    data=data,
                    attachments=evidence_of(row.entity, data),
                )
            )
    return out


async def _change_counts(
    db: AsyncSession, keys: list[tuple[str, str]]
) -> dict[tuple[str, str], int]:
    """A version for records that keep none (areas, facilities, rounds, template versions):
    how many times the record itself changed. Never a feed-wide number, which would tell a
    reader how much happened elsewhere."""
    if not keys:
        return {}
    rows = await db.execute(
        select(Change.entity, Change.record_id, func.count())
        .where(tuple_(Change.entity, Change.record_id).in_(keys))
        .group_by(Change.entity, Change.record_id)
    )
    return {(entity, record_id): count for entity, record_id, count in rows}


async def _load(
    db: AsyncSession, reader: Principal, entity: str, ids: list[str]
) -> dict[tuple[str, str], tuple[Any, int | None, bool]]:
    """Records by id as wire data, with their version and whether they are tombstones."""
    kind = entities.find(entity)
    if kind is not None:
        model: Any = kind.model
        # stored JSON goes out as stored, without decoding and encoding it again
        stored_json = {name for name in kind.fields if isinstance(getattr(model, name).type, JSONB)}
        columns = [
            cast(getattr(model, name), Text) if name in stored_json else getattr(model, name)
            for name in kind.fields
        ]
        rows = await db.execute(
            select(
                cast(model.id, Text), model.version, model.deleted_at, model.created_by, *columns
            ).where(model.id == any_(cast(literal(ids, ARRAY(Text)), ARRAY(Uuid))))
        )
        out = {}
        for row in rows:
            data = dict(zip(kind.fields, row[4:], strict=True))
            for name in stored_json:
                if data[name] is not None:
                    data[name] = msgspec.Raw(data[name].encode())
            # UUIDs, dates and times go out as they are: the JSON encoder writes them canonically
            data["created_by"] = row[3]
            out[(entity, row[0])] = (data, row[1], row[2] is not None)
        return out
    pulled = entities.find_pulled(entity)
    if pulled is None:
        return {}
    found = await pulled.load(db, reader, ids)
    return {(entity, key): (record, None, False) for key, record in found.items()}
