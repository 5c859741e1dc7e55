"""Attachments in an S3-compatible bucket, the production setting, against moto's S3 server."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import boto3
import pytest
from moto.server import ThreadedMotoServer

from backend.app import create_app
from backend.attachments.storage import BucketStore, open_store
from backend.auth.models import Role
from backend.database.session import Database
from backend.settings import Settings, SettingsError
from backend.simulate.server import free_port
from tests.support.field import Tablet, programme
from tests.support.http import serve
from tests.support.photos import camera_photo, gps_of, sha


@pytest.fixture(scope="module")
def bucket(monkeypatch_module: pytest.MonkeyPatch) -> Iterator[str]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "scorecard",
        "AWS_SECRET_ACCESS_KEY": "scorecard-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch_module.setenv(name, value)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="evidence")
    yield endpoint
    server.stop()


@pytest.fixture(scope="module")
def monkeypatch_module() -> Iterator[pytest.MonkeyPatch]:
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.mark.asyncio
async def test_an_upload_lands_in_the_bucket_cleaned_and_comes_back(
    bucket: str, settings: Settings, committed_database: Database
) -> None:
    in_bucket = dataclasses.replace(
        settings, attachment_store="s3", s3_bucket="evidence", s3_endpoint_url=bucket
    )
    assert isinstance(open_store(in_bucket), BucketStore)
    photo = camera_photo((70, 140, 210))
    async with serve(create_app(in_bucket, database=committed_database)) as client:
        field = await programme(committed_database)
        tablet = await Tablet(client, await field.user(Role.MONITOR)).sign_in()
        stored = await client.put(
            f"/sync/v1/attachments/{sha(photo)}", content=photo, headers=tablet.headers
        )
        downloaded = await client.get(f"/sync/v1/attachments/{sha(photo)}", headers=tablet.headers)

    listed = boto3.client("s3", endpoint_url=bucket).list_objects_v2(Bucket="evidence")
    keys = {item["Key"] for item in listed.get("Contents", [])}
    assert stored.status_code == 201
    assert keys >= {f"attachments/{sha(photo)}", f"attachments/{sha(photo)}.thumb.jpg"}
    assert downloaded.status_code == 200
    assert gps_of(downloaded.content) == {}


@pytest.mark.asyncio
async def test_the_bucket_store_forgets_what_it_deletes(bucket: str) -> None:
    store = BucketStore("evidence", bucket)
    await store.put("a" * 64, b"evidence", "application/pdf")
    assert await store.get("a" * 64) == b"evidence"
    await store.delete("a" * 64)
    assert await store.get("a" * 64) is None


def test_a_bucket_store_needs_a_bucket() -> None:
    with pytest.raises(SettingsError, match="SCORECARD_S3_BUCKET"):
        Settings.from_env({"SCORECARD_ATTACHMENT_STORE": "s3"})
