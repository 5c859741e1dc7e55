"""The set-up screens for the geography, the tag list and people: a coordinator browses their
own areas only, keeps the programme's tags by their names, sees the accounts of their areas;
only an admin creates and changes accounts."""

from __future__ import annotations

import re

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.importer import import_areas
from backend.auth.models import Role, User, UserArea
from backend.cycles.models import RaisedTag
from tests.support.console import console_sign_in, form_token, post_form
from tests.support.identity import bearer, make_user, sign_in

pytestmark = pytest.mark.asyncio(loop_scope="session")
HTML = {"Accept": "text/html"}
TAGS = "/console/setup/tags"
USERS = "/console/setup/users"


async def test_a_coordinator_browses_their_own_areas_and_no_others(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    top = await client.get("/console/setup/areas", headers=HTML)
    assert "Увс" in top.text
    assert "Ховд" not in top.text
    soums = await client.get("/console/setup/areas?parent=MN-046", headers=HTML)
    assert soums.status_code == 200
    assert "Тэс" in soums.text
    assert (await client.get("/console/setup/areas?parent=MN-043", headers=HTML)).status_code == 404


async def test_an_admin_browses_the_nation_down_to_imported_khoroos(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    raw = (
        "code,level,parent_code,name_mn,name_en\n"
        "MN-1-SK-01,khoroo,MN-1-SK,1-р хороо,Khoroo 1\n"
        "MN-1-SK-02,khoroo,MN-1-SK,2-р хороо,Khoroo 2\n"
    ).encode()
    report = await import_areas(db, raw, skip_bad_rows=False)
    assert report.created == 2
    admin = await make_user(db, Role.ADMIN)
    await console_sign_in(client, admin)
    nation = await client.get("/console/setup/areas", headers=HTML)
    assert "Увс" in nation.text
    assert "Ховд" in nation.text
    district = await client.get("/console/setup/areas?parent=MN-1-SK", headers=HTML)
    assert "2-р хороо" in district.text
    assert "Хороо" in district.text  # the level, in words


async def test_a_coordinator_keeps_the_tags_by_their_names(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    page = await client.get(TAGS, headers=HTML)
    assert "Халаалт, дулаан" in page.text
    added = await post_form(
        client, TAGS, TAGS, {"label_mn": "Сургуулийн автобус", "label_en": "Late school bus"}
    )
    assert added.status_code == 303
    tag = await db.get(RaisedTag, "late_school_bus")
    assert tag is not None
    assert tag.label_mn == "Сургуулийн автобус"
    twice = await post_form(
        client, TAGS, TAGS, {"label_mn": "Автобус", "label_en": "late school bus"}
    )
    assert twice.status_code == 409
    assert "Ийм англи нэртэй шошго жагсаалтад байна" in twice.text
    blank = await post_form(client, TAGS, TAGS, {"label_mn": " ", "label_en": "Road"})
    assert blank.status_code == 400
    assert "Монгол нэрийг бичнэ үү" in blank.text
    renamed = await post_form(
        client,
        TAGS,
        f"{TAGS}/late_school_bus",
        {"label_mn": "Автобус хоцордог", "label_en": "School bus is late"},
    )
    assert renamed.status_code == 303
    retired = await post_form(client, TAGS, f"{TAGS}/late_school_bus/retire", {})
    assert retired.status_code == 303
    await db.refresh(tag)
    assert (tag.key, tag.label_en, tag.retired_at is not None) == (
        "late_school_bus",
        "School bus is late",
        True,
    )
    listed = await client.get(TAGS, headers=HTML)
    shown = re.sub(r"<[^>]+>", " ", listed.text.split("<main", 1)[1])
    assert "School bus is late" in listed.text
    assert "late_school_bus" not in shown  # the key is never shown, only the names
    assert "Хэрэглээнээс гарсан" in listed.text
    unknown = await post_form(client, TAGS, f"{TAGS}/nothing_here/retire", {})
    assert unknown.status_code == 404


async def test_an_admin_creates_an_account_changes_it_and_sets_its_password(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    admin = await make_user(db, Role.ADMIN)
    await console_sign_in(client, admin)
    fields = {
        "username": "uvs.facilitator",
        "display_name": "Болд",
        "role": "facilitator",
        "password": "short",
        "areas": "Увс",
    }
    short = await post_form(client, USERS, USERS, fields)
    assert short.status_code == 400
    assert "Нууц үг 8-аас доошгүй тэмдэгттэй байна" in short.text
    made = await post_form(client, USERS, USERS, {**fields, "password": "long enough pass"})
    assert made.status_code == 303, made.text
    user = await db.scalar(select(User).where(User.username == "uvs.facilitator"))
    assert user is not None
    areas = set(await db.scalars(select(UserArea.area_code).where(UserArea.user_id == user.id)))
    assert areas == {"MN-046"}
    page = f"{USERS}/{user.id}"
    changed = await post_form(
        client, page, page, {"display_name": "Болд", "role": "coordinator", "areas": "MN-046, Ховд"}
    )
    assert changed.status_code == 303
    await db.refresh(user)
    assert user.role == "coordinator"
    reset = await post_form(client, page, f"{page}/password", {"password": "a new long one"})
    assert reset.status_code == 303
    tokens = await sign_in(client, user, password="a new long one")
    off = await post_form(client, page, f"{page}/active", {"active": "0"})
    assert off.status_code == 303
    await db.refresh(user)
    assert user.active is False
    assert (await client.get("/auth/v1/me", headers=bearer(tokens))).status_code == 401


async def test_a_coordinator_sees_the_accounts_of_their_areas_and_changes_none(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    uvs = await make_user(db, Role.FACILITATOR, areas=["MN-046"])
    khovd = await make_user(db, Role.FACILITATOR, areas=["MN-043"])
    coordinator = await make_user(db, Role.COORDINATOR, areas=["MN-046"])
    await console_sign_in(client, coordinator)
    listed = await client.get(USERS, headers=HTML)
    assert uvs.username in listed.text
    assert khovd.username not in listed.text
    assert 'action="/console/setup/users"' not in listed.text
    assert (await client.get(f"{USERS}/{uvs.id}", headers=HTML)).status_code == 200
    assert (await client.get(f"{USERS}/{khovd.id}", headers=HTML)).status_code == 404
    token = await form_token(client, USERS)
    refused = await client.post(
        f"{USERS}/{uvs.id}/active", data={"_csrf_token": token, "active": "0"}
    )
    assert refused.status_code == 403
    await db.refresh(uvs)
    assert uvs.active is True
