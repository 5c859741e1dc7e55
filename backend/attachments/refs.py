"""Which records mention which attachments: for "still missing", for downloads, and for
pruning files nothing mentions any more.

A file follows the records that mention it: it is downloaded by whoever may see the evidence of
such a record, once a coordinator passed that photo (`backend/reviews/`), and only through
mentions written by a device that sent the file's bytes itself. A hash learned elsewhere and put
in one's own record opens nothing, and nobody learns whether a file they do not hold exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import (
    ColumnElement,
    and_,
    delete,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionUpdate
from backend.attachments.models import Attachment, AttachmentHolder, AttachmentPart, AttachmentRef
from backend.attachments.storage import Store, thumbnail_key
from backend.auth import access
from backend.auth.models import Device
from backend.auth.policy import Principal
from backend.submissions.models import Submission

# (entity, record id, facility id, hashes mentioned now, deleted, new)
Written = tuple[str, uuid.UUID, uuid.UUID, list[str], bool, bool]


def _submission_photo(principal: Principal) -> ColumnElement[bool]:
    """A submission whose evidence the caller may see, where the photo of the mention (an
    AttachmentRef row) was passed by a coordinator (`backend/reviews/`)."""
    return and_(
        access.evidence_visible(principal),
        access.piece_passed(
            principal, Submission.id, literal("photo:") + AttachmentRef.sha256, AttachmentRef.sha256
        ),
    )


# whose evidence a caller may see, per kind of record that mentions files
EVIDENCE_RULES: dict[str, tuple[Any, Callable[[Principal], ColumnElement[bool]]]] = {
    "submission": (Submission.id, _submission_photo),
    "action_update": (ActionUpdate.id, access.action_update_visible),
}
MENTIONING = frozenset(EVIDENCE_RULES)


def evidence_of(entity: str, data: Mapping[str, Any] | None) -> list[str]:
    """The attachment hashes a record's data mentions, in order, each once."""
    if not data or entity not in MENTIONING:
        return []
    found: list[Any] = []
    if entity == "submission":
        answers = data.get("answers") or {}
        if isinstance(answers, msgspec.Raw):  # stored JSON on its way out of a pull
            if b'"evidence"' not in bytes(answers):
                return []
            answers = msgspec.json.decode(answers)
        for answer in answers.values():
            if isinstance(answer, Mapping):
                found += answer.get("evidence") or []
    else:
        found += data.get("evidence") or []
    return list(dict.fromkeys(h for h in found if isinstance(h, str)))


async def record(db: AsyncSession, written: Iterable[Written], device_id: uuid.UUID | None) -> None:
    """Bring the references of written records up to date.

    A hash the record mentioned before keeps the device that first put it there: a colleague
    who edits the record's scores has not sent its photos, and must not stand in for who did."""
    items = [item for item in written if item[0] in MENTIONING]
    earlier = [(entity, rid) for entity, rid, _, _, _, new in items if not new]
    before: dict[tuple[str, uuid.UUID], dict[str, uuid.UUID | None]] = {}
    if earlier:
        rows = await db.execute(
            select(
                AttachmentRef.entity,
                AttachmentRef.record_id,
                AttachmentRef.sha256,
                AttachmentRef.device_id,
            ).where(tuple_(AttachmentRef.entity, AttachmentRef.record_id).in_(earlier))
        )
        for entity, rid, sha, author in rows:
            before.setdefault((entity, rid), {})[sha] = author
        await db.execute(
            delete(AttachmentRef).where(
                tuple_(AttachmentRef.entity, AttachmentRef.record_id).in_(earlier)
            )
        )
    rows_now = []
    touched: set[str] = set()
    for entity, rid, facility_id, hashes, deleted, _ in items:
        now = set() if deleted else set(hashes)
        authors = before.get((entity, rid), {})
        touched |= now ^ authors.keys()
        rows_now += [
            {
                "sha256": sha,
                "entity": entity,
                "record_id": rid,
                "facility_id": facility_id,
                "device_id": authors.get(sha, device_id),
            }
            for sha in sorted(now)
        ]
    if rows_now:
        await db.execute(insert(AttachmentRef), rows_now)
    if touched:
        await db.execute(
            update(Attachment)
            .where(Attachment.sha256.in_(touched))
            .values(last_referenced_at=func.now())
        )


def author_holds() -> ColumnElement[bool]:
    """The device that wrote the mention (an AttachmentRef row) has sent the file's bytes.

    A mention with no device was written by the server itself (the demo rounds) and counts for
    a file the server made itself."""
    return exists().where(
        AttachmentHolder.sha256 == AttachmentRef.sha256,
        AttachmentHolder.device_id.is_not_distinct_from(AttachmentRef.device_id),
    )


def _held_by(principal: Principal) -> ColumnElement[bool]:
    """A holder row of this device; signed in without a device (on the web), of this user."""
    if principal.device_id is not None:
        return AttachmentHolder.device_id == principal.device_id
    return AttachmentHolder.user_id == principal.user_id


async def held_among(db: AsyncSession, principal: Principal, hashes: Iterable[str]) -> set[str]:
    """Those of the hashes whose bytes the caller has sent; any other file, stored or not,
    is one the caller still has to send."""
    wanted = set(hashes)
    if not wanted:
        return set()
    return set(
        await db.scalars(
            select(AttachmentHolder.sha256)
            .where(AttachmentHolder.sha256.in_(wanted), _held_by(principal))
            .distinct()
        )
    )


async def unheld(
    db: AsyncSession, written: Iterable[Written], device_id: uuid.UUID
) -> dict[uuid.UUID, list[str]]:
    """Per written record, the files its mentions expect from this device that this device
    has not sent yet (whoever else may have sent the same bytes)."""
    items = [item for item in written if item[0] in MENTIONING and item[3] and not item[4]]
    if not items:
        return {}
    rows = await db.execute(
        select(AttachmentRef.record_id, AttachmentRef.sha256).where(
            tuple_(AttachmentRef.entity, AttachmentRef.record_id).in_(
                [(entity, rid) for entity, rid, *_ in items]
            ),
            AttachmentRef.device_id == device_id,
            ~author_holds(),
        )
    )
    pending = {(rid, sha) for rid, sha in rows}
    return {rid: [h for h in hashes if (rid, h) in pending] for _, rid, _, hashes, _, _ in items}


async def missing_for(db: AsyncSession, principal: Principal) -> list[str]:
    """Files that records written from this device mention and this device has not sent;
    signed in without a device (on the web), from any of the user's devices."""
    devices = (
        [principal.device_id]
        if principal.device_id is not None
        else select(Device.id).where(Device.registered_by == principal.user_id)
    )
    rows = await db.scalars(
        select(AttachmentRef.sha256)
        .where(AttachmentRef.device_id.in_(devices), ~author_holds())
        .distinct()
        .order_by(AttachmentRef.sha256)
    )
    return list(rows)


def _evidence_seen(principal: Principal) -> ColumnElement[bool]:
    """The mentioning record (an AttachmentRef row) is one whose evidence the caller may see."""
    return or_(
        *(
            and_(
                AttachmentRef.entity == entity,
                AttachmentRef.record_id.in_(select(record_id).where(rule(principal))),
            )
            for entity, (record_id, rule) in EVIDENCE_RULES.items()
        )
    )


async def visible(db: AsyncSession, principal: Principal, sha256: str) -> Attachment | None:
    """The attachment, if the caller sent its bytes, or a record whose evidence the caller may
    see mentions it through a device that sent them; None (as if it did not exist) otherwise."""
    sent_by_caller = exists().where(
        AttachmentHolder.sha256 == Attachment.sha256,
        AttachmentHolder.user_id == principal.user_id,
    )
    shown_by_record = exists().where(
        AttachmentRef.sha256 == Attachment.sha256, author_holds(), _evidence_seen(principal)
    )
    return await db.scalar(
        select(Attachment).where(Attachment.sha256 == sha256, or_(sent_by_caller, shown_by_record))
    )


async def prune(db: AsyncSession, store: Store, *, days: int) -> tuple[int, int]:
    """Remove files no record has mentioned for `days` days, and uploads abandoned as long."""
    cutoff = datetime.now(UTC) - timedelta(days=days)
    unmentioned = list(
        await db.scalars(
            select(Attachment.sha256).where(
                Attachment.last_referenced_at < cutoff,
                ~exists().where(AttachmentRef.sha256 == Attachment.sha256),
            )
        )
    )
    for sha in unmentioned:
        await store.delete(sha)
        await store.delete(thumbnail_key(sha))
    if unmentioned:
        await db.execute(delete(Attachment).where(Attachment.sha256.in_(unmentioned)))
    abandoned = await db.execute(delete(AttachmentPart).where(AttachmentPart.created_at < cutoff))
    return len(unmentioned), int(getattr(abandoned, "rowcount", 0))
