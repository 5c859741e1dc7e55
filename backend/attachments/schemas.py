"""Wire types of attachments (mobile_contract/SYNC.md, "Attachments")."""

from __future__ import annotations

from typing import Annotated

import msgspec

from backend.wire import Wire

Sha256 = Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
Evidence = Annotated[list[Sha256], msgspec.Meta(max_length=10)]


class UploadOut(Wire):
    """Where this device's upload stands: stored, or how many bytes of how many have arrived."""

    sha256: str
    stored: bool
    received: int
    size: int | None = None
    media_type: str | None = None


class CheckIn(Wire):
    hashes: Annotated[list[Sha256], msgspec.Meta(max_length=1000)]


class CheckOut(Wire):
    """Of the hashes asked about, which this device has sent and which it still has to send."""

    stored: list[str]
    missing: list[str]


class MissingOut(Wire):
    """Files that records pushed from this device mention and this device has not sent yet."""

    missing: list[str]
