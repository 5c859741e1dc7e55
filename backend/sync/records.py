"""The records tablets create, as the engine handles them: canonical data in and out of columns,
and the field types their wire shapes share.

`data` on the wire is always the canonical JSON form (msgspec builtins: ISO dates, string
UUIDs), so that comparing base, server and device values compares like with like.
"""

from __future__ import annotations

from typing import Annotated, Any

import msgspec

from backend.auth import writers
from backend.sync.entity import SyncedEntity
from backend.wire import Wire

ShortText = Annotated[str, msgspec.Meta(max_length=500)]
LongText = Annotated[str, msgspec.Meta(max_length=20_000)]
Count = Annotated[int, msgspec.Meta(ge=0, le=100_000)]
CountKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
IndicatorKey = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Keys = Annotated[list[IndicatorKey], msgspec.Meta(max_length=100)]
UNSET = msgspec.UNSET
Unset = msgspec.UnsetType

# everyone who syncs, viewers aside
SHARED_WRITERS = writers.FIELD_TEAM


class NoUpdate(Wire):
    """Append-only records take no updates."""


def canonical(value: Any) -> Any:
    """The JSON form of a value as the wire carries it (dates ISO, UUIDs as strings)."""
    return msgspec.to_builtins(value)


def record_data(kind: SyncedEntity, row: Any) -> dict[str, Any]:
    """A stored record (ORM object or row mapping) as its wire `data`."""
    get = row.__getitem__ if isinstance(row, dict) else row.__getattribute__
    return {name: canonical(get(name)) for name in kind.fields}


def typed_values(kind: SyncedEntity, values: dict[str, Any], *, create: bool) -> dict[str, Any]:
    """Canonical values back to Python values the columns take (dates, UUIDs)."""
    struct = msgspec.convert(values, kind.create if create else kind.update, strict=False)
    out = {}
    for name in values:
        value = getattr(struct, name, values[name])
        out[name] = msgspec.to_builtins(value) if isinstance(value, Wire) else value
    return out
