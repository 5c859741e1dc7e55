"""Wire types of templates and the tracer medicine list."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

import msgspec

from backend.scorecards.document import TemplateDocument
from backend.wire import Wire

# the tablet contract published these under schemas/templates/ before the package was named
# scorecards; a published path stays
CONTRACT_AREA = "templates"


class VersionSummary(Wire):
    id: uuid.UUID
    number: int
    status: str
    facility_types: list[str]
    created_at: datetime
    published_at: datetime | None
    retired_at: datetime | None


class TemplateOut(Wire):
    id: uuid.UUID
    key: str
    family: str
    name_mn: str
    name_en: str
    versions: list[VersionSummary]


class VersionOut(Wire):
    """A template version with its whole document."""

    id: uuid.UUID
    template_id: uuid.UUID
    number: int
    status: str
    document: TemplateDocument
    created_at: datetime
    published_at: datetime | None
    retired_at: datetime | None


class MedicineOut(Wire):
    key: str
    name_mn: str
    name_en: str
    form_mn: str
    form_en: str
    unit: str
    reference_price_mnt: int


class MedicinePrice(Wire):
    """A new reference unit price for one tracer medicine."""

    reference_price_mnt: Annotated[int, msgspec.Meta(gt=0, le=100_000_000)]


class TemplateVersionRecord(Wire):
    """A published (or retired) template version as a tablet pulls it (`template_version`)."""

    template_id: uuid.UUID
    key: str
    number: int
    status: str
    document: TemplateDocument

    @classmethod
    def of(cls, version: Any, key: str) -> TemplateVersionRecord:
        return cls(
            template_id=version.template_id,
            key=key,
            number=version.number,
            status=version.status,
            document=msgspec.convert(version.document, TemplateDocument),
        )
