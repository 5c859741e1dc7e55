"""Records mention attachments by hash: before they arrive, across scope, and after a cut."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from backend.attachments import refs
from backend.attachments.storage import FolderStore
from backend.auth.models import Role
from backend.database.session import Database
from backend.settings import Settings
from tests.support.field import Tablet, programme
from tests.support.photos import camera_photo, sha
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio


def with_evidence(answers: dict, key: str, *hashes: str) -> dict:
    return answers | {key: answers[key] | {"evidence": list(hashes)}}


async def test_a_record_may_arrive_before_its_photo(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    photo = camera_photo()
    data = submission(field)
    data["answers"] = with_evidence(data["answers"], "toilets_and_water", sha(photo))

    pushed = await tablet.push(tablet.mutation("submission", "create", uuid.uuid4(), data))
    missing_before = await committed_client.get(
        "/sync/v1/attachments/missing", headers=tablet.headers
    )
    uploaded = await committed_client.put(
        f"/sync/v1/attachments/{sha(photo)}", content=photo, headers=tablet.headers
    )
    missing_after = await committed_client.get(
        "/sync/v1/attachments/missing", headers=tablet.headers
    )
    changes = await tablet.pull_all()

    assert pushed["results"][0]["status"] == "applied"
    assert pushed["results"][0]["missing_attachments"] == [sha(photo)]
    assert missing_before.json() == {"missing": [sha(photo)]}
    assert uploaded.status_code == 201
    assert missing_after.json() == {"missing": []}
    mine = [c for c in changes if c["entity"] == "submission"]
    assert mine[0]["attachments"] == [sha(photo)]


async def test_a_download_follows_the_scope_of_the_records_that_mention_it(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)  # a school in Uvs
    author = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    colleague = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    elsewhere = await Tablet(
        committed_client, await field.user(Role.FACILITATOR, areas=["MN-1-SK"])
    ).sign_in()
    photo = camera_photo((20, 200, 90))
    data = submission(field)
    data["answers"] = with_evidence(data["answers"], "budget_published", sha(photo))
    await author.push(author.mutation("submission", "create", uuid.uuid4(), data))
    await committed_client.put(
        f"/sync/v1/attachments/{sha(photo)}", content=photo, headers=author.headers
    )
    stray = camera_photo((1, 2, 3))  # uploaded by someone, mentioned by nothing
    await committed_client.put(
        f"/sync/v1/attachments/{sha(stray)}", content=stray, headers=elsewhere.headers
    )

    def get(tablet: Tablet, digest: str, part: str = ""):  # type: ignore[no-untyped-def]
        return committed_client.get(f"/sync/v1/attachments/{digest}{part}", headers=tablet.headers)

    assert (await get(colleague, sha(photo))).status_code == 200
    assert (await get(colleague, sha(photo), "/thumbnail")).status_code == 200
    out_of_scope = await get(elsewhere, sha(photo))
    assert out_of_scope.status_code == 404
    assert out_of_scope.json()["code"] == "not_found"
    assert (await get(elsewhere, sha(stray))).status_code == 200  # their own upload
    assert (await get(colleague, sha(stray))).status_code == 404


async def test_an_upload_cut_half_way_resumes_where_it_stopped(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    photo = camera_photo((90, 90, 200))
    name, total, half = sha(photo), len(photo), len(photo) // 2
    url = f"/sync/v1/attachments/{name}"

    def piece(start: int, end: int) -> dict[str, str]:
        return tablet.headers | {"content-range": f"bytes {start}-{end - 1}/{total}"}

    first = await committed_client.put(url, content=photo[:half], headers=piece(0, half))
    # the link drops during the second piece; later the tablet asks where to resume
    progress = await committed_client.get(f"{url}/upload", headers=tablet.headers)
    wrong_place = await committed_client.put(
        url, content=photo[half + 10 :], headers=piece(half + 10, total)
    )
    rest = await committed_client.put(url, content=photo[half:], headers=piece(half, total))

    assert first.status_code == 202
    assert first.headers["upload-offset"] == str(half)
    assert progress.json() == {
        "sha256": name,
        "stored": False,
        "received": half,
        "size": total,
        "media_type": None,
    }
    assert wrong_place.status_code == 409
    assert wrong_place.json()["code"] == "attachment.offset_mismatch"
    assert wrong_place.headers["upload-offset"] == str(half)
    assert rest.status_code == 201
    assert (await committed_client.get(url, headers=tablet.headers)).status_code == 200


async def test_a_corrupt_resumed_upload_leaves_nothing_behind(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    photo = camera_photo((10, 10, 10))
    name, total, half = sha(photo), len(photo), len(photo) // 2
    url = f"/sync/v1/attachments/{name}"
    damaged = photo[half:-1] + b"\x00"
    await committed_client.put(
        url,
        content=photo[:half],
        headers=tablet.headers | {"content-range": f"bytes 0-{half - 1}/{total}"},
    )
    last = await committed_client.put(
        url,
        content=damaged,
        headers=tablet.headers | {"content-range": f"bytes {half}-{total - 1}/{total}"},
    )
    progress = await committed_client.get(f"{url}/upload", headers=tablet.headers)

    assert last.status_code == 422
    assert progress.json()["received"] == 0
    async with committed_database.engine.connect() as conn:
        assert await conn.scalar(text("SELECT count(*) FROM attachment_part")) == 0
        assert await conn.scalar(text("SELECT count(*) FROM attachment")) == 0


async def test_prune_removes_what_nothing_has_mentioned_for_the_set_days(
    committed_client: AsyncClient, committed_database: Database, settings: Settings
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    kept, dropped, recent = (
        camera_photo((1, 1, 1)),
        camera_photo((2, 2, 2)),
        camera_photo((3, 3, 3)),
    )
    data = submission(field)
    data["answers"] = with_evidence(data["answers"], "inclusion", sha(kept))
    await tablet.push(tablet.mutation("submission", "create", uuid.uuid4(), data))
    for photo in (kept, dropped, recent):
        await committed_client.put(
            f"/sync/v1/attachments/{sha(photo)}", content=photo, headers=tablet.headers
        )
    started = camera_photo((4, 4, 4))  # an upload begun and never finished
    await committed_client.put(
        f"/sync/v1/attachments/{sha(started)}",
        content=started[:100],
        headers=tablet.headers | {"content-range": f"bytes 0-99/{len(started)}"},
    )
    async with committed_database.engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE attachment SET last_referenced_at = now() - interval '40 days' "
                "WHERE sha256 <> :recent"
            ),
            {"recent": sha(recent)},
        )
        await conn.execute(
            text("UPDATE attachment_part SET created_at = now() - interval '40 days'")
        )
    store = FolderStore(settings.data_dir / "attachments")

    async with committed_database.sessionmaker() as db, db.begin():
        removed, abandoned = await refs.prune(db, store, days=30)

    assert (removed, abandoned) == (1, 1)
    assert await store.get(sha(dropped)) is None
    assert await store.get(sha(kept)) is not None
    assert await store.get(sha(recent)) is not None
