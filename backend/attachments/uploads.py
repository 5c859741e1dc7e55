"""Receiving a file: whole, or piece by piece with `Content-Range` so a broken upload resumes.

Pieces wait in `attachment_part`, invisible to everyone. When the last piece arrives the file
is checked against its name (sha256), its type is judged by content, photos are cleaned, and
only then does it become an attachment. A file that fails a check leaves nothing behind.

Every device that sends a file's bytes becomes one of its holders, including a device sending
bytes the server already has (they are kept once). Only a holder's mentions of a file open it
to others, so a hash copied from somewhere else opens nothing.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass

import anyio.to_thread
from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.attachments import media
from backend.attachments.models import Attachment, AttachmentHolder, AttachmentPart
from backend.attachments.schemas import UploadOut
from backend.attachments.storage import Store, thumbnail_key
from backend.auth.policy import Principal
from backend.errors import Conflict, DomainError, InvalidInput
from backend.sync.errors import DeviceRequired

SHA256 = re.compile(r"^[0-9a-f]{64}$")
CONTENT_RANGE = re.compile(r"^bytes (\d+)-(\d+)/(\d+)$")


class BadHash(InvalidInput):
    code = "attachment.bad_hash"


class BadRange(InvalidInput):
    code = "attachment.bad_range"


class HashMismatch(DomainError):
    code, status, title = "attachment.hash_mismatch", 422, "The file does not match its sha256"
    keeps_writes = True  # the discarded pieces stay discarded


class TooLarge(DomainError):
    code, status, title = "attachment.too_large", 413, "The file is larger than allowed"
    keeps_writes = True


class OffsetMismatch(Conflict):
    code, title = "attachment.offset_mismatch", "The piece does not continue the upload"


@dataclass(frozen=True, slots=True)
class Piece:
    start: int
    end: int  # inclusive, as in Content-Range
    total: int


def check_name(sha256: str) -> str:
    if not SHA256.match(sha256):
        raise BadHash("name the file by the sha256 of its bytes, 64 lowercase hex", field="sha256")
    return sha256


def piece_of(content_range: str | None, length: int) -> Piece:
    if content_range is None:
        return Piece(0, length - 1, length)
    match = CONTENT_RANGE.match(content_range.strip())
    if match is None:
        raise BadRange(
            "Content-Range must read `bytes <first>-<last>/<total>`", field="Content-Range"
        )
    start, end, total = (int(group) for group in match.groups())
    if not start <= end < total or end - start + 1 != length:
        raise BadRange(
            f"the range covers {end - start + 1} bytes, the body has {length}",
            field="Content-Range",
        )
    return Piece(start, end, total)


async def progress(db: AsyncSession, principal: Principal, sha256: str) -> UploadOut:
    """Whether this device has sent the file, and if not, how much of it has arrived."""
    check_name(sha256)
    device_id = _device(principal)
    held = await _held(db, device_id, sha256)
    if held is not None:
        return UploadOut(sha256=sha256, stored=True, received=held.size, size=held.size)
    received, total = await _received(db, device_id, sha256)
    return UploadOut(sha256=sha256, stored=False, received=received, size=total)


async def receive(
    db: AsyncSession,
    store: Store,
    *,
    principal: Principal,
    sha256: str,
    body: bytes,
    content_range: str | None,
    limit: int,
) -> tuple[UploadOut, bool]:
    """Take one piece (or the whole file); True when this call completed this device's upload.

    A file someone else sent before is received all the same: only the bytes prove that this
    device has them, and the file is deduplicated once they have arrived. The answer is the
    same whether or not anyone else sent those bytes (201), so an upload tells nobody whether
    a file is on the server."""
    check_name(sha256)
    device_id = _device(principal)
    held = await _held(db, device_id, sha256)
    if held is not None:  # this device sent these bytes before: nothing to do
        await _discard(db, device_id, sha256)
        return UploadOut(sha256, True, held.size, held.size, held.media_type), False
    if not body:
        raise BadRange("the body is empty", field="body")
    piece = piece_of(content_range, len(body))
    if piece.total > limit:
        await _discard(db, device_id, sha256)
        raise TooLarge(f"{piece.total} bytes; at most {limit} per file", field="Content-Range")
    received, total = await _received(db, device_id, sha256)
    if total is not None and total != piece.total:  # the file changed size: start over
        await _discard(db, device_id, sha256)
        received = 0
    if piece.start != received:
        raise OffsetMismatch(
            f"{received} bytes received so far; send the piece starting there",
            field="Content-Range",
            headers={"Upload-Offset": str(received)},
        )
    if piece.end + 1 < piece.total:
        db.add(
            AttachmentPart(
                device_id=device_id, sha256=sha256, offset=piece.start, total=piece.total, data=body
            )
        )
        return UploadOut(sha256, False, piece.end + 1, piece.total), False

    earlier = await db.scalars(
        select(AttachmentPart.data)
        .where(AttachmentPart.device_id == device_id, AttachmentPart.sha256 == sha256)
        .order_by(AttachmentPart.offset)
    )
    raw = b"".join([*earlier, body])
    await _discard(db, device_id, sha256)
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise HashMismatch("the bytes received hash to something else; send the file again")
    # Bytes another device sent before go through the same work as new ones (cleaned, stored,
    # recorded; the file is still kept once, held by both): answering them from the stored
    # copy took a tenth of the time, which told the uploader the file was on the server.
    cleaned = await keep(db, store, sha256, raw, uploaded_by=principal.user_id, device_id=device_id)
    return UploadOut(sha256, True, len(raw), len(raw), cleaned.media_type), True


async def keep(
    db: AsyncSession,
    store: Store,
    sha256: str,
    raw: bytes,
    *,
    uploaded_by: uuid.UUID,
    device_id: uuid.UUID | None,
) -> media.Cleaned:
    """Clean a complete, verified file, store it and its thumbnail, and record it as held by
    the device (none for a file the server made itself) and user that sent it. A file kept
    before is cleaned and written again all the same (the same bytes clean to the same copy),
    and its first record stands."""
    cleaned = await anyio.to_thread.run_sync(media.clean, raw)
    await store_cleaned(
        db, store, sha256, len(raw), cleaned, uploaded_by=uploaded_by, device_id=device_id
    )
    return cleaned


async def store_cleaned(
    db: AsyncSession,
    store: Store,
    sha256: str,
    size: int,
    cleaned: media.Cleaned,
    *,
    uploaded_by: uuid.UUID,
    device_id: uuid.UUID | None,
) -> None:
    """Store a file already cleaned (`media.clean`) from `size` bytes hashing to `sha256`,
    and record it as `keep` does."""
    await store.put(sha256, cleaned.data, cleaned.media_type)
    if cleaned.thumbnail is not None:
        await store.put(thumbnail_key(sha256), cleaned.thumbnail, "image/jpeg")
    await db.execute(
        insert(Attachment)
        .values(
            sha256=sha256,
            media_type=cleaned.media_type,
            size=size,
            stored_size=len(cleaned.data),
            width=cleaned.width,
            height=cleaned.height,
            has_thumbnail=cleaned.thumbnail is not None,
            uploaded_by=uploaded_by,
            device_id=device_id,
        )
        .on_conflict_do_nothing()  # two tablets finished the same file at once
    )
    await hold(db, sha256, user_id=uploaded_by, device_id=device_id)


async def hold(
    db: AsyncSession, sha256: str, *, user_id: uuid.UUID, device_id: uuid.UUID | None
) -> None:
    """Note that this device and user sent the file's bytes (once, however often they do)."""
    await db.execute(
        insert(AttachmentHolder)
        .values(sha256=sha256, device_id=device_id, user_id=user_id)
        .on_conflict_do_nothing()
    )


async def _held(db: AsyncSession, device_id: uuid.UUID, sha256: str) -> Attachment | None:
    """The attachment, if this device has sent its bytes."""
    return await db.scalar(
        select(Attachment)
        .join(AttachmentHolder, AttachmentHolder.sha256 == Attachment.sha256)
        .where(Attachment.sha256 == sha256, AttachmentHolder.device_id == device_id)
        .limit(1)
    )


def _device(principal: Principal) -> uuid.UUID:
    if principal.device_id is None:
        raise DeviceRequired("sign in with the tablet's device id to upload")
    return principal.device_id


async def _received(db: AsyncSession, device_id: uuid.UUID, sha256: str) -> tuple[int, int | None]:
    row = (
        await db.execute(
            select(
                func.coalesce(func.sum(func.length(AttachmentPart.data)), 0),
                func.max(AttachmentPart.total),
            ).where(AttachmentPart.device_id == device_id, AttachmentPart.sha256 == sha256)
        )
    ).one()
    return int(row[0]), row[1]


async def _discard(db: AsyncSession, device_id: uuid.UUID, sha256: str) -> None:
    await db.execute(
        delete(AttachmentPart).where(
            AttachmentPart.device_id == device_id, AttachmentPart.sha256 == sha256
        )
    )
