"""Attachment endpoints: upload by hash (whole or in pieces), ask, download what records show."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, get, post, put
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from backend.attachments import refs, uploads
from backend.attachments.schemas import CheckIn, CheckOut, MissingOut, UploadOut
from backend.attachments.storage import thumbnail_key
from backend.auth.policy import SIGNED_IN, CurrentPrincipal
from backend.database.session import DbSession
from backend.errors import NotFound
from backend.sync.routes import SYNCERS

PRIVATE = {"Cache-Control": "private, max-age=86400", "X-Content-Type-Options": "nosniff"}


@put("/sync/v1/attachments/{sha256:str}", opt=SYNCERS, tags=["attachments"])
async def upload(
    request: Request[Any, Any, Any],
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    sha256: FromPath[str],
) -> Response[UploadOut]:
    """The file's bytes as the body, named by their sha256. For a large file or a slow link,
    send pieces with `Content-Range: bytes first-last/total`; 202 until the last one arrives."""
    answer, created = await uploads.receive(
        db,
        state.attachments,
        principal=principal,
        sha256=sha256,
        body=await request.body(),
        content_range=request.headers.get("content-range"),
        limit=state.settings.limits.max_attachment_bytes,
    )
    status = 201 if created else 200 if answer.stored else 202
    return Response(answer, status_code=status, headers={"Upload-Offset": str(answer.received)})


@get("/sync/v1/attachments/{sha256:str}/upload", opt=SYNCERS, tags=["attachments"])
async def upload_progress(
    db: DbSession, principal: CurrentPrincipal, sha256: FromPath[str]
) -> UploadOut:
    """How much of this file the server has from this device: resume from `received`."""
    return await uploads.progress(db, principal, sha256)


@post("/sync/v1/attachments/check", opt=SIGNED_IN, tags=["attachments"], status_code=200)
async def check(db: DbSession, principal: CurrentPrincipal, data: JSONBody[CheckIn]) -> CheckOut:
    """Which of these files this device has sent already (signed in without a device: this
    user), so a resumed sync skips them; every other file is missing, stored or not."""
    held = await refs.held_among(db, principal, data.hashes)
    ordered = list(dict.fromkeys(data.hashes))
    return CheckOut(
        stored=[h for h in ordered if h in held], missing=[h for h in ordered if h not in held]
    )


@get("/sync/v1/attachments/missing", opt=SYNCERS, tags=["attachments"])
async def missing(db: DbSession, principal: CurrentPrincipal) -> MissingOut:
    """Files that records pushed from this device mention and that this device has not sent."""
    return MissingOut(missing=await refs.missing_for(db, principal))


@get("/sync/v1/attachments/{sha256:str}", opt=SIGNED_IN, tags=["attachments"])
async def download(
    db: DbSession, state: State, principal: CurrentPrincipal, sha256: FromPath[str]
) -> Response[bytes]:
    """The cleaned file, for its uploaders and for anyone who may see the evidence of a record
    that mentions it; 404 for everyone else, as for a file that does not exist."""
    attachment = await refs.visible(db, principal, sha256)
    data = await state.attachments.get(sha256) if attachment else None
    if attachment is None or data is None:
        raise NotFound("no such attachment in your scope")
    return Response(data, media_type=attachment.media_type, headers=PRIVATE)


@get("/sync/v1/attachments/{sha256:str}/thumbnail", opt=SIGNED_IN, tags=["attachments"])
async def thumbnail(
    db: DbSession, state: State, principal: CurrentPrincipal, sha256: FromPath[str]
) -> Response[bytes]:
    """A small JPEG of a photo (none for PDFs)."""
    attachment = await refs.visible(db, principal, sha256)
    data = await state.attachments.get(thumbnail_key(sha256)) if attachment else None
    if data is None:
        raise NotFound("no thumbnail of this attachment in your scope")
    return Response(data, media_type="image/jpeg", headers=PRIVATE)


ROUTES = [upload, upload_progress, check, missing, download, thumbnail]
