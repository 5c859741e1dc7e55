"""A facility head who suspects that parents photographed the informal-payments notice tries to
find out by uploading the photo it fears exists: bytes the server already keeps were answered
from the stored copy in a tenth of the time new bytes took. Tried as that provider: the upload
of a file someone else sent is answered exactly as a new one, and the server does the same
work for both (cleaning, writing the cleaned copy and its thumbnail)."""

from __future__ import annotations

import io
import uuid
from collections import Counter
from typing import Any

import httpx
import pytest
from httpx import AsyncClient
from litestar import Litestar
from PIL import ExifTags, Image

from backend.attachments import media
from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Tablet, programme
from tests.support.photos import sha
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio
# headers that differ between any two answers: the request's own id, its time and duration
PER_REQUEST = {"x-request-id", "date", "server-timing"}


def notice_photo(colour: tuple[int, int, int]) -> bytes:
    """A photo from a tablet camera, with its GPS position; every colour gives the same
    number of bytes (PNG without compression), so two uploads differ only in their name."""
    image = Image.new("RGB", (320, 240), colour)
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SM-T295"
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=0, exif=exif)
    return out.getvalue()


def seen(response: httpx.Response) -> tuple[int, dict[str, Any], dict[str, str]]:
    """What the uploader learns, but the file's own name and the request's own headers."""
    body = response.json()
    body.pop("sha256")
    headers = {k: v for k, v in response.headers.items() if k.lower() not in PER_REQUEST}
    return response.status_code, body, headers


async def test_an_upload_of_a_file_someone_else_sent_is_answered_and_worked_like_a_new_one(
    committed_app: Litestar,
    committed_client: AsyncClient,
    committed_database: Database,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    field = await programme(committed_database)
    parents = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    feared, other = notice_photo((200, 30, 30)), notice_photo((30, 200, 30))
    assert len(feared) == len(other)
    data = submission(field)
    data["answers"]["informal_contributions"] |= {"evidence": [sha(feared)]}
    pushed = await parents.push(parents.mutation("submission", "create", uuid.uuid4(), data))
    assert pushed["results"][0]["status"] == "applied", pushed
    kept = await committed_client.put(
        f"/sync/v1/attachments/{sha(feared)}", content=feared, headers=parents.headers
    )
    assert kept.status_code == 201, kept.text

    work: Counter[tuple[str, str]] = Counter()
    clean, store = media.clean, committed_app.state.attachments
    put = store.put

    def cleaning(raw: bytes) -> media.Cleaned:
        work[(sha(raw), "cleaned")] += 1
        return clean(raw)

    async def writing(key: str, data: bytes, media_type: str) -> None:
        work[(key[:64], "written")] += 1
        await put(key, data, media_type)

    monkeypatch.setattr(media, "clean", cleaning)
    monkeypatch.setattr(store, "put", writing)
    head = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    existing = await committed_client.put(
        f"/sync/v1/attachments/{sha(feared)}", content=feared, headers=head.headers
    )
    new = await committed_client.put(
        f"/sync/v1/attachments/{sha(other)}", content=other, headers=head.headers
    )

    assert existing.status_code == 201, existing.text
    assert seen(existing) == seen(new)
    # the same work for both: each cleaned once, its cleaned copy and thumbnail written
    assert work == {
        (sha(feared), "cleaned"): 1,
        (sha(feared), "written"): 2,
        (sha(other), "cleaned"): 1,
        (sha(other), "written"): 2,
    }
    # and the stored copy is still the one cleaned of the camera and the position
    download = await committed_client.get(
        f"/sync/v1/attachments/{sha(feared)}", headers=parents.headers
    )
    assert download.status_code == 200
    with Image.open(io.BytesIO(download.content)) as image:
        assert dict(image.getexif()) == {}
