"""The set-up screens as a coordinator and an admin use them: facilities imported from what
Excel saves (every bad row shown, nothing stored), another aimag's facility out of reach,
templates published, campaigns opened, rounds moved on and reopened with a reason, a lost
tablet revoked; a viewer refused every one of them."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role, User
from backend.cycles.models import Cycle, CyclePhaseChange
from backend.facilities.models import Facility
from backend.scorecards.models import Template, TemplateVersion
from tests.support.console import console_sign_in, form_token, post_form
from tests.support.identity import bearer, device_payload, make_facility, make_user, sign_in

pytestmark = pytest.mark.asyncio(loop_scope="session")
HTML = {"Accept": "text/html"}
IMPORT = "/console/setup/facilities/import"
HEADER = "registry_code,type,name_mn,name_en,area_code,insurance_contracted,latitude,longitude"


async def _coordinator(client: httpx.AsyncClient, db: AsyncSession, area: str = "MN-046") -> User:
    user = await make_user(db, Role.COORDINATOR, areas=[area])
    await console_sign_in(client, user)
    return user


async def _upload(
    client: httpx.AsyncClient, raw: bytes, name: str = "facilities.csv"
) -> httpx.Response:
    token = await form_token(client, IMPORT)
    return await client.post(
        IMPORT, data={"_csrf_token": token}, files={"file": (name, raw, "text/csv")}
    )


async def _count(db: AsyncSession, *codes: str) -> int:
    found = await db.scalar(
        select(func.count()).select_from(Facility).where(Facility.registry_code.in_(codes))
    )
    return found or 0


async def test_an_import_with_one_bad_row_shows_its_line_and_column_and_imports_nothing(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await _coordinator(client, db)
    raw = (
        f"{HEADER}\n"
        "SCH-046-301,school,Өлгий сургууль,Ulgii school,MN-046,no,,\n"
        "SCH-046-302,schol,Тэс сургууль,Tes school,MN-046,no,,\n"
        "SCH-046-303,school,Наранбулаг сургууль,Naranbulag school,MN-046,no,,\n"
    ).encode()
    answer = await _upload(client, raw)
    assert answer.status_code == 400
    page = answer.text
    assert '<th scope="row">3</th><td>type</td>' in page
    assert "&#39;schol&#39;" in page or "'schol'" in page
    assert "Юу ч оруулсангүй" in page  # nothing was imported, in the reader's language
    assert await _count(db, "SCH-046-301", "SCH-046-302", "SCH-046-303") == 0


async def test_a_semicolon_file_with_a_byte_order_mark_imports_and_says_how_many(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await _coordinator(client, db)
    raw = (
        "\ufeff" + HEADER.replace(",", ";") + "\r\n"
        "SCH-046-311;school;Улаангом сургууль;Ulaangom school;MN-046;тийм;49,98;92,07\r\n"
        "PH-046-312;pharmacy;Тэс эмийн сан;Tes pharmacy;MN-046;no;;\r\n"
    ).encode()
    answer = await _upload(client, raw)
    assert answer.status_code == 303, answer.text
    done = await client.get(answer.headers["location"], headers=HTML)
    assert "Оруулж дууслаа: 2 шинээр нэмсэн, 0 шинэчилсэн" in done.text
    assert await _count(db, "SCH-046-311", "PH-046-312") == 2


async def test_a_windows_1251_file_gets_the_plain_message_and_nothing_is_read(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await _coordinator(client, db)
    raw = (f"{HEADER}\nSCH-046-321,school,Улаангом сургууль,Ulaangom,MN-046,no,,\n").encode(
        "cp1251"
    )
    answer = await _upload(client, raw)
    assert answer.status_code == 400
    assert "Файл UTF-8 кодчилолтой биш байна (Windows-1251 кирилл шиг байна)" in answer.text
    assert "CSV UTF-8" in answer.text
    assert "Traceback" not in answer.text
    assert await _count(db, "SCH-046-321") == 0


async def test_a_coordinator_cannot_see_change_or_import_into_another_aimags_facility(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    khovd = await make_facility(db, area_code="MN-043", name="Khovd school")
    await _coordinator(client, db, "MN-046")
    path = f"/console/setup/facilities/{khovd.id}"
    assert (await client.get(path, headers=HTML)).status_code == 404
    token = await form_token(client, "/console/setup/facilities")
    changed = await client.post(
        path,
        data={
            "_csrf_token": token,
            "type": "school",
            "name_mn": "Минийх",
            "name_en": "Mine",
            "area_code": "MN-046",
        },
    )
    assert changed.status_code == 404
    listed = await client.get("/console/setup/facilities", headers=HTML)
    assert "Khovd school" not in listed.text
    answer = await _upload(
        client, f"{HEADER}\nSCH-043-331,school,Ховд,Khovd 2,MN-043,no,,\n".encode()
    )
    assert answer.status_code == 400
    assert '<th scope="row">2</th><td>area_code</td>' in answer.text
    assert await _count(db, "SCH-043-331") == 0
    await db.refresh(khovd)
    assert khovd.name_en == "Khovd school"


async def test_a_coordinator_edits_a_facility_of_their_area(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    school = await make_facility(db, area_code="MN-046", name="Tes school")
    await _coordinator(client, db, "MN-046")
    path = f"/console/setup/facilities/{school.id}"
    fields = {"type": "school", "name_mn": "Тэс сургууль", "name_en": "Tes secondary school"}
    outside = await post_form(
        client, path, path, {**fields, "area_code": "Увс", "latitude": "60,1", "longitude": "92"}
    )
    assert outside.status_code == 400  # north of Mongolia: refused by the API's own type
    assert "Энэ талбарыг шалгана уу: Өргөрөг" in outside.text
    saved = await post_form(
        client, path, path, {**fields, "area_code": "Увс", "latitude": "", "longitude": ""}
    )
    assert saved.status_code == 303, saved.text
    await db.refresh(school)
    assert (school.name_en, school.area_code) == ("Tes secondary school", "MN-046")
    moved = await post_form(client, path, path, {**fields, "area_code": "MN-043"})
    assert moved.status_code == 403  # as the API answers it, with the form shown again
    assert "таны хариуцсан нутагт хамаарахгүй" in moved.text


async def test_the_facility_and_round_filters_take_an_area_by_any_spelling(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await make_facility(db, area_code="MN-046", name="Tes school")
    await _coordinator(client, db)
    for path in ("/console/setup/facilities", "/console/setup/rounds"):
        named = await client.get(path, params={"area": "Uvs"}, headers=HTML)
        assert named.status_code == 200
        assert 'role="alert"' not in named.text
        unknown = await client.get(path, params={"area": "Uvss"}, headers=HTML)
        assert unknown.status_code == 200, path  # the list stays, the filter says why
        assert "Ийм нутаг дэвсгэр олдсонгүй" in unknown.text, path
    listed = await client.get("/console/setup/facilities", params={"area": "uvs"}, headers=HTML)
    assert "Tes school" in listed.text


SETUP_SCREENS = [
    "/console/setup",
    "/console/setup/areas",
    "/console/setup/facilities",
    "/console/setup/facilities/new",
    IMPORT,
    "/console/setup/templates",
    "/console/setup/rounds",
    "/console/setup/rounds/new",
    "/console/setup/tags",
    "/console/setup/users",
    "/console/setup/tablets",
]


async def test_a_viewer_is_refused_every_set_up_screen(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    viewer = await make_user(db, Role.VIEWER, areas=["MN-046"])
    await console_sign_in(client, viewer)
    for path in SETUP_SCREENS:
        answer = await client.get(path, headers=HTML)
        assert answer.status_code == 403, path
    token = await form_token(client, "/console/sign-in")
    refused = await client.post(
        IMPORT, data={"_csrf_token": token}, files={"file": ("f.csv", b"x", "text/csv")}
    )
    assert refused.status_code == 403


async def test_every_set_up_screen_opens_for_a_coordinator_in_both_languages(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await make_facility(db, area_code="MN-046", name="Tes school")
    await _coordinator(client, db)
    for language in ("mn", "en"):
        await post_form(client, "/console/setup", "/console/language", {"language": language})
        for path in SETUP_SCREENS:
            answer = await client.get(path, headers=HTML)
            assert answer.status_code == 200, (language, path, answer.text[:500])
            assert "_" not in _words_shown(answer.text), (language, path)


def _words_shown(page: str) -> str:
    """The page's text between tags, without codes the reader types themselves (area codes,
    CSV column names in <code>)."""
    import re

    body = page.split("<main", 1)[1]
    body = re.sub(r"<code>.*?</code>", "", body, flags=re.S)
    body = re.sub(r"<[^>]+>", " ", body)
    return body


async def _published(db: AsyncSession, key: str) -> TemplateVersion:
    version = await db.scalar(
        select(TemplateVersion)
        .join(Template, Template.id == TemplateVersion.template_id)
        .where(Template.key == key, TemplateVersion.status == "published")
    )
    assert version is not None
    return version


async def test_a_coordinator_makes_a_draft_and_publishes_it(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await _coordinator(client, db)
    source = await _published(db, "parent_engagement")
    page = f"/console/setup/templates/versions/{source.id}"
    shown = await client.get(page, headers=HTML)
    # an indicator in both languages, side by side
    assert "Эцэг эхийн зөвлөл энэ хичээлийн жилд хэдэн удаа хуралдсан бэ?" in shown.text
    assert "How many times has the parent council met this school year?" in shown.text
    drafted = await post_form(client, page, f"{page}/drafts", {})
    assert drafted.status_code == 303
    draft_page = drafted.headers["location"].split("?")[0]
    draft = await db.get(TemplateVersion, draft_page.rsplit("/", 1)[1])
    assert draft is not None
    assert draft.status == "draft"
    assert draft.number == source.number + 1
    published = await post_form(client, draft_page, f"{draft_page}/publish", {})
    assert published.status_code == 303
    await db.refresh(draft)
    assert draft.status == "published"
    again = await post_form(client, draft_page, f"{draft_page}/publish", {})
    assert again.status_code == 409
    assert "Зөвхөн ноорог хувилбарыг нийтэлнэ" in again.text


async def test_a_coordinator_opens_a_campaign_in_their_aimag(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    for name in ("Uvs school 1", "Uvs school 2"):
        await make_facility(db, area_code="MN-046", name=name)
    khovd = await make_facility(db, area_code="MN-043", name="Khovd school")
    await _coordinator(client, db)
    version = await _published(db, "parent_engagement")
    opened = await post_form(
        client,
        "/console/setup/rounds/new",
        "/console/setup/campaigns",
        {
            "template_version_id": str(version.id),
            "area_code": "Увс",
            "facility_type": "school",
            "label": "2026 оны хаврын үе",
            "label_en": "2026 spring round",
            "groups": ["parents", "teachers"],
        },
    )
    assert opened.status_code == 303, opened.text
    listed = await client.get(opened.headers["location"], headers=HTML)
    assert "Нээсэн үе: 2" in listed.text
    rounds = (await db.scalars(select(Cycle).where(Cycle.label == "2026 оны хаврын үе"))).all()
    assert len(rounds) == 2
    assert all([g["type"] for g in r.planned_groups] == ["parents", "teachers"] for r in rounds)
    assert khovd.id not in {r.facility_id for r in rounds}
    outside = await post_form(
        client,
        "/console/setup/rounds/new",
        "/console/setup/campaigns",
        {
            "template_version_id": str(version.id),
            "area_code": "MN-043",
            "facility_type": "school",
            "label": "Ховд",
        },
    )
    assert outside.status_code == 303
    assert (await client.get(outside.headers["location"], headers=HTML)).text.count(
        "Нээсэн үе: 0"
    ) == 1


async def test_a_round_moves_on_and_is_reopened_only_with_a_reason(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    school = await make_facility(db, area_code="MN-046", name="Tes school")
    coordinator = await _coordinator(client, db)
    version = await _published(db, "parent_engagement")
    new = f"/console/setup/rounds/new?facility={school.id}"
    made = await post_form(
        client,
        new,
        "/console/setup/rounds",
        {
            "facility_id": str(school.id),
            "template_version_id": str(version.id),
            "label": "2026 намар",
        },
    )
    assert made.status_code == 303, made.text
    page = made.headers["location"].split("?")[0]
    cycle_id = page.rsplit("/", 1)[1]
    moved = await post_form(client, page, f"{page}/advance", {"to": "input_tracking"})
    assert moved.status_code == 303
    stale = await post_form(client, page, f"{page}/advance", {"to": "input_tracking"})
    assert stale.status_code == 409  # a second click from the old page moves nothing
    no_reason = await post_form(client, page, f"{page}/reopen", {"to": "preparation", "reason": ""})
    assert no_reason.status_code == 400
    assert "Буцаах шалтгааныг бичнэ үү" in no_reason.text
    cycle = await db.get(Cycle, cycle_id)
    assert cycle is not None
    await db.refresh(cycle)
    assert cycle.phase == "input_tracking"
    reopened = await post_form(
        client,
        page,
        f"{page}/reopen",
        {"to": "preparation", "reason": "Бүлгүүдийг дахин төлөвлөнө"},
    )
    assert reopened.status_code == 303
    await db.refresh(cycle)
    assert cycle.phase == "preparation"
    change = await db.scalar(
        select(CyclePhaseChange).where(
            CyclePhaseChange.cycle_id == cycle.id, CyclePhaseChange.reopened.is_(True)
        )
    )
    assert change is not None
    assert change.reason == "Бүлгүүдийг дахин төлөвлөнө"
    history = await client.get(page, headers=HTML)
    assert "Бүлгүүдийг дахин төлөвлөнө" in history.text
    assert coordinator.username in history.text


async def test_a_revoked_tablets_bearer_token_answers_401(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    monitor = await make_user(db, Role.MONITOR, areas=["MN-046"])
    tablet = device_payload()
    tokens = await sign_in(client, monitor, device=tablet)
    assert (await client.get("/auth/v1/me", headers=bearer(tokens))).status_code == 200
    await _coordinator(client, db)
    listed = await client.get("/console/setup/tablets", headers=HTML)
    assert "Parent council tablet" in listed.text
    confirm = f"/console/setup/tablets/{tablet['id']}/revoke"
    shown = await client.get(confirm, headers=HTML)
    assert shown.status_code == 200
    assert "Тийм, таблетыг хаах" in shown.text
    revoked = await post_form(client, confirm, confirm, {})
    assert revoked.status_code == 303
    assert (await client.get("/auth/v1/me", headers=bearer(tokens))).status_code == 401


async def test_a_coordinator_cannot_revoke_another_aimags_tablet(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    monitor = await make_user(db, Role.MONITOR, areas=["MN-043"])
    tablet = device_payload()
    tokens = await sign_in(client, monitor, device=tablet)
    await _coordinator(client, db, "MN-046")
    confirm = f"/console/setup/tablets/{tablet['id']}/revoke"
    assert (await client.get(confirm, headers=HTML)).status_code == 404
    token = await form_token(client, "/console/setup/tablets")
    assert (await client.post(confirm, data={"_csrf_token": token})).status_code == 404
    assert (await client.get("/auth/v1/me", headers=bearer(tokens))).status_code == 200
