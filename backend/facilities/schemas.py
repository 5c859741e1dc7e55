"""Wire types of facilities."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

import msgspec

from backend.facilities.models import FACILITY_TYPES
from backend.wire import Wire

FacilityType = Literal[FACILITY_TYPES]  # type: ignore[valid-type]  # listed once, in models.py
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
RegistryCode = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
# Mongolia's bounding box, so a swapped latitude and longitude is caught
Latitude = Annotated[float, msgspec.Meta(ge=41.5, le=52.2)]
Longitude = Annotated[float, msgspec.Meta(ge=87.7, le=120.0)]


class FacilityIn(Wire):
    """A facility as a coordinator registers it."""

    type: FacilityType
    name_mn: Name
    name_en: Name
    area_code: str
    registry_code: RegistryCode | None = None
    insurance_contracted: bool = False
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class FacilityUpdate(Wire):
    """Only the fields sent are changed."""

    type: FacilityType | msgspec.UnsetType = msgspec.UNSET
    name_mn: Name | msgspec.UnsetType = msgspec.UNSET
    name_en: Name | msgspec.UnsetType = msgspec.UNSET
    area_code: str | msgspec.UnsetType = msgspec.UNSET
    registry_code: RegistryCode | msgspec.UnsetType | None = msgspec.UNSET
    insurance_contracted: bool | msgspec.UnsetType = msgspec.UNSET
    latitude: Latitude | msgspec.UnsetType | None = msgspec.UNSET
    longitude: Longitude | msgspec.UnsetType | None = msgspec.UNSET


class FacilityOut(Wire):
    id: uuid.UUID
    type: str
    name_mn: str
    name_en: str
    area_code: str
    registry_code: str | None
    insurance_contracted: bool
    latitude: float | None
    longitude: float | None


class FacilityPage(Wire):
    items: list[FacilityOut]
    total: int
    limit: int
    offset: int


class FacilityRecord(Wire):
    """A facility as a tablet pulls it (entity `facility`)."""

    type: str
    name_mn: str
    name_en: str
    area_code: str
    registry_code: str | None
    insurance_contracted: bool
    latitude: float | None
    longitude: float | None

    @classmethod
    def of(cls, row: Any) -> FacilityRecord:
        return cls(
            type=row.type,
            name_mn=row.name_mn,
            name_en=row.name_en,
            area_code=row.area_code,
            registry_code=row.registry_code,
            insurance_contracted=row.insurance_contracted,
            latitude=row.latitude,
            longitude=row.longitude,
        )
