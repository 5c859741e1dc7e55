"""Templates: seeded families, immutable published versions, drafts, import and export."""

import copy

import pytest
from httpx import AsyncClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.scorecards.models import Template, TemplateVersion
from tests.support.identity import headers_for

pytestmark = pytest.mark.asyncio


async def _version_id(db: AsyncSession, key: str) -> str:
    version_id = await db.scalar(
        select(TemplateVersion.id)
        .join(Template, Template.id == TemplateVersion.template_id)
        .where(Template.key == key, TemplateVersion.status == "published")
    )
    return str(version_id)


async def test_the_three_families_are_published(client: AsyncClient, db: AsyncSession) -> None:
    headers = await headers_for(client, db, Role.MONITOR, areas=["MN-046"])
    listed = await client.get("/templates/v1", headers=headers)
    assert listed.status_code == 200
    by_key = {t["key"]: t for t in listed.json()}
    assert set(by_key) == {"parent_engagement", "medicine_availability", "health_insurance"}
    for template in by_key.values():
        assert [v["status"] for v in template["versions"]] == ["published"]
    assert by_key["parent_engagement"]["name_mn"].startswith("Эцэг эхийн оролцоо")

    version = await client.get(
        f"/templates/v1/versions/{by_key['medicine_availability']['versions'][0]['id']}",
        headers=headers,
    )
    document = version.json()["document"]
    check = next(i for i in document["indicators"] if i["answer"]["type"] == "medicine_check")
    assert "insulin" in check["answer"]["medicines"]


async def test_a_published_version_refuses_change(client: AsyncClient, db: AsyncSession) -> None:
    headers = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    version_id = await _version_id(db, "parent_engagement")
    document = (await client.get(f"/templates/v1/versions/{version_id}", headers=headers)).json()[
        "document"
    ]
    document["name"]["en"] = "Changed after publication"
    response = await client.put(
        f"/templates/v1/versions/{version_id}", json=document, headers=headers
    )
    assert response.status_code == 409
    assert response.json()["code"] == "template.version_not_draft"
    again = await client.get(f"/templates/v1/versions/{version_id}", headers=headers)
    assert again.json()["document"]["name"]["en"] == "Parent engagement in schools"


async def test_edit_through_a_new_draft_then_publish(client: AsyncClient, db: AsyncSession) -> None:
    headers = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    version_id = await _version_id(db, "health_insurance")
    draft = await client.post(f"/templates/v1/versions/{version_id}/drafts", headers=headers)
    assert draft.status_code == 201
    assert (draft.json()["number"], draft.json()["status"]) == (2, "draft")
    document = draft.json()["document"]
    document["indicators"][0]["hint"] = {
        "mn": "Жишээ: эмнэлэгт хэвтэх",
        "en": "e.g. a hospital stay",
    }
    edited = await client.put(
        f"/templates/v1/versions/{draft.json()['id']}", json=document, headers=headers
    )
    assert edited.status_code == 200
    assert edited.json()["document"]["indicators"][0]["hint"]["en"] == "e.g. a hospital stay"

    monitor = await headers_for(client, db, Role.MONITOR, areas=["MN-046"])
    hidden = await client.get(f"/templates/v1/versions/{draft.json()['id']}", headers=monitor)
    assert hidden.status_code == 404  # drafts are the editors' work in progress

    published = await client.post(
        f"/templates/v1/versions/{draft.json()['id']}/publish", headers=headers
    )
    assert published.json()["status"] == "published"
    retired = await client.post(f"/templates/v1/versions/{version_id}/retire", headers=headers)
    assert retired.json()["status"] == "retired"
    # indicator keys are stable across versions, so rounds compare
    old = (await client.get(f"/templates/v1/versions/{version_id}", headers=headers)).json()
    assert [i["key"] for i in old["document"]["indicators"]] == [
        i["key"] for i in published.json()["document"]["indicators"]
    ]


async def test_export_then_import_makes_a_draft_of_the_same_template(
    client: AsyncClient, db: AsyncSession
) -> None:
    headers = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    version_id = await _version_id(db, "medicine_availability")
    exported = await client.get(f"/templates/v1/versions/{version_id}/export", headers=headers)
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    imported = await client.post("/templates/v1/import", json=exported.json(), headers=headers)
    assert imported.status_code == 201, imported.text
    assert imported.json()["status"] == "draft"
    assert imported.json()["number"] == 2
    assert imported.json()["document"] == exported.json()


async def test_an_invalid_document_reports_every_problem_at_once(
    client: AsyncClient, db: AsyncSession
) -> None:
    headers = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    version_id = await _version_id(db, "parent_engagement")
    document = (
        await client.get(f"/templates/v1/versions/{version_id}/export", headers=headers)
    ).json()
    broken = copy.deepcopy(document)
    broken["key"] = "shared_school_card"
    broken["indicators"][0]["answer"] = {"type": "count", "max": "lots"}  # structural
    broken["indicators"][2]["label"] = {"mn": "Төсөв"}  # structural: no English
    structural = await client.post("/templates/v1/import", json=broken, headers=headers)
    assert structural.status_code == 400
    fields = [e["field"] for e in structural.json()["errors"]]
    assert "indicators[0].answer.max" in fields
    assert "indicators[2].label" in fields

    semantic = copy.deepcopy(document)
    semantic["key"] = "shared_school_card"
    semantic["facility_types"] = ["school", "spaceport"]
    semantic["indicators"][1]["answer"] = {"type": "scale", "min": 5, "max": 1}
    semantic["indicators"][3]["section"] = "nowhere"
    semantic["indicators"][4]["key"] = semantic["indicators"][5]["key"]
    response = await client.post("/templates/v1/import", json=semantic, headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "template.invalid"
    fields = {e["field"] for e in response.json()["errors"]}
    assert {
        "facility_types[1]",
        "indicators[1].answer.max",
        "indicators[3].section",
        "indicators",
    } <= fields
    assert await db.scalar(select(Template).where(Template.key == "shared_school_card")) is None


async def test_coordinator_updates_a_reference_price(client: AsyncClient, db: AsyncSession) -> None:
    headers = await headers_for(client, db, Role.COORDINATOR, areas=["MN-046"])
    response = await client.patch(
        "/templates/v1/medicines/insulin", json={"reference_price_mnt": 31000}, headers=headers
    )
    assert response.status_code == 200
    listed = await client.get("/templates/v1/medicines", headers=headers)
    prices = {m["key"]: m["reference_price_mnt"] for m in listed.json()}
    assert prices["insulin"] == 31000
    zero = await client.patch(
        "/templates/v1/medicines/insulin", json={"reference_price_mnt": 0}, headers=headers
    )
    assert zero.status_code == 400
    assert zero.json()["field"] == "reference_price_mnt"
