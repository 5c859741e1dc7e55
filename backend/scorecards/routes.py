"""Templates: read by everyone signed in, drafted, published and retired by coordinators."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Response, get, patch, post, put
from litestar.params import FromPath, JSONBody

from backend.auth.models import Role
from backend.auth.policy import SIGNED_IN, CurrentPrincipal, allow
from backend.database.session import DbSession
from backend.scorecards import service as templates
from backend.scorecards.document import TemplateDocument
from backend.scorecards.schemas import MedicineOut, MedicinePrice, TemplateOut, VersionOut

EDITORS = allow(Role.ADMIN, Role.COORDINATOR)
VERSION = "/templates/v1/versions/{version_id:uuid}"


@get("/templates/v1", opt=SIGNED_IN, tags=["templates"])
async def list_templates(db: DbSession, principal: CurrentPrincipal) -> list[TemplateOut]:
    """Templates and their versions (drafts only for coordinators and admins)."""
    return await templates.list_templates(db, principal=principal)


@get(VERSION, opt=SIGNED_IN, tags=["templates"])
async def get_version(
    db: DbSession, principal: CurrentPrincipal, version_id: FromPath[uuid.UUID]
) -> VersionOut:
    version = await templates.get_version(db, principal=principal, version_id=version_id)
    return templates.version_out(version)


@get(f"{VERSION}/export", opt=SIGNED_IN, tags=["templates"])
async def export_version(
    db: DbSession, principal: CurrentPrincipal, version_id: FromPath[uuid.UUID]
) -> Response[TemplateDocument]:
    """The version as a portable JSON document another programme can import."""
    version = await templates.get_version(db, principal=principal, version_id=version_id)
    document = templates.document_of(version)
    filename = f"{document.key}-v{version.number}.json"
    return Response(document, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@post("/templates/v1/import", opt=EDITORS, tags=["templates"])
async def import_template(
    db: DbSession, principal: CurrentPrincipal, data: JSONBody[dict[str, Any]]
) -> VersionOut:
    """Import a template document as a new draft; every problem in it is reported at once."""
    version = await templates.import_document(db, raw=data, by=principal.user_id)
    return templates.version_out(version)


@post(f"{VERSION}/drafts", opt=EDITORS, tags=["templates"])
async def new_draft(
    db: DbSession, principal: CurrentPrincipal, version_id: FromPath[uuid.UUID]
) -> VersionOut:
    """Start editing: a draft copy of this version with the next number."""
    return templates.version_out(
        await templates.new_draft(db, principal=principal, version_id=version_id)
    )


@put(VERSION, opt=EDITORS, tags=["templates"])
async def update_draft(
    db: DbSession,
    principal: CurrentPrincipal,
    version_id: FromPath[uuid.UUID],
    data: JSONBody[dict[str, Any]],
) -> VersionOut:
    """Replace a draft's document; a published or retired version answers 409."""
    version = await templates.update_draft(db, principal=principal, version_id=version_id, raw=data)
    return templates.version_out(version)


@post(f"{VERSION}/publish", opt=EDITORS, tags=["templates"], status_code=200)
async def publish(
    db: DbSession, principal: CurrentPrincipal, version_id: FromPath[uuid.UUID]
) -> VersionOut:
    return templates.version_out(
        await templates.publish(db, principal=principal, version_id=version_id)
    )


@post(f"{VERSION}/retire", opt=EDITORS, tags=["templates"], status_code=200)
async def retire(
    db: DbSession, principal: CurrentPrincipal, version_id: FromPath[uuid.UUID]
) -> VersionOut:
    """No new cycles on this version; running cycles keep it."""
    return templates.version_out(
        await templates.retire(db, principal=principal, version_id=version_id)
    )


@get("/templates/v1/medicines", opt=SIGNED_IN, tags=["templates"])
async def list_medicines(db: DbSession) -> list[MedicineOut]:
    """The tracer medicine list with reference unit prices (MNT)."""
    return await templates.list_medicines(db)


@patch("/templates/v1/medicines/{key:str}", opt=EDITORS, tags=["templates"])
async def set_medicine_price(
    db: DbSession, key: FromPath[str], data: JSONBody[MedicinePrice]
) -> MedicineOut:
    return await templates.set_reference_price(db, key=key, price=data.reference_price_mnt)


ROUTES = [
    list_templates,
    get_version,
    export_version,
    import_template,
    new_draft,
    update_draft,
    publish,
    retire,
    list_medicines,
    set_medicine_price,
]
