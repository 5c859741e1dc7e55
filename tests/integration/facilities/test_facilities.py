"""Facilities: scoped lists with filters and pages, coordinator edits, CSV import."""

from pathlib import Path

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.facilities.importer import import_facilities
from backend.facilities.models import Facility
from tests.support.identity import headers_for, make_facility

pytestmark = pytest.mark.asyncio


async def test_lists_are_scoped_filtered_and_paged(client: AsyncClient, db: AsyncSession) -> None:
    for i in range(3):
        await make_facility(db, area_code="MN-046", name=f"Uvs school {i}")
    await make_facility(db, area_code="MN-046", kind="pharmacy", name="Uvs pharmacy")
    await make_facility(db, area_code="MN-043", name="Khovd school")
    headers = await headers_for(client, db, Role.MONITOR, areas=["MN-046"])

    everything = await client.get("/facilities/v1", headers=headers)
    assert everything.json()["total"] == 4
    assert "Khovd school" not in {f["name_en"] for f in everything.json()["items"]}

    schools = await client.get("/facilities/v1", params={"type": "school"}, headers=headers)
    assert schools.json()["total"] == 3
    named = await client.get("/facilities/v1", params={"q": "pharm"}, headers=headers)
    assert [f["name_en"] for f in named.json()["items"]] == ["Uvs pharmacy"]
    page = await client.get("/facilities/v1", params={"limit": 2, "offset": 2}, headers=headers)
    assert (len(page.json()["items"]), page.json()["total"]) == (2, 4)
    khovd = await client.get("/facilities/v1", params={"area": "MN-043"}, headers=headers)
    assert khovd.json()["total"] == 0


async def test_page_size_over_the_limit_is_400(client: AsyncClient, db: AsyncSession) -> None:
    headers = await headers_for(client, db, Role.MONITOR, areas=["MN-046"])
    response = await client.get("/facilities/v1", params={"limit": 5000}, headers=headers)
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (
        "request.page_too_large",
        "limit",
    )


async def test_provider_sees_only_its_own_facility(client: AsyncClient, db: AsyncSession) -> None:
    own = await make_facility(db, area_code="MN-046", kind="soum_health_centre", name="Own")
    other = await make_facility(db, area_code="MN-046", kind="soum_health_centre", name="Other")
    headers = await headers_for(client, db, Role.PROVIDER, facilities=[own.id])
    listed = await client.get("/facilities/v1", headers=headers)
    assert [f["id"] for f in listed.json()["items"]] == [str(own.id)]
    assert (await client.get(f"/facilities/v1/{other.id}", headers=headers)).status_code == 404


async def test_coordinator_registers_and_edits_within_their_areas(
    client: AsyncClient, db: AsyncSession
) -> None:
    headers = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    body = {
        "type": "pharmacy",
        "name_mn": "Ачит эмийн сан",
        "name_en": "Achit Pharmacy",
        "area_code": "MN-046",
        "registry_code": "PH-046-099",
        "insurance_contracted": True,
        "latitude": 49.98,
        "longitude": 92.07,
    }
    created = await client.post("/facilities/v1", json=body, headers=headers)
    assert created.status_code == 201, created.text
    facility_id = created.json()["id"]
    edited = await client.patch(
        f"/facilities/v1/{facility_id}", json={"insurance_contracted": False}, headers=headers
    )
    assert edited.json()["insurance_contracted"] is False
    assert edited.json()["name_en"] == "Achit Pharmacy"

    elsewhere = await client.post(
        "/facilities/v1",
        json=body | {"area_code": "MN-043", "registry_code": "X1"},
        headers=headers,
    )
    assert elsewhere.status_code == 403
    assert elsewhere.json()["field"] == "area_code"
    duplicate = await client.post("/facilities/v1", json=body, headers=headers)
    assert duplicate.status_code == 409
    swapped = await client.post(
        "/facilities/v1",
        json=body | {"registry_code": "X2", "latitude": 92.07, "longitude": 49.98},
        headers=headers,
    )
    assert swapped.status_code == 400
    assert swapped.json()["field"] == "latitude"


async def test_facility_outside_scope_cannot_be_edited(
    client: AsyncClient, db: AsyncSession
) -> None:
    khovd = await make_facility(db, area_code="MN-043", name="Khovd school")
    headers = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    response = await client.patch(
        f"/facilities/v1/{khovd.id}", json={"name_en": "Mine"}, headers=headers
    )
    assert response.status_code == 404
    await db.refresh(khovd)
    assert khovd.name_en == "Khovd school"


CSV = (
    "registry_code,type,name_mn,name_en,area_code,insurance_contracted,latitude,longitude\n"
    "SCH-046-101,school,Тэс сумын сургууль,Tes school,MN-046,no,50.47,93.60\n"
    "PH-046-102,pharmacy,Ачит эмийн сан,Achit pharmacy,MN-046,тийм,,\n"
)


async def test_facility_import_reports_bad_rows_and_keeps_good_data(
    db: AsyncSession, tmp_path: Path
) -> None:
    path = tmp_path / "facilities.csv"
    path.write_text(CSV, encoding="utf-8")
    first = await import_facilities(db, path, skip_bad_rows=False)
    assert (first.created, first.applied) == (2, True)
    pharmacy = await db.scalar(select(Facility).where(Facility.registry_code == "PH-046-102"))
    assert pharmacy is not None
    assert pharmacy.insurance_contracted is True

    path.write_text(
        CSV.replace("Tes school", "Tes Secondary School")
        + "HOS-1,hospital,Эмнэлэг,Hospital,MN-999,yes,,\n"
        + "HOS-2,spa,Рашаан,Spa,MN-046,maybe,47.9,\n",
        encoding="utf-8",
    )
    refused = await import_facilities(db, path, skip_bad_rows=False)
    assert not refused.applied
    assert {(p.line, p.column) for p in refused.problems} == {
        (4, "area_code"),
        (5, "type"),
        (5, "insurance_contracted"),
        (5, "longitude"),
    }
    school = await db.scalar(select(Facility).where(Facility.registry_code == "SCH-046-101"))
    assert school is not None
    assert school.name_en == "Tes school"  # the good rows waited too

    partial = await import_facilities(db, path, skip_bad_rows=True)
    assert (partial.updated, partial.unchanged, partial.rejected) == (1, 1, 2)
    await db.refresh(school)
    assert school.name_en == "Tes Secondary School"
