"""Which records mention which attachments: for "still missing", for download scope, and for
pruning files nothing mentions any more."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import msgspec
from sqlalchemy import delete, exists, func, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.attachments.models import Attachment, AttachmentPart, AttachmentRef
from backend.attachments.storage import Store, thumbnail_key
from backend.auth.models import Device
from backend.auth.policy import Principal, facility_in_scope
from backend.facilities.models import Facility

MENTIONING = frozenset({"submission", "action_update"})


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


async def record(
    db: AsyncSession,
    written: Iterable[tuple[str, uuid.UUID, uuid.UUID, list[str], bool, bool]],
    device_id: uuid.UUID | None,
) -> None:
    """Bring the references of written records up to date.

    Each item is (entity, record id, facility id, hashes mentioned now, deleted, new)."""
    items = [item for item in written if item[0] in MENTIONING]
    earlier = [(entity, rid) for entity, rid, _, _, _, new in items if not new]
    before: dict[tuple[str, uuid.UUID], set[str]] = {}
    if earlier:
        rows = await db.execute(
            select(AttachmentRef.entity, AttachmentRef.record_id, AttachmentRef.sha256).where(
                tuple_(AttachmentRef.entity, AttachmentRef.record_id).in_(earlier)
            )
        )
        for entity, rid, sha in rows:
            before.setdefault((entity, rid), set()).add(sha)
        await db.execute(
            delete(AttachmentRef).where(
                tuple_(AttachmentRef.entity, AttachmentRef.record_id).in_(earlier)
            )
        )
    rows_now = []
    touched: set[str] = set()
    for entity, rid, facility_id, hashes, deleted, _ in items:
        now = set() if deleted else set(hashes)
        touched |= now ^ before.get((entity, rid), set())
        rows_now += [
            {
                "sha256": sha,
                "entity": entity,
                "record_id": rid,
                "facility_id": facility_id,
                "device_id": device_id,
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


async def stored_among(db: AsyncSession, hashes: Iterable[str]) -> set[str]:
    wanted = set(hashes)
    if not wanted:
        return set()
    return set(await db.scalars(select(Attachment.sha256).where(Attachment.sha256.in_(wanted))))


async def missing_for(db: AsyncSession, principal: Principal) -> list[str]:
    """Files that records written from this device mention and the server has not received;
    signed in without a device (on the web), from any of the user's devices."""
    devices = (
        [principal.device_id]
        if principal.device_id is not None
        else select(Device.id).where(Device.last_user_id == principal.user_id)
    )
    rows = await db.scalars(
        select(AttachmentRef.sha256)
        .where(
            AttachmentRef.device_id.in_(devices),
            ~exists().where(Attachment.sha256 == AttachmentRef.sha256),
        )
        .distinct()
        .order_by(AttachmentRef.sha256)
    )
    return list(rows)


async def visible(db: AsyncSession, principal: Principal, sha256: str) -> Attachment | None:
    """The attachment, if a record the caller may see mentions it or the caller sent it."""
    attachment = await db.get(Attachment, sha256)
    if attachment is None:
        return None
    if attachment.uploaded_by == principal.user_id:
        return attachment
    mentioned = await db.scalar(
        select(AttachmentRef.sha256)
        .join(Facility, Facility.id == AttachmentRef.facility_id)
        .where(
            AttachmentRef.sha256 == sha256,
            facility_in_scope(principal, Facility.id, Facility.area_code),
        )
        .limit(1)
    )
    return attachment if mentioned else None


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
    return len(unmentioned), abandoned.rowcount  # type: ignore[attr-defined]
