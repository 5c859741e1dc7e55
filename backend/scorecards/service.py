"""Templates and versions: drafts are edited, published versions never change."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import msgspec
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.errors import Conflict, FieldError, InvalidInput, NotFound, split_msgspec_error
from backend.scorecards.checks import check_document
from backend.scorecards.document import (
    Indicator,
    Section,
    TemplateDocument,
    decode_document,
)
from backend.scorecards.medicines import TRACER_MEDICINES
from backend.scorecards.models import Template, TemplateVersion, TracerMedicine
from backend.scorecards.schemas import MedicineOut, TemplateOut, VersionOut, VersionSummary
from backend.scorecards.validation import CompiledTemplate, compile_template

FAMILIES_DIR = Path(__file__).parent / "families"
EDITORS = frozenset({Role.ADMIN, Role.COORDINATOR})


class VersionNotDraft(Conflict):
    code, title = "template.version_not_draft", "Only a draft version can change"


class NotPublished(Conflict):
    code, title = "template.not_published", "The template version is not published"


class InvalidTemplate(InvalidInput):
    code, title = "template.invalid", "The template document has problems"


class TemplateKeyMismatch(InvalidInput):
    code = "template.key_mismatch"


# -- reading documents ---------------------------------------------------------------------------


def document_of(version: TemplateVersion) -> TemplateDocument:
    return msgspec.convert(version.document, TemplateDocument)


_compiled: dict[uuid.UUID, CompiledTemplate] = {}


def compiled(version: TemplateVersion) -> CompiledTemplate:
    """The answer checkers of a published (so never changing) version, compiled once per process."""
    if version.status == "draft":
        return compile_template(document_of(version))
    checkers = _compiled.get(version.id)
    if checkers is None:
        checkers = _compiled[version.id] = compile_template(document_of(version))
    return checkers


def _decode_parts(raw: Any) -> tuple[TemplateDocument | None, list[FieldError]]:
    """Decode a document, reporting each section's and indicator's structural problem."""
    if not isinstance(raw, dict):
        return None, [FieldError(field=None, message="a template document is a JSON object")]
    errors: list[FieldError] = []
    for part, kind in (("sections", Section), ("indicators", Indicator)):
        items = raw.get(part)
        if not isinstance(items, list):
            errors.append(FieldError(field=part, message="a list is required"))
            continue
        for i, item in enumerate(items):
            try:
                msgspec.convert(item, kind)
            except msgspec.ValidationError as exc:
                message, path = split_msgspec_error(exc)
                errors.append(FieldError(field=f"{part}[{i}]{path}", message=message))
    try:
        msgspec.convert({**raw, "sections": [], "indicators": []}, TemplateDocument)
    except msgspec.ValidationError as exc:
        message, path = split_msgspec_error(exc)
        errors.append(FieldError(field=path.lstrip(".") or None, message=message))
        return None, errors
    if errors:
        return None, errors
    return msgspec.convert(raw, TemplateDocument), []


async def checked_document(db: AsyncSession, raw: Any) -> TemplateDocument:
    """A document with no structural or semantic problem, else every problem in one 400."""
    document, errors = _decode_parts(raw)
    if document is not None:
        medicines = set(await db.scalars(select(TracerMedicine.key)))
        errors = check_document(document, known_medicines=medicines)
    if errors:
        raise InvalidTemplate(
            f"{len(errors)} problem(s) in the template document",
            field=errors[0].field,
            errors=errors,
        )
    assert document is not None
    return document


# -- queries ------------------------------------------------------------------------------------


def _summary(version: TemplateVersion) -> VersionSummary:
    return VersionSummary(
        id=version.id,
        number=version.number,
        status=version.status,
        facility_types=list(version.facility_types),
        created_at=version.created_at,
        published_at=version.published_at,
        retired_at=version.retired_at,
    )


def version_out(version: TemplateVersion) -> VersionOut:
    return VersionOut(
        id=version.id,
        template_id=version.template_id,
        number=version.number,
        status=version.status,
        document=document_of(version),
        created_at=version.created_at,
        published_at=version.published_at,
        retired_at=version.retired_at,
    )


def _visible(principal: Principal) -> ColumnElement[bool]:
    """Drafts are work in progress of the people who edit templates; others see published ones."""
    if principal.role in EDITORS:
        return TemplateVersion.id.is_not(None)
    return TemplateVersion.status != "draft"


async def list_templates(db: AsyncSession, *, principal: Principal) -> list[TemplateOut]:
    versions = (
        await db.scalars(
            select(TemplateVersion)
            .where(_visible(principal))
            .order_by(TemplateVersion.template_id, TemplateVersion.number)
        )
    ).all()
    templates = (await db.scalars(select(Template).order_by(Template.key))).all()
    by_template: dict[uuid.UUID, list[TemplateVersion]] = {}
    for version in versions:
        by_template.setdefault(version.template_id, []).append(version)
    out = []
    for template in templates:
        mine = by_template.get(template.id)
        if not mine:
            continue
        name = mine[-1].document["name"]
        out.append(
            TemplateOut(
                id=template.id,
                key=template.key,
                family=template.family,
                name_mn=name["mn"],
                name_en=name["en"],
                versions=[_summary(version) for version in mine],
            )
        )
    return out


async def get_version(
    db: AsyncSession, *, principal: Principal, version_id: uuid.UUID, lock: bool = False
) -> TemplateVersion:
    query = select(TemplateVersion).where(TemplateVersion.id == version_id, _visible(principal))
    version = await db.scalar(query.with_for_update() if lock else query)
    if version is None:
        raise NotFound("No such template version.")
    return version


async def published_version(db: AsyncSession, version_id: uuid.UUID) -> TemplateVersion:
    version = await db.get(TemplateVersion, version_id)
    if version is None:
        raise NotFound("No such template version.", field="template_version_id")
    if version.status != "published":
        raise NotPublished(
            f"Version {version.number} is {version.status}; open cycles on a published version.",
            field="template_version_id",
        )
    return version


# -- changes ------------------------------------------------------------------------------------


def _as_json(document: TemplateDocument) -> dict[str, Any]:
    built: dict[str, Any] = msgspec.to_builtins(document)
    return built


async def _add_version(
    db: AsyncSession,
    template: Template,
    document: TemplateDocument,
    *,
    status: str,
    by: uuid.UUID | None,
) -> TemplateVersion:
    number = (
        await db.scalar(
            select(func.coalesce(func.max(TemplateVersion.number), 0)).where(
                TemplateVersion.template_id == template.id
            )
        )
        or 0
    ) + 1
    version = TemplateVersion(
        template_id=template.id,
        number=number,
        status=status,
        document=_as_json(document),
        facility_types=list(document.facility_types),
        created_by=by,
        published_at=func.now() if status == "published" else None,
    )
    db.add(version)
    await db.flush()
    await db.refresh(version)
    return version


async def import_document(db: AsyncSession, *, raw: Any, by: uuid.UUID) -> TemplateVersion:
    """A shared template arrives as a new draft: of its template if the key is known, else new."""
    document = await checked_document(db, raw)
    template = await db.scalar(select(Template).where(Template.key == document.key))
    if template is None:
        template = Template(key=document.key, family=document.family)
        db.add(template)
        await db.flush()
    return await _add_version(db, template, document, status="draft", by=by)


async def new_draft(
    db: AsyncSession, *, principal: Principal, version_id: uuid.UUID
) -> TemplateVersion:
    """Editing a published version starts here: a draft copy with the next number."""
    source = await get_version(db, principal=principal, version_id=version_id)
    template = await db.get_one(Template, source.template_id)
    return await _add_version(
        db, template, document_of(source), status="draft", by=principal.user_id
    )


async def update_draft(
    db: AsyncSession, *, principal: Principal, version_id: uuid.UUID, raw: Any
) -> TemplateVersion:
    version = await get_version(db, principal=principal, version_id=version_id, lock=True)
    if version.status != "draft":
        raise VersionNotDraft(
            f"Version {version.number} is {version.status} and never changes; "
            "make a new draft from it instead."
        )
    document = await checked_document(db, raw)
    template = await db.get_one(Template, version.template_id)
    if document.key != template.key:
        raise TemplateKeyMismatch(
            f"This version belongs to template {template.key!r}.", field="key"
        )
    version.document = _as_json(document)
    version.facility_types = list(document.facility_types)
    await db.flush()
    return version


async def publish(
    db: AsyncSession, *, principal: Principal, version_id: uuid.UUID
) -> TemplateVersion:
    version = await get_version(db, principal=principal, version_id=version_id, lock=True)
    if version.status != "draft":
        raise VersionNotDraft(f"Version {version.number} is already {version.status}.")
    await checked_document(db, version.document)
    version.status = "published"
    version.published_at = func.now()
    await db.flush()
    await db.refresh(version)
    return version


async def retire(
    db: AsyncSession, *, principal: Principal, version_id: uuid.UUID
) -> TemplateVersion:
    version = await get_version(db, principal=principal, version_id=version_id, lock=True)
    if version.status != "published":
        raise NotPublished(f"Version {version.number} is {version.status}, not published.")
    version.status = "retired"
    version.retired_at = func.now()
    await db.flush()
    await db.refresh(version)
    return version


# -- tracer medicines ---------------------------------------------------------------------------


def medicine_out(medicine: TracerMedicine) -> MedicineOut:
    return MedicineOut(
        key=medicine.key,
        name_mn=medicine.name_mn,
        name_en=medicine.name_en,
        form_mn=medicine.form_mn,
        form_en=medicine.form_en,
        unit=medicine.unit,
        reference_price_mnt=medicine.reference_price_mnt,
    )


async def list_medicines(db: AsyncSession) -> list[MedicineOut]:
    rows = await db.scalars(select(TracerMedicine).order_by(TracerMedicine.key))
    return [medicine_out(row) for row in rows]


async def set_reference_price(db: AsyncSession, *, key: str, price: int) -> MedicineOut:
    medicine = await db.get(TracerMedicine, key, with_for_update=True)
    if medicine is None:
        raise NotFound(f"No tracer medicine {key!r}.")
    medicine.reference_price_mnt = price
    await db.flush()
    return medicine_out(medicine)


# -- seeding ------------------------------------------------------------------------------------


async def seed_families(db: AsyncSession) -> list[str]:
    """The shipped families as published templates; a changed shipped document is a new version."""
    await db.execute(
        insert(TracerMedicine)
        .values(
            [
                {
                    "key": medicine.key,
                    "name_mn": medicine.name_mn,
                    "name_en": medicine.name_en,
                    "form_mn": medicine.form_mn,
                    "form_en": medicine.form_en,
                    "unit": medicine.unit_en,
                    "reference_price_mnt": medicine.reference_price_mnt,
                }
                for medicine in TRACER_MEDICINES
            ]
        )
        .on_conflict_do_nothing(index_elements=[TracerMedicine.key])
    )
    report = []
    for path in sorted(FAMILIES_DIR.glob("*.json")):
        document = decode_document(path.read_bytes())
        template = await db.scalar(select(Template).where(Template.key == document.key))
        if template is None:
            template = Template(key=document.key, family=document.family)
            db.add(template)
            await db.flush()
        latest = await db.scalar(
            select(TemplateVersion)
            .where(TemplateVersion.template_id == template.id, TemplateVersion.status != "draft")
            .order_by(TemplateVersion.number.desc())
            .limit(1)
        )
        if latest is None or latest.document != _as_json(document):
            version = await _add_version(db, template, document, status="published", by=None)
            report.append(f"template {document.key}: published version {version.number}")
    return report
