"""Set-up: facilities listed with filters and pages, registered and edited one by one, and
imported from a CSV file as Excel saves it, every bad row shown by line and column and
nothing stored while any row is bad. The same services as `/facilities/v1` and the
`scorecard import facilities` command: the same checks and the same area scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from backend.areas import service as areas
from backend.auth.policy import CurrentPrincipal
from backend.console.forms import FILE_FORM_BYTES, Form, Upload, attempt
from backend.console.render import screen
from backend.console.setup_common import (
    PAGE_SIZE,
    SETTERS,
    FormProblem,
    offset_of,
    pages,
    refusal,
    status_of,
    wire,
    words,
)
from backend.console.setup_common import WORDS as COMMON
from backend.csvfiles import CsvFormatError, ImportProblem
from backend.database.session import DbSession
from backend.errors import DomainError
from backend.facilities import importer
from backend.facilities import service as facilities
from backend.facilities.models import FACILITY_TYPES, Facility
from backend.facilities.schemas import FacilityIn, FacilityUpdate
from backend.web.pagination import PageRequest

LIST = "/console/setup/facilities"
IMPORT = f"{LIST}/import"
# a CSV of every facility of the programme is well under a megabyte; this is generous
MAX_UPLOAD = 5 * 1024 * 1024

WORDS = {
    "add_facility": ("Байгууллага нэмэх", "Add a facility"),
    "edit_facility": ("Байгууллагын мэдээлэл", "Facility details"),
    "import_facilities": ("CSV файлаас оруулах", "Import from a CSV file"),
    "registry_code": ("Бүртгэлийн дугаар", "Registry code"),
    "insurance_contracted": (
        "Эрүүл мэндийн даатгалтай гэрээтэй",
        "Under contract with health insurance",
    ),
    "latitude": ("Өргөрөг", "Latitude"),
    "longitude": ("Уртраг", "Longitude"),
    "no_facilities": ("Шүүлтүүрт тохирох байгууллага алга.", "No facility fits these filters."),
    "all_types": ("Бүх төрөл", "All types"),
    "open_round_here": ("Энд үе нээх", "Open a round here"),
    "facility_saved": ("Байгууллагыг хадгаллаа.", "The facility is saved."),
    "file": ("CSV файл", "CSV file"),
    "import": ("Оруулах", "Import"),
    "import_intro": (
        "Excel-ийн «CSV UTF-8» файл оруулна. Таслал эсвэл цэг таслалаар тусгаарласан байж "
        "болно. Аль нэг мөр алдаатай бол юу ч оруулахгүй: алдааг засаад дахин оруулна уу. "
        "Бүртгэлийн дугаар давхцвал тухайн байгууллагын мэдээллийг шинэчилнэ.",
        "Upload a «CSV UTF-8» file from Excel, separated by commas or semicolons. If any row "
        "is wrong nothing is imported: correct the rows shown and upload the file again. A "
        "registry code already known updates that facility.",
    ),
    "columns": ("Баганууд", "Columns"),
    "column": ("Багана", "Column"),
    "meaning": ("Утга", "Meaning"),
    "required": ("заавал", "required"),
    "optional": ("сонголттой", "optional"),
    "col_registry_code": (
        "Байгууллагын давтагдашгүй бүртгэлийн дугаар",
        "The facility's own registry code",
    ),
    "col_type": ("Төрөл: доорх жагсаалтын аль нэг", "Type: one of the list below"),
    "col_name_mn": ("Монгол нэр", "Name in Mongolian"),
    "col_name_en": ("Англи нэр", "Name in English"),
    "col_area_code": (
        "Сум, дүүргийн код (MN-046-…)",
        "The code of its soum or district (MN-046-…)",
    ),
    "col_insurance_contracted": ("тийм / үгүй", "yes / no"),
    "col_latitude": ("Өргөрөг, аравтын бутархайгаар", "Latitude, in decimal degrees"),
    "col_longitude": ("Уртраг, аравтын бутархайгаар", "Longitude, in decimal degrees"),
    "type_values": ("Төрлийн утгууд", "Type values"),
    "value_in_file": ("Файлд бичих утга", "Value in the file"),
    "bad_rows": ("Алдаатай мөрүүд. Юу ч оруулсангүй.", "Rows with problems. Nothing was imported."),
    "line": ("Мөр", "Line"),
    "problem": ("Алдаа", "Problem"),
    "imported": ("Оруулж дууслаа:", "Imported:"),
    "created": ("шинээр нэмсэн", "added"),
    "updated": ("шинэчилсэн", "updated"),
    "unchanged": ("өөрчлөлтгүй", "unchanged"),
    "not_a_file": ("Файл сонгоно уу.", "Choose a file."),
    "too_large": ("Файл хэт том байна (5 МБ хүртэл).", "The file is too large (up to 5 MB)."),
    "empty_file": ("Файлд мөр алга.", "The file has no rows."),
    "code:facility.registry_code_taken": (
        "Энэ бүртгэлийн дугаар өөр байгууллагынх байна.",
        "This registry code belongs to another facility.",
    ),
    "code:facility.unknown_area": ("Ийм нутаг дэвсгэр алга.", "There is no such area."),
    "code:auth.area_out_of_scope": (
        "Энэ нутаг дэвсгэр таны хариуцсан нутагт хамаарахгүй.",
        "This area is outside your areas.",
    ),
}
FIELDS = ("type", "name_mn", "name_en", "area_code", "registry_code", "latitude", "longitude")


@dataclass
class FacilityForm:
    type: str = ""
    name_mn: str = ""
    name_en: str = ""
    area_code: str = ""
    registry_code: str = ""
    insurance_contracted: str = ""
    latitude: str = ""
    longitude: str = ""


@dataclass
class ImportForm:
    file: UploadFile | None = None


def _number(raw: str) -> str | None:
    raw = raw.strip().replace(",", ".")
    return raw or None


def _values(form: FacilityForm) -> dict[str, Any]:
    return {
        "type": form.type,
        "name_mn": form.name_mn.strip(),
        "name_en": form.name_en.strip(),
        "area_code": form.area_code.strip(),
        "registry_code": form.registry_code.strip() or None,
        "insurance_contracted": form.insurance_contracted == "yes",
        "latitude": _number(form.latitude),
        "longitude": _number(form.longitude),
    }


def _labels(request: Request[Any, Any, Any]) -> dict[str, str]:
    t = words(request, WORDS)
    labels = {field: t(field) for field in FIELDS if field != "area_code"}
    labels["area_code"] = t("area")
    return labels | {key: t(key) for key in WORDS if key.startswith("code:")}


def _form_of(facility: Facility) -> FacilityForm:
    return FacilityForm(
        type=facility.type,
        name_mn=facility.name_mn,
        name_en=facility.name_en,
        area_code=facility.area_code,
        registry_code=facility.registry_code or "",
        insurance_contracted="yes" if facility.insurance_contracted else "",
        latitude="" if facility.latitude is None else str(facility.latitude),
        longitude="" if facility.longitude is None else str(facility.longitude),
    )


@get(LIST, opt=SETTERS, include_in_schema=False)
async def facility_list(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    area: FromQuery[str] = "",
    type: FromQuery[str] = "",
    q: FromQuery[str] = "",
    page: FromQuery[int] = 1,
) -> Template:
    """Facilities in the reader's areas, by area (and everything below it), type and name."""
    problem = None
    try:
        area_code = await areas.resolve_code(db, area.strip() or None)
    except DomainError as error:
        area_code, problem = None, error.code
    kind = type if type in FACILITY_TYPES else None
    page = max(page, 1)
    found = await facilities.list_facilities(
        db,
        principal=principal,
        page=PageRequest(limit=PAGE_SIZE, offset=offset_of(page)),
        area=area_code,
        kind=kind,
        text=q.strip()[:100] or None,
    )
    named = await areas.by_codes(db, {item.area_code for item in found.items})
    return screen(
        request,
        "setup/facilities.html",
        WORDS,
        COMMON,
        items=found.items,
        areas=named,
        filters={"area": area, "type": kind or "", "q": q},
        area_problem=f"code:{problem}" if problem else None,
        types=FACILITY_TYPES,
        pages=pages(LIST, {"area": area, "type": kind, "q": q}, page=page, total=found.total),
    )


def _edit_screen(
    request: Request[Any, Any, Any],
    *,
    form: FacilityForm,
    facility: Facility | None,
    error: DomainError | FormProblem | None = None,
) -> Template:
    t = words(request, WORDS)
    return screen(
        request,
        "setup/facility.html",
        WORDS,
        COMMON,
        status=status_of(error),
        form=form,
        facility=facility,
        types=FACILITY_TYPES,
        error=refusal(t, error, _labels(request)) if error else None,
        saved=request.query_params.get("saved") == "1",
    )


@get(f"{LIST}/new", opt=SETTERS, include_in_schema=False)
async def new_facility(request: Request[Any, Any, Any]) -> Template:
    return _edit_screen(request, form=FacilityForm(type="school"), facility=None)


@post(LIST, opt=SETTERS, include_in_schema=False, status_code=303)
async def create_facility(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    data: Form[FacilityForm],
) -> Template | Redirect:
    async def create() -> Facility:
        values = _values(data)
        if values["area_code"]:
            values["area_code"] = (
                await areas.resolve(db, values["area_code"], field="area_code")
            ).code
        return await facilities.create(db, principal=principal, data=wire(FacilityIn, values))

    try:
        made = await attempt(db, create)
    except FormProblem as problem:
        return _edit_screen(request, form=data, facility=None, error=problem)
    if isinstance(made, DomainError):
        return _edit_screen(request, form=data, facility=None, error=made)
    return Redirect(path=f"{LIST}/{made.id}?saved=1", status_code=303)


@get(f"{LIST}/{{facility_id:uuid}}", opt=SETTERS, include_in_schema=False)
async def facility_page(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    facility_id: FromPath[uuid.UUID],
) -> Template:
    """One facility of the reader's areas; another area's answers 404 as in the API."""
    facility = await facilities.get(db, principal=principal, facility_id=facility_id)
    return _edit_screen(request, form=_form_of(facility), facility=facility)


@post(f"{LIST}/{{facility_id:uuid}}", opt=SETTERS, include_in_schema=False, status_code=303)
async def update_facility(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    facility_id: FromPath[uuid.UUID],
    data: Form[FacilityForm],
) -> Template | Redirect:
    facility = await facilities.get(db, principal=principal, facility_id=facility_id)

    async def update() -> Facility:
        values = _values(data)
        if values["area_code"]:
            values["area_code"] = (
                await areas.resolve(db, values["area_code"], field="area_code")
            ).code
        return await facilities.update(
            db, principal=principal, facility_id=facility.id, data=wire(FacilityUpdate, values)
        )

    try:
        changed = await attempt(db, update)
    except FormProblem as problem:
        return _edit_screen(request, form=data, facility=facility, error=problem)
    if isinstance(changed, DomainError):
        return _edit_screen(request, form=data, facility=facility, error=changed)
    return Redirect(path=f"{LIST}/{facility.id}?saved=1", status_code=303)


def _import_screen(
    request: Request[Any, Any, Any],
    *,
    problems: list[ImportProblem] | None = None,
    message: str | None = None,
    status: int = 200,
) -> Template:
    query = request.query_params
    done = None
    if "created" in query:
        done = {key: query.get(key, "0") for key in ("created", "updated", "unchanged")}
    return screen(
        request,
        "setup/facility_import.html",
        WORDS,
        COMMON,
        status=status,
        problems=problems,
        message=message,
        done=done,
        required=importer.REQUIRED,
        optional=importer.OPTIONAL,
        types=FACILITY_TYPES,
    )


@get(IMPORT, opt=SETTERS, include_in_schema=False)
async def import_form(request: Request[Any, Any, Any]) -> Template:
    return _import_screen(request)


@post(
    IMPORT,
    opt=SETTERS,
    include_in_schema=False,
    status_code=303,
    request_max_body_size=FILE_FORM_BYTES,
)
async def import_file(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    data: Upload[ImportForm],
) -> Template | Redirect:
    """All rows or none: with any bad row the page lists every one and nothing is stored."""
    t = words(request, WORDS)
    if data.file is None or not data.file.filename:
        return _import_screen(request, message=t("not_a_file"), status=400)
    raw = await data.file.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        return _import_screen(request, message=t("too_large"), status=400)
    try:
        report = await importer.import_facilities(
            db, raw, skip_bad_rows=False, principal=principal, name=data.file.filename
        )
    except CsvFormatError as refused:
        message = refused.message_mn if t.language == "mn" else refused.message_en
        return _import_screen(request, message=message, status=400)
    if report.problems:
        return _import_screen(request, problems=report.problems, status=400)
    if report.rows == 0:
        return _import_screen(request, message=t("empty_file"), status=400)
    counts = f"created={report.created}&updated={report.updated}&unchanged={report.unchanged}"
    return Redirect(path=f"{IMPORT}?{counts}", status_code=303)


ROUTES = [
    facility_list,
    new_facility,
    create_facility,
    facility_page,
    update_facility,
    import_form,
    import_file,
]
