"""The provider scores itself blind: tried as a facility head who wants to copy the community's
scores into its self-assessment (every gap 0). Until its own scores are in, or the round
reaches the interface meeting, no surface it reads carries a community figure."""

from __future__ import annotations

import io
import uuid
import zipfile
from typing import Any

import pytest
from httpx import AsyncClient
from openpyxl import load_workbook

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio
ALL = {"since": "2000-01-01"}


async def _community(client: AsyncClient, field: Programme) -> None:
    team = await Tablet(client, await field.user(Role.FACILITATOR)).sign_in()
    for score, (female, male) in ((4, (4, 3)), (5, (5, 2))):
        group = {"type": "parents", "participants": {"female": female, "male": male}}
        data = submission(field, group=group, answers=school_answers(score))
        answer = await team.push(team.mutation("submission", "create", uuid.uuid4(), data))
        assert answer["results"][0]["status"] == "applied", answer["results"][0]


async def _what_the_head_reads(client: AsyncClient, field: Programme, head: Tablet) -> list[Any]:
    """Every community figure the head can read of its round, on every surface it has."""
    card = await client.get(f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=head.headers)
    assert card.status_code == 200, card.text
    body = card.json()
    figures: list[Any] = [
        (i["key"], i["community"], i["community_groups"], i["gap"]) for i in body["indicators"]
    ]
    figures += [(r["indicator"], r["community"]) for r in body["matrix"]["rows"]]
    figures.append(body["matrix"]["groups"])
    rollup = await client.get(
        "/reports/v1/rollup",
        params={"area": "MN-046", "template": "parent_engagement"} | ALL,
        headers=head.headers,
    )
    figures += [
        (r["indicator"], r["community"], r["community_scores"]) for r in rollup.json()["rows"]
    ]
    trend = await client.get(
        f"/reports/v1/facilities/{field.facility_id}/trend",
        params={"template": "parent_engagement"},
        headers=head.headers,
    )
    figures += [
        (line["key"], [p["community"] for p in line["points"]])
        for line in trend.json()["indicators"]
    ]
    page = await client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.html",
        params={"lang": "en"},
        headers=head.headers,
    )
    figures.append('data-cell="parents"' in page.text)
    csv = await client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.csv", headers=head.headers
    )
    figures.append("4.5" in csv.text)
    # every table at once, and the workbook: the parents' groups are in no row or column
    bundle = await client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.zip", headers=head.headers
    )
    archive = zipfile.ZipFile(io.BytesIO(bundle.content))
    tables = "".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    figures.append("4.5" in tables or "Эцэг эхчүүд" in tables)
    book = await client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard.xlsx", headers=head.headers
    )
    cells = [
        cell
        for sheet in load_workbook(io.BytesIO(book.content)).worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]
    figures.append(4.5 in cells or "Эцэг эхчүүд" in cells)
    return figures


def _blind(figures: list[Any]) -> bool:
    """Nothing the community scored is in what was read."""
    text = repr(figures)
    return "4.5" not in text and "'n': 2" not in text and "True" not in text


async def test_the_head_reads_no_community_score_before_its_own_is_in(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    await _community(committed_client, field)
    head = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    assert _blind(await _what_the_head_reads(committed_client, field, head))
    await field.cycle_phase("self_assessment")
    assert _blind(await _what_the_head_reads(committed_client, field, head))

    own = submission(field, respondent="provider", group=None)
    own["answers"] = {k: v for k, v in school_answers(3).items() if k != "informal_contributions"}
    own["answers"]["textbooks_per_pupil"] = {"value": {"entitled": 12, "actual": 9}}
    answer = await head.push(head.mutation("submission", "create", uuid.uuid4(), own))
    assert answer["results"][0]["status"] == "applied", answer["results"][0]
    # its own scores are in: the comparison is the head's to read before the meeting
    seen = await _what_the_head_reads(committed_client, field, head)
    assert not _blind(seen)
    card = (
        await committed_client.get(
            f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=head.headers
        )
    ).json()
    attendance = next(i for i in card["indicators"] if i["key"] == "teacher_attendance")
    assert (attendance["community"]["mean"], attendance["gap"]) == (4.5, 1.5)


async def test_at_the_interface_meeting_the_head_reads_the_comparison_anyway(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    await _community(committed_client, field)
    head = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    assert _blind(await _what_the_head_reads(committed_client, field, head))
    await field.cycle_phase("interface_meeting")
    assert not _blind(await _what_the_head_reads(committed_client, field, head))
    # the coordinator always read everything
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    card = await committed_client.get(
        f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=coordinator.headers
    )
    attendance = next(i for i in card.json()["indicators"] if i["key"] == "teacher_attendance")
    assert attendance["community"]["mean"] == 4.5


async def test_once_its_scores_are_in_the_head_neither_rewrites_nor_withdraws_them(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    """Read the comparison with a throwaway self-assessment, then score to match it (every
    gap 0) or withdraw it and blind the page again: both refused."""
    field = await programme(committed_database)
    await _community(committed_client, field)
    await field.cycle_phase("self_assessment")
    head = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    own = submission(field, respondent="provider", group=None)
    own["answers"] = {k: v for k, v in school_answers(1).items() if k != "informal_contributions"}
    own["answers"]["textbooks_per_pupil"] = {"value": {"entitled": 12, "actual": 9}}
    record = uuid.uuid4()
    made = await head.push(head.mutation("submission", "create", record, own))
    assert made["results"][0]["status"] == "applied", made
    assert not _blind(await _what_the_head_reads(committed_client, field, head))
    matched = {"teacher_attendance": {"value": 5, "reason": None, "suggestion": None}}
    answer = await head.push(
        head.mutation("submission", "update", record, {"answers": matched}, base_version=1),
        head.mutation("submission", "delete", record, base_version=1),
    )
    assert [(r["status"], r["error"]["code"]) for r in answer["results"]] == [
        ("rejected", "submission.self_assessment_final"),
        ("rejected", "submission.self_assessment_final"),
    ]
    card = (
        await committed_client.get(
            f"/reports/v1/cycles/{field.cycle_id}/scorecard", headers=head.headers
        )
    ).json()
    attendance = next(i for i in card["indicators"] if i["key"] == "teacher_attendance")
    assert attendance["provider_mean"] == 1
