"""The facility import reads what Excel saves in Mongolia: UTF-8 with a byte order mark,
semicolon-separated with decimal commas; a legacy Cyrillic file is refused with a plain
message; a coordinator's import stays within their areas."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.csvfiles import CsvFormatError
from backend.facilities.importer import import_facilities
from backend.facilities.models import Facility
from tests.support.identity import make_facility

pytestmark = pytest.mark.asyncio


HEADER = "registry_code;type;name_mn;name_en;area_code;insurance_contracted;latitude;longitude"
EXCEL_ROWS = (
    "SCH-046-201;school;Улаангом сургууль;Ulaangom school;MN-046;тийм;49,98;92,07\r\n"
    "PH-046-202;pharmacy;Тэс эмийн сан;Tes pharmacy;MN-046;no;;\r\n"
)


def _coordinator(*areas: str) -> Principal:
    return Principal(
        user_id=uuid.uuid4(),
        username="coordinator",
        role=Role.COORDINATOR,
        device_id=None,
        session_id=uuid.uuid4(),
        area_codes=areas,
        facility_ids=(),
    )


async def test_a_semicolon_file_with_a_byte_order_mark_imports(db: AsyncSession) -> None:
    raw = ("\ufeff" + HEADER + "\r\n" + EXCEL_ROWS).encode("utf-8")
    report = await import_facilities(db, raw, skip_bad_rows=False)
    assert (report.created, report.problems, report.applied) == (2, [], True)
    school = await db.scalar(select(Facility).where(Facility.registry_code == "SCH-046-201"))
    assert school is not None
    assert (school.latitude, school.longitude) == (49.98, 92.07)
    assert school.name_mn == "Улаангом сургууль"
    assert school.insurance_contracted is True


async def test_a_semicolon_file_from_the_command_line_imports(
    db: AsyncSession, tmp_path: Path
) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(("\ufeff" + HEADER + "\r\n" + EXCEL_ROWS).encode("utf-8"))
    report = await import_facilities(db, path, skip_bad_rows=False)
    assert report.created == 2


@pytest.mark.parametrize(("encoding", "named"), [("cp1251", "Windows-1251"), ("cp866", "CP866")])
async def test_a_legacy_cyrillic_file_is_refused_with_a_plain_message(
    db: AsyncSession, encoding: str, named: str
) -> None:
    raw = (HEADER + "\r\n" + EXCEL_ROWS.replace("тийм", "yes")).encode(encoding)
    with pytest.raises(CsvFormatError) as refused:
        await import_facilities(db, raw, skip_bad_rows=False, name="facilities.csv")
    assert named in str(refused.value)
    assert "CSV UTF-8" in str(refused.value)
    assert "CSV UTF-8" in refused.value.message_mn
    assert "UTF-8 кодчилолтой биш" in refused.value.message_mn
    assert await db.scalar(select(Facility).where(Facility.registry_code == "PH-046-202")) is None


async def test_a_coordinators_import_stays_within_their_areas(db: AsyncSession) -> None:
    khovd = await make_facility(db, area_code="MN-043", name="Khovd school")
    khovd.registry_code = "SCH-043-001"
    await db.flush()
    raw = (
        HEADER + "\n"
        "SCH-043-002;school;Ховд сургууль;Khovd school 2;MN-043;no;;\n"
        "SCH-043-001;school;Миний сургууль;Mine now;MN-046;no;;\n"
        "SCH-046-203;school;Тэс сургууль;Tes school;MN-046;no;;\n"
    ).encode()
    report = await import_facilities(db, raw, skip_bad_rows=False, principal=_coordinator("MN-046"))
    assert not report.applied
    assert {(p.line, p.column) for p in report.problems} == {
        (2, "area_code"),
        (3, "registry_code"),
    }
    await db.refresh(khovd)
    assert (khovd.name_en, khovd.area_code) == ("Khovd school", "MN-043")
