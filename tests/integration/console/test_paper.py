"""Paper scorecards: a facilitator types a focus group's sheet at the console, and it is stored
as a tablet's push would store it: once however often the form is sent, in the change feed
and the scorecard, marked as paper with who typed it, its photo (cleaned) as the evidence."""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.attachments.models import Attachment
from backend.auth.models import Role, User
from backend.cycles.models import CycleIndicator
from backend.database.session import Database
from backend.submissions.models import Submission
from tests.support.console import console_sign_in, csrf_of, post_form
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.identity import make_user
from tests.support.photos import camera_photo, gps_of, sha

pytestmark = pytest.mark.asyncio(loop_scope="session")
HTML = {"Accept": "text/html"}
_SHEET_ID = re.compile(r'name="sheet_id" value="([^"]+)"')
REASON = "Хурлын тухай зар хоцорч ирдэг"


def _as_typed(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def sheet_fields(answers: dict[str, Any] | None = None, **extra: str) -> dict[str, str]:
    """A parents' group of 9 (6 women, 3 men) as the form is filled in."""
    answers = answers or {key: a["value"] for key, a in school_answers(4).items()}
    fields = {
        "group_type": "parents",
        "people_female": "6",
        "people_male": "3",
        "consent_noted": "yes",
        "held_on": date.today().isoformat(),
        "reason_consulted_on_plan": REASON,
    }
    fields |= {f"value_{key}": _as_typed(value) for key, value in answers.items()}
    return fields | extra


async def open_sheet(client: httpx.AsyncClient, cycle_id: uuid.UUID) -> tuple[str, str]:
    """The blank sheet of the round: its id and the page's CSRF token."""
    page = await client.get(f"/console/paper/{cycle_id}", headers=HTML)
    assert page.status_code == 200, page.text
    found = _SHEET_ID.search(page.text)
    assert found
    return found.group(1), csrf_of(page.text)


async def send(
    client: httpx.AsyncClient,
    cycle_id: uuid.UUID,
    sheet_id: str,
    token: str,
    fields: dict[str, str],
    photo: bytes | None,
) -> httpx.Response:
    files = {"photo": ("sheet.jpg", photo, "image/jpeg")} if photo is not None else None
    return await client.post(
        f"/console/paper/{cycle_id}",
        data={**fields, "sheet_id": sheet_id, "_csrf_token": token},
        files=files,
        headers=HTML,
    )


async def in_english(client: httpx.AsyncClient) -> None:
    await post_form(client, "/console/", "/console/language", {"language": "en", "back": "/"})


async def stored(db: AsyncSession, sheet_id: str) -> list[Submission]:
    return list(await db.scalars(select(Submission).where(Submission.id == uuid.UUID(sheet_id))))


async def test_a_typed_sheet_is_stored_once_as_paper_with_its_photo_and_reaches_the_feed(
    committed_client: httpx.AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    facilitator = await field.user(Role.FACILITATOR)
    await console_sign_in(committed_client, facilitator)
    listed = await committed_client.get("/console/paper", headers=HTML)
    assert f"/console/paper/{field.cycle_id}" in listed.text
    sheet_id, token = await open_sheet(committed_client, field.cycle_id)
    photo = camera_photo()

    first = await send(committed_client, field.cycle_id, sheet_id, token, sheet_fields(), photo)
    again = await send(committed_client, field.cycle_id, sheet_id, token, sheet_fields(), photo)
    assert first.status_code == 303, first.text
    assert first.headers["location"] == f"/console/paper/{field.cycle_id}?stored={sheet_id}"
    assert again.status_code == 303, again.text
    assert again.headers["location"].endswith("&again=1")

    async with committed_database.sessionmaker() as db:
        rows = await stored(db, sheet_id)
        assert len(rows) == 1
        row = rows[0]
        assert (row.source, row.created_by, row.respondent) == (
            "paper",
            facilitator.id,
            "community",
        )
        assert row.group == {
            "type": "parents",
            "participants": {"female": 6, "male": 3},
            "consent_noted": True,
        }
        assert row.participants == 9
        assert row.answers["consulted_on_plan"]["value"] == 4
        assert row.answers["consulted_on_plan"]["reason"] == REASON
        assert row.answers["budget_published"]["value"] is False
        assert {tuple(a["evidence"]) for a in row.answers.values()} == {(sha(photo),)}
        assert await db.scalar(select(func.count()).where(Attachment.sha256 == sha(photo))) == 1

    # the page says it was stored once, and who typed it
    page = await committed_client.get(again.headers["location"], headers=HTML)
    assert "stored once" in page.text or "нэг л удаа" in page.text
    assert facilitator.display_name in page.text

    # the photo is kept cleaned: no camera position reaches anyone
    download = await committed_client.get(f"/sync/v1/attachments/{sha(photo)}")
    assert download.status_code == 200
    assert gps_of(download.content) == {}

    # the change feed hands it to tablets, marked as paper with its typist
    coordinator = await field.user(Role.COORDINATOR)
    tablet = await Tablet(committed_client, coordinator).sign_in()
    changes = [c for c in await tablet.pull_all() if c["id"] == sheet_id]
    assert len(changes) == 1
    assert changes[0]["data"]["source"] == "paper"
    assert changes[0]["data"]["created_by"] == str(facilitator.id)
    assert changes[0]["attachments"] == [sha(photo)]

    # its history is a push's: one version, by the typist, from no device
    history = await committed_client.get(
        f"/sync/v1/history/submission/{sheet_id}", headers=tablet.headers
    )
    assert [(v["version"], v["user_id"], v["device_id"]) for v in history.json()] == [
        (1, str(facilitator.id), None)
    ]

    # a coordinator reviewing its words and photo reads that they were typed from paper; the
    # photo, backing every answer, is one piece
    pieces = await committed_client.get(
        f"/reviews/v1/cycles/{field.cycle_id}/pieces", headers=tablet.headers
    )
    ours = [p for p in pieces.json()["items"] if p["record_id"] == sheet_id]
    assert sorted(p["kind"] for p in ours) == ["photo", "reason"]
    assert {p["source"] for p in ours} == {"paper"}

    # and the round's scorecard counts it, its photo beside the indicator
    card = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=tablet.headers
    )
    indicator = next(i for i in card.json()["indicators"] if i["key"] == "consulted_on_plan")
    assert (indicator["community"]["n"], indicator["community"]["mean"]) == (1, 4)
    assert sha(photo) in indicator["evidence"]


async def _sign_in_facilitator(
    client: httpx.AsyncClient, field: Programme
) -> tuple[User, str, str]:
    facilitator = await field.user(Role.FACILITATOR)
    await console_sign_in(client, facilitator)
    await in_english(client)
    sheet_id, token = await open_sheet(client, field.cycle_id)
    return facilitator, sheet_id, token


async def test_a_score_out_of_range_is_shown_beside_its_indicator_and_nothing_is_stored(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    _, sheet_id, token = await _sign_in_facilitator(client, field)
    photo = camera_photo((20, 200, 90))
    fields = sheet_fields(value_consulted_on_plan="9")
    refused = await send(client, field.cycle_id, sheet_id, token, fields, photo)
    assert refused.status_code == 422
    assert "The sheet was not stored" in refused.text
    # the message sits in the indicator's own box, and the form keeps what was typed
    box = refused.text.split('id="problem-consulted_on_plan"', 1)[1].split("</p>", 1)[0]
    assert "Outside the allowed range" in box
    assert 'aria-describedby="problem-consulted_on_plan"' in refused.text
    assert REASON in refused.text
    assert f'value="{sheet_id}"' in refused.text
    assert await stored(db, sheet_id) == []
    assert await db.scalar(select(func.count()).where(Attachment.sha256 == sha(photo))) == 0

    # corrected, the same sheet goes in
    fixed = await send(
        client, field.cycle_id, sheet_id, csrf_of(refused.text), sheet_fields(), photo
    )
    assert fixed.status_code == 303
    assert len(await stored(db, sheet_id)) == 1


async def test_a_closed_round_takes_no_sheet(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    _, sheet_id, token = await _sign_in_facilitator(client, field)
    await field.cycle_phase("closed")
    refused = await send(client, field.cycle_id, sheet_id, token, sheet_fields(), camera_photo())
    assert refused.status_code == 422
    assert "The round is closed: it takes no more sheets." in refused.text
    assert await stored(db, sheet_id) == []


async def test_a_sheet_without_its_photo_or_group_is_refused(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    _, sheet_id, token = await _sign_in_facilitator(client, field)
    no_photo = await send(client, field.cycle_id, sheet_id, token, sheet_fields(), None)
    assert no_photo.status_code == 422
    assert "Attach a photo of the sheet." in no_photo.text
    not_a_photo = await send(
        client, field.cycle_id, sheet_id, token, sheet_fields(), b"this is not a picture"
    )
    assert not_a_photo.status_code == 422
    assert "The photo must be a JPEG, PNG or WebP picture" in not_a_photo.text
    no_group = await send(
        client, field.cycle_id, sheet_id, token, sheet_fields(group_type=""), camera_photo()
    )
    assert no_group.status_code == 422
    assert "Choose the group." in no_group.text
    assert await stored(db, sheet_id) == []


async def test_the_sheet_shows_the_rounds_indicators_in_the_readers_language(
    client: httpx.AsyncClient, database: Database
) -> None:
    field = await programme(database)
    await _sign_in_facilitator(client, field)
    page = await client.get(f"/console/paper/{field.cycle_id}", headers=HTML)
    # labels, not keys; a scale's points, yes and no, and a count as a number
    assert "consulted_on_plan" not in re.sub(
        r'(name|id|for|aria-describedby)="[^"]*"', "", page.text
    )
    assert 'name="value_consulted_on_plan"' in page.text
    assert '<option value="yes"' in page.text
    assert 'name="value_council_meetings" type="number"' in page.text
    assert 'type="file"' in page.text
    assert 'enctype="multipart/form-data"' in page.text


async def test_only_the_field_team_in_scope_types_sheets(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    viewer = await make_user(db, Role.VIEWER, areas=["MN-046"])
    await console_sign_in(client, viewer)
    assert (await client.get("/console/paper", headers=HTML)).status_code == 403
    assert (await client.get(f"/console/paper/{field.cycle_id}", headers=HTML)).status_code == 403
    # a facilitator of another aimag does not find the round
    elsewhere = await make_user(db, Role.FACILITATOR, areas=["MN-043"])
    await console_sign_in(client, elsewhere)
    listed = await client.get("/console/paper", headers=HTML)
    assert str(field.cycle_id) not in listed.text
    assert (await client.get(f"/console/paper/{field.cycle_id}", headers=HTML)).status_code == 404


async def test_a_tablet_cannot_pass_its_submission_off_as_paper(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    tablet = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    record_id = uuid.uuid4()
    data = {
        "cycle_id": str(field.cycle_id),
        "respondent": "community",
        "collected_at": "2026-10-01T10:00:00+08:00",
        "group": {"type": "parents", "participants": {"female": 7}},
        "answers": school_answers(),
        "source": "paper",
    }
    pushed = await tablet.push(tablet.mutation("submission", "create", record_id, data))
    assert pushed["results"][0]["status"] == "applied"
    assert [row.source for row in await stored(db, str(record_id))] == ["tablet"]


async def test_every_problem_of_a_sheet_is_told_at_once(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    _, sheet_id, token = await _sign_in_facilitator(client, field)
    fields = sheet_fields(value_council_meetings="500", value_teacher_attendance="")
    refused = await send(client, field.cycle_id, sheet_id, token, fields, None)
    assert refused.status_code == 422
    assert "Attach a photo of the sheet." in refused.text
    box = refused.text.split('id="problem-council_meetings"', 1)[1].split("</p>", 1)[0]
    assert "Outside the allowed range." in box
    box = refused.text.split('id="problem-teacher_attendance"', 1)[1].split("</p>", 1)[0]
    assert "An answer is required." in box
    # a group's count that is no count is told on its own, as the push's decoding finds it
    people = await send(
        client, field.cycle_id, sheet_id, token, sheet_fields(people_male="-2"), camera_photo()
    )
    assert people.status_code == 422
    assert "The number of people is a whole number from 0." in people.text
    assert await stored(db, sheet_id) == []


async def test_a_sheet_sent_twice_at_once_is_stored_once(
    committed_client: httpx.AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    await console_sign_in(committed_client, await field.user(Role.FACILITATOR))
    sheet_id, token = await open_sheet(committed_client, field.cycle_id)
    photo = camera_photo((90, 90, 200))
    both = await asyncio.gather(
        *(
            send(committed_client, field.cycle_id, sheet_id, token, sheet_fields(), photo)
            for _ in range(2)
        )
    )
    assert [r.status_code for r in both] == [303, 303]
    assert sorted(r.headers["location"].endswith("&again=1") for r in both) == [False, True]
    async with committed_database.sessionmaker() as db:
        assert len(await stored(db, sheet_id)) == 1


async def test_the_rounds_raised_indicators_are_on_the_sheet(
    client: httpx.AsyncClient, db: AsyncSession, database: Database
) -> None:
    field = await programme(database)
    coordinator = await field.user(Role.COORDINATOR)
    db.add(
        CycleIndicator(
            id=uuid.uuid4(),
            cycle_id=field.cycle_id,
            key="cold_classrooms",
            label={"mn": "Өвөл анги хүйтэн байдаг", "en": "Classrooms are cold in winter"},
            kind="scale",
            raised_by=["parents"],
            status="selected",
            better="higher",
            facility_id=field.facility_id,
            created_by=coordinator.id,
        )
    )
    await db.commit()
    _, sheet_id, token = await _sign_in_facilitator(client, field)
    page = await client.get(f"/console/paper/{field.cycle_id}", headers=HTML)
    assert "Classrooms are cold in winter" in page.text
    assert "Issues the groups raised" in page.text
    fields = sheet_fields(value_cold_classrooms="2", reason_cold_classrooms="Пийшин муу")
    sent = await send(client, field.cycle_id, sheet_id, token, fields, camera_photo())
    assert sent.status_code == 303, sent.text
    (row,) = await stored(db, sheet_id)
    assert row.answers["cold_classrooms"]["value"] == 2
    assert row.answers["cold_classrooms"]["reason"] == "Пийшин муу"
