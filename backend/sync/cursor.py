"""The pull cursor: opaque to tablets, a position in the change feed to the server."""

from __future__ import annotations

import base64
import binascii
import uuid

import msgspec


class Cursor(msgspec.Struct, array_like=True, forbid_unknown_fields=True):
    """Where a device is: the feed's epoch, the last (xid, id) delivered, the scope it was for.

    While the scope changes, `delta` walks the feed up to the position once more to hand out
    what left the old scope (as removals) and what came into the new one; `old_scope` is the
    scope the device had before.
    """

    epoch: uuid.UUID
    xid: int
    id: int
    scope: str
    delta: tuple[int, int] | None = None
    old_scope: str | None = None


class UnreadableCursor(ValueError):
    """Not a cursor this server issued."""


def encode(cursor: Cursor) -> str:
    return base64.urlsafe_b64encode(msgspec.msgpack.encode(cursor)).decode().rstrip("=")


def decode(text: str) -> Cursor:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return msgspec.msgpack.decode(raw, type=Cursor)
    except (binascii.Error, ValueError, msgspec.DecodeError) as exc:
        raise UnreadableCursor(str(exc)) from exc


def peek_scope(text: str) -> str | None:
    """The scope a cursor was issued for, or None when it is not readable."""
    try:
        return decode(text).scope
    except UnreadableCursor:
        return None
