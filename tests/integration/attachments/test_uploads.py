"""Uploading evidence: checked by hash, type and size; stored once; cleaned of location."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Tablet, programme
from tests.support.photos import camera_of, camera_photo, gps_of, sha

pytestmark = pytest.mark.asyncio


async def signed_in_tablet(client: AsyncClient, database: Database) -> Tablet:
    field = await programme(database)
    return await Tablet(client, await field.user(Role.MONITOR)).sign_in()


async def put(tablet: Tablet, name: str, body: bytes, **headers: str):  # type: ignore[no-untyped-def]
    return await tablet.client.put(
        f"/sync/v1/attachments/{name}", content=body, headers=tablet.headers | headers
    )


async def test_a_photo_is_stored_once_without_its_location_or_camera(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    tablet = await signed_in_tablet(committed_client, committed_database)
    photo = camera_photo()
    assert gps_of(photo), "the test photo must carry a GPS position to begin with"

    first = await put(tablet, sha(photo), photo, **{"content-type": "image/jpeg"})
    again = await put(tablet, sha(photo), photo)
    downloaded = await tablet.client.get(
        f"/sync/v1/attachments/{sha(photo)}", headers=tablet.headers
    )
    thumbnail = await tablet.client.get(
        f"/sync/v1/attachments/{sha(photo)}/thumbnail", headers=tablet.headers
    )

    assert first.status_code == 201, first.text
    assert first.json() == {
        "sha256": sha(photo),
        "stored": True,
        "received": len(photo),
        "size": len(photo),
        "media_type": "image/jpeg",
    }
    assert again.status_code == 200
    assert again.json()["stored"] is True
    assert downloaded.status_code == 200
    assert downloaded.headers["content-type"] == "image/jpeg"
    assert gps_of(downloaded.content) == {}
    assert camera_of(downloaded.content) is None
    assert thumbnail.status_code == 200
    assert len(thumbnail.content) < len(downloaded.content)


async def test_a_png_loses_its_location_too(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    tablet = await signed_in_tablet(committed_client, committed_database)
    photo = camera_photo(kind="PNG")
    assert gps_of(photo)

    assert (await put(tablet, sha(photo), photo)).status_code == 201
    downloaded = await tablet.client.get(
        f"/sync/v1/attachments/{sha(photo)}", headers=tablet.headers
    )
    assert downloaded.headers["content-type"] == "image/png"
    assert gps_of(downloaded.content) == {}


async def test_bytes_that_do_not_match_their_name_are_refused_and_not_kept(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    tablet = await signed_in_tablet(committed_client, committed_database)
    photo = camera_photo()
    claimed = sha(photo + b"tampered")

    response = await put(tablet, claimed, photo)
    check = await tablet.client.post(
        "/sync/v1/attachments/check", json={"hashes": [claimed]}, headers=tablet.headers
    )

    assert response.status_code == 422
    assert response.json()["code"] == "attachment.hash_mismatch"
    assert check.json() == {"stored": [], "missing": [claimed]}


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg"),  # a Windows program named photo.jpg
        (b"GIF89a" + b"\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 40, "image/jpeg"),
        (b"<html><script>alert(1)</script></html>", "application/pdf"),
    ],
    ids=["program-as-jpeg", "gif-as-jpeg", "html-as-pdf"],
)
async def test_the_type_is_judged_by_content_not_by_name(
    committed_client: AsyncClient, committed_database: Database, content: bytes, content_type: str
) -> None:
    tablet = await signed_in_tablet(committed_client, committed_database)
    response = await tablet.client.put(
        f"/sync/v1/attachments/{sha(content)}",
        content=content,
        headers=tablet.headers | {"content-type": content_type},
        params={"filename": "photo.jpg"},
    )
    assert response.status_code == 415
    assert response.json()["code"] == "attachment.unsupported_type"


async def test_a_pdf_is_accepted_as_sent(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    tablet = await signed_in_tablet(committed_client, committed_database)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    response = await put(tablet, sha(pdf), pdf)
    downloaded = await tablet.client.get(f"/sync/v1/attachments/{sha(pdf)}", headers=tablet.headers)
    assert response.status_code == 201
    assert response.json()["media_type"] == "application/pdf"
    assert downloaded.content == pdf


async def test_a_file_over_the_size_limit_is_refused(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    tablet = await signed_in_tablet(committed_client, committed_database)
    piece = b"\xff\xd8\xff" + b"\x00" * 1021
    response = await put(
        tablet, sha(piece), piece, **{"content-range": f"bytes 0-1023/{64 * 1024 * 1024}"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "attachment.too_large"


async def test_a_bad_name_and_a_sign_in_without_device_are_refused(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    tablet = await signed_in_tablet(committed_client, committed_database)
    bad_name = await put(tablet, "photo.jpg", camera_photo())
    web = await committed_client.post(
        "/auth/v1/login", json={"username": tablet.user.username, "password": tablet.password}
    )
    no_device = await committed_client.put(
        f"/sync/v1/attachments/{uuid.uuid4().hex * 2}",
        content=b"x",
        headers={"Authorization": f"Bearer {web.json()['access_token']}"},
    )
    assert bad_name.status_code == 400
    assert bad_name.json()["code"] == "attachment.bad_hash"
    assert no_device.status_code == 403
    assert no_device.json()["code"] == "sync.device_required"
