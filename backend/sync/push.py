"""Push: a device's mutations applied in order, exactly once, each accepted or refused alone.

All of one push happens in the request's transaction: records are read (and locked) in bulk,
each mutation is decided in memory in mutation-id order, and the outcome is written in bulk at
the end. A database failure anywhere rolls the whole push back; the device retries it. A key a
concurrent push took a moment ago is not such a failure: the batch is decided again and finds
that push's record; a batch that breaks a rule of the stored records again is decided one
mutation at a time, the one at fault refused (`sync.constraint`) and the rest stored, so a
deterministic error never answers "retry" for ever.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from backend.attachments import refs
from backend.attachments.refs import MENTIONING, evidence_of
from backend.auth.policy import Principal
from backend.settings import Settings
from backend.sync.apply import Batch
from backend.sync.entity import Rejected, Source
from backend.sync.errors import (
    BatchTooLarge,
    DeviceMismatch,
    DeviceRequired,
    MutationMismatch,
    UnsupportedProtocol,
)
from backend.sync.models import SyncDevice, SyncMutation
from backend.sync.schemas import (
    SUPPORTED_PROTOCOLS,
    MutationIn,
    MutationResult,
    PushIn,
    PushOut,
)
from backend.sync.workset import uuid_or_none

# A device clock this far off is flagged in the result and the log (never used for ordering).
CLOCK_AHEAD = timedelta(minutes=10)
CLOCK_BEHIND = timedelta(days=60)


class MutationGap(Rejected):
    code = "sync.mutation_gap"


def check_device(principal: Principal, device_id: uuid.UUID, protocol: int) -> None:
    if protocol not in SUPPORTED_PROTOCOLS:
        raise UnsupportedProtocol(
            f"Protocol {protocol} is not supported; this server speaks "
            f"{', '.join(map(str, sorted(SUPPORTED_PROTOCOLS)))}. Update the app."
        )
    if principal.device_id is None:
        raise DeviceRequired("Sign in from the tablet (with its device) to sync.")
    if principal.device_id != device_id:
        raise DeviceMismatch("This sign-in belongs to another device.", field="device_id")


def content_hash(mutation: MutationIn) -> str:
    content = {
        "entity": mutation.entity,
        "op": mutation.op,
        "id": mutation.id,
        "base_version": mutation.base_version,
        "data": mutation.data,
        "base": mutation.base,
    }
    return hashlib.sha256(msgspec.json.encode(content, order="sorted")).hexdigest()


def _storable(client_ts: datetime | None) -> datetime | None:
    """The device's clock reading as it can be kept; one with no UTC form is dropped (the
    mutation is then flagged, like any clock far off)."""
    if client_ts is None:
        return None
    try:
        (client_ts if client_ts.tzinfo else client_ts.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        return None
    return client_ts


def _clock_flagged(client_ts: datetime | None, now: datetime) -> bool:
    if client_ts is None:
        return False
    if client_ts.tzinfo is None:
        client_ts = client_ts.replace(tzinfo=UTC)
    return client_ts > now + CLOCK_AHEAD or client_ts < now - CLOCK_BEHIND


async def _lock_device(db: AsyncSession, device_id: uuid.UUID) -> SyncDevice:
    # a device new to this database continues from its own numbering on its first push: it
    # may have been numbering against a database restored since from an older backup
    await db.execute(
        pg_insert(SyncDevice)
        .values(device_id=device_id, restored=True)
        .on_conflict_do_nothing(index_elements=[SyncDevice.device_id])
    )
    state = await db.scalar(
        select(SyncDevice).where(SyncDevice.device_id == device_id).with_for_update()
    )
    assert state is not None
    return state


async def _attachments(
    db: AsyncSession,
    batch: Batch,
    device_id: uuid.UUID | None,
    results: list[MutationResult],
    logs: dict[int, dict[str, Any]],
) -> None:
    """Note which records mention which attachments; tell the device which are missing (a
    person at the console, without a device, hands in the files with the mutation)."""
    written = [
        (w.kind.name, w.id, w.facility_id, evidence_of(w.kind.name, w.values), w.deleted, w.new)
        for w in batch.records.values()
        if w.dirty and w.kind.name in MENTIONING
    ]
    if not written:
        return
    await refs.record(db, written, device_id)
    if device_id is None:
        return
    missing = await refs.unheld(db, written, device_id)
    for result in results:
        record_id = uuid_or_none(result.id)
        wrote = result.status in ("applied", "merged", "conflict")
        if wrote and record_id is not None and missing.get(record_id):
            result.missing_attachments = missing[record_id]
            logs[result.mutation_id]["result"]["missing_attachments"] = result.missing_attachments


async def push(
    db: AsyncSession, *, principal: Principal, settings: Settings, body: PushIn
) -> PushOut:
    check_device(principal, body.device_id, body.protocol)
    limit = settings.limits.max_push_mutations
    if len(body.mutations) > limit:
        raise BatchTooLarge(
            f"{len(body.mutations)} mutations in one push; send at most {limit}.", field="mutations"
        )
    device_id = body.device_id
    state = await _lock_device(db, device_id)  # one push per device at a time
    mutations = sorted(body.mutations, key=lambda m: m.mutation_id)
    settled = state.last_mutation_id
    if state.restored and mutations:
        # the database was restored from a backup, or the device is new to this database: what
        # the device numbered before is not here; continue from the device's own numbering
        settled = max(settled, mutations[0].mutation_id - 1)
        state.restored = False
    deciding = _Deciding(db, principal, settings, device_id)
    try:
        # a key a concurrent push took a moment ago: decided again, the batch finds its record
        results, settled = await deciding.in_savepoint(mutations, settled, retries=1)
    except IntegrityError as broke:
        if not _unique_violation(broke):
            raise
        # the same batch breaks a rule of the stored records twice: a deterministic refusal,
        # found one mutation at a time so that the rest of the batch is stored and the
        # device's queue moves on
        results, settled = await deciding.one_by_one(mutations, settled)
    if deciding.stored_any:
        state.last_mutation_id = settled
        state.updated_at = datetime.now(UTC)
    await db.flush()
    return PushOut(results=results, last_mutation_id=settled)


def _unique_violation(error: IntegrityError) -> bool:
    return getattr(error.orig, "sqlstate", None) == "23505"


class StoredRecordsRule(Rejected):
    """The mutation would break a rule of the stored records (a key held twice); nothing of it
    is stored."""

    code = "sync.constraint"


class _Deciding:
    """One push's mutations decided and written: the whole batch in one go, or one mutation
    at a time when the batch as a whole breaks a rule of the database."""

    def __init__(
        self, db: AsyncSession, principal: Principal, settings: Settings, device_id: uuid.UUID
    ) -> None:
        self.db, self.principal, self.settings, self.device_id = db, principal, settings, device_id
        self.stored_any = False

    async def in_savepoint(
        self, mutations: list[MutationIn], settled: int, *, retries: int
    ) -> tuple[list[MutationResult], int]:
        for attempt in range(retries + 1):
            try:
                async with self.db.begin_nested():
                    return await self.decide(mutations, settled)
            except IntegrityError as broke:
                if not _unique_violation(broke) or attempt == retries:
                    raise
        raise AssertionError("unreachable")

    async def one_by_one(
        self, mutations: list[MutationIn], settled: int
    ) -> tuple[list[MutationResult], int]:
        results: list[MutationResult] = []
        for mutation in mutations:
            try:
                answered, now_settled = await self.in_savepoint([mutation], settled, retries=0)
            except IntegrityError as broke:
                if not _unique_violation(broke):
                    raise
                refused = StoredRecordsRule(
                    "this change would break a rule of the stored records (a key held twice); "
                    "nothing of it was stored"
                ).error
                answered = [
                    MutationResult(
                        mutation_id=mutation.mutation_id,
                        id=mutation.id,
                        status="rejected",
                        error=refused,
                    )
                ]
                now_settled = settled
                if mutation.mutation_id == settled + 1:
                    async with self.db.begin_nested():
                        await self._log({mutation.mutation_id: self._entry(mutation, answered[0])})
                    now_settled = mutation.mutation_id
            results += answered
            settled = now_settled
        return results, settled

    async def decide(
        self, mutations: list[MutationIn], settled: int
    ) -> tuple[list[MutationResult], int]:
        db, device_id = self.db, self.device_id
        replayed = {m.mutation_id for m in mutations if m.mutation_id <= settled}
        logged = (
            {
                row.mutation_id: row
                for row in await db.scalars(
                    select(SyncMutation).where(
                        SyncMutation.device_id == device_id,
                        SyncMutation.mutation_id.in_(replayed),
                    )
                )
            }
            if replayed
            else {}
        )
        batch = Batch(db, self.principal, device_id, timezone=self.settings.timezone)
        await batch.prefetch([m for m in mutations if m.mutation_id > settled])

        now = datetime.now(UTC)
        results: list[MutationResult] = []
        new_logs: dict[int, dict[str, Any]] = {}
        gap = False
        for mutation in mutations:
            digest = content_hash(mutation)
            earlier = logged.get(mutation.mutation_id) or new_logs.get(mutation.mutation_id)
            if mutation.mutation_id <= settled and earlier is not None:
                earlier_hash = (
                    earlier["content_hash"] if isinstance(earlier, dict) else earlier.content_hash
                )
                earlier_result = earlier["result"] if isinstance(earlier, dict) else earlier.result
                if earlier_hash != digest:
                    raise MutationMismatch(
                        f"Mutation {mutation.mutation_id} was already settled with other "
                        "content: this tablet's numbering went back (restored from a backup of "
                        "itself?). Take a new device id and number the unsent mutations anew.",
                        field=f"mutations[{mutation.mutation_id}]",
                    )
                original = msgspec.convert(earlier_result, MutationResult)
                results.append(
                    msgspec.structs.replace(
                        original, status="duplicate", original_status=original.status
                    )
                )
                continue
            if gap or mutation.mutation_id != settled + 1:
                gap = True
                results.append(
                    MutationResult(
                        mutation_id=mutation.mutation_id,
                        id=mutation.id,
                        status="rejected",
                        error=MutationGap(
                            f"expected mutation {settled + 1}; send the missing ones first",
                            "mutation_id",
                        ).error,
                    )
                )
                continue
            result = await batch.apply(mutation)
            client_ts = _storable(mutation.client_ts)
            result.clock_flagged = client_ts is None and mutation.client_ts is not None
            result.clock_flagged = result.clock_flagged or _clock_flagged(client_ts, now)
            results.append(result)
            settled = mutation.mutation_id
            new_logs[settled] = self._entry(mutation, result, client_ts=client_ts)
        await batch.flush()
        await _attachments(db, batch, device_id, results, new_logs)
        await self._log(new_logs)
        return results, settled

    def _entry(
        self, mutation: MutationIn, result: MutationResult, *, client_ts: datetime | None = None
    ) -> dict[str, Any]:
        return {
            "device_id": self.device_id,
            "mutation_id": mutation.mutation_id,
            "content_hash": content_hash(mutation),
            # a NUL in an id the device made up cannot be stored as JSON: kept as U+FFFD
            "result": msgspec.to_builtins(
                msgspec.structs.replace(result, id=result.id.replace("\x00", "\ufffd"))
            ),
            "user_id": self.principal.user_id,
            "client_ts": client_ts,
            "clock_flagged": result.clock_flagged,
        }

    async def _log(self, entries: dict[int, dict[str, Any]]) -> None:
        if entries:
            await self.db.execute(insert(SyncMutation), list(entries.values()))
            await self.db.flush()
            self.stored_any = True


async def enter(
    db: AsyncSession,
    *,
    principal: Principal,
    settings: Settings,
    mutation: MutationIn,
    source: Source,
    write: bool = True,
) -> MutationResult:
    """One mutation a person enters at the console, without a device (a paper sheet typed in):
    decided and written as a push's are, with the record's history, the change feed, conflicts
    and the attachments it mentions (those mentions belong to no device: the person hands in
    the files with it, `backend/attachments/uploads.keep`).

    Exactly once by the record's id, since no device counts these mutations: the same create
    arriving again (a double click, a form sent twice) waits for the first to commit, then is
    answered `duplicate` by the record itself, and the id sent again with other content is
    `sync.id_taken`. A rejected mutation writes nothing; its result says why. With `write`
    false the mutation is only decided (a form checked whole while a file it needs is
    missing), and nothing is written either."""
    record_id = uuid_or_none(mutation.id)
    if record_id is not None:
        # two arrivals of one record take turns: the second then finds the first stored
        await db.execute(
            select(func.pg_advisory_xact_lock(func.hashtextextended(str(record_id), 0)))
        )
    batch = Batch(db, principal, None, timezone=settings.timezone, source=source)
    await batch.prefetch([mutation])
    result = await batch.apply(mutation)
    if result.status == "rejected" or not write:
        return result
    await batch.flush()
    await _attachments(db, batch, None, [result], {})
    await db.flush()
    return result
