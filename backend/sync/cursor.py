"""The pull cursor: opaque to tablets, a signed position in the change feed to the server.

A cursor is the position packed with msgpack, followed by an HMAC-SHA256 tag over the user id,
the device id and the packed position (which holds the feed's epoch and the scope hash). The
server reads back only what it signed for the same user on the same device; anything else,
edited, copied from another tablet or signed with an earlier key, is answered with a reset.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from typing import Annotated

import msgspec

from backend.auth.keys import load_keys
from backend.settings import Settings

TAG_BYTES = 16
MAX_TEXT = 512  # far above any cursor the server writes
# HKDF (RFC 5869) salt and info: this key signs cursors and nothing else
KEY_SALT = b"scorecard:sync"
KEY_INFO = b"pull cursor v1"

Position = Annotated[int, msgspec.Meta(ge=0, le=(1 << 63) - 1)]


class Cursor(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """Where a device is: the feed's epoch, the last (xid, id) delivered, the scope it was for.

    While the scope changes, `delta` walks the feed up to the position once more to hand out
    what left the old scope (as removals) and what came into the new one; `old_scope` is the
    scope the device had before.
    """

    epoch: uuid.UUID
    xid: Position
    id: Position
    scope: str
    delta: tuple[Position, Position] | None = None
    old_scope: str | None = None


class UnreadableCursor(ValueError):
    """Not a cursor this server issued to this user's device."""


_encoder = msgspec.msgpack.Encoder(uuid_format="bytes")
_decoder = msgspec.msgpack.Decoder(Cursor)


@functools.lru_cache(maxsize=8)
def key_for(settings: Settings) -> bytes:
    """The cursor key, derived from the JWT signing key: a new signing key resets cursors."""
    material = load_keys(settings).signing_pem.strip().encode()
    extracted = hmac.new(KEY_SALT, material, hashlib.sha256).digest()
    return hmac.new(extracted, KEY_INFO + b"\x01", hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class Signer:
    """Writes cursors for one user's device and reads back only those."""

    key: bytes
    user_id: uuid.UUID
    device_id: uuid.UUID

    def _tag(self, packed: bytes) -> bytes:
        message = self.user_id.bytes + self.device_id.bytes + packed
        return hmac.new(self.key, message, hashlib.sha256).digest()[:TAG_BYTES]

    def encode(self, cursor: Cursor) -> str:
        packed = _encoder.encode(cursor)
        return base64.urlsafe_b64encode(packed + self._tag(packed)).decode().rstrip("=")

    def decode(self, text: str) -> Cursor:
        if len(text) > MAX_TEXT:
            raise UnreadableCursor("too long")
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError) as exc:
            raise UnreadableCursor(str(exc)) from exc
        packed, tag = raw[:-TAG_BYTES], raw[-TAG_BYTES:]
        if len(raw) <= TAG_BYTES or not hmac.compare_digest(tag, self._tag(packed)):
            raise UnreadableCursor("not signed by this server for this device")
        try:
            return _decoder.decode(packed)
        except msgspec.DecodeError as exc:
            raise UnreadableCursor(str(exc)) from exc
