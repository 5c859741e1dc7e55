"""Where attachment files live: a folder under the data dir, or an S3-compatible bucket.

Both hold the cleaned file under its sha256 and a JPEG thumbnail beside it. boto3 is
synchronous, so the bucket is used from a worker thread.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Protocol

import anyio.to_thread

from backend.settings import Settings


def thumbnail_key(sha256: str) -> str:
    return f"{sha256}.thumb.jpg"


class Store(Protocol):
    async def put(self, key: str, data: bytes, media_type: str) -> None: ...
    async def get(self, key: str) -> bytes | None: ...
    async def delete(self, key: str) -> None: ...


class FolderStore:
    """Files under `root`, fanned out by the first characters of the key."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / key[2:4] / key

    async def put(self, key: str, data: bytes, media_type: str) -> None:
        await anyio.to_thread.run_sync(self._write, self._path(key), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        # written aside and renamed: a reader never sees half a file
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(data)
        os.replace(handle.name, path)

    async def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return await anyio.Path(path).read_bytes()
        except FileNotFoundError:
            return None

    async def delete(self, key: str) -> None:
        await anyio.Path(self._path(key)).unlink(missing_ok=True)


class BucketStore:
    """Objects in an S3-compatible bucket (AWS S3, MinIO, Ceph); credentials the usual AWS way."""

    def __init__(self, bucket: str, endpoint_url: str | None, prefix: str = "attachments/") -> None:
        import boto3

        self.bucket = bucket
        self.prefix = prefix
        self.client = boto3.client("s3", endpoint_url=endpoint_url)

    async def put(self, key: str, data: bytes, media_type: str) -> None:
        await anyio.to_thread.run_sync(
            lambda: self.client.put_object(
                Bucket=self.bucket, Key=self.prefix + key, Body=data, ContentType=media_type
            )
        )

    async def get(self, key: str) -> bytes | None:
        def read() -> bytes | None:
            try:
                answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
            except self.client.exceptions.NoSuchKey:
                return None
            body: bytes = answer["Body"].read()
            return body

        return await anyio.to_thread.run_sync(read)

    async def delete(self, key: str) -> None:
        await anyio.to_thread.run_sync(
            lambda: self.client.delete_object(Bucket=self.bucket, Key=self.prefix + key)
        )


def open_store(settings: Settings) -> Store:
    if settings.attachment_store == "s3":
        assert settings.s3_bucket is not None  # checked when the settings were read
        return BucketStore(settings.s3_bucket, settings.s3_endpoint_url)
    return FolderStore(settings.data_dir / "attachments")
