"""Three-way merge of one record, field by field. Pure: no database, no clocks.

A device sends the fields it changed and, for each, the value it started from (its base). A
field only one side changed takes that side's value. A field both sides changed follows the
field's policy: counts add both sides' differences, sets apply both sides' additions and
removals, a lifecycle status only moves forward, anything else (text, scores, dates) keeps
the server's value and opens a conflict for a person to settle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class Policy(Enum):
    CONFLICT = "conflict"
    COUNTS = "counts"  # a mapping of counts: {"female": 12, "male": 9}
    SET = "set"  # a list used as a set: priorities, indicator keys
    LIFECYCLE = "lifecycle"  # a status that only moves forward
    PER_KEY = "per_key"  # a mapping merged key by key, each key a conflict field


@dataclass(frozen=True, slots=True)
class FieldConflict:
    field: str
    base: Any
    server: Any
    device: Any


@dataclass(slots=True)
class MergeResult:
    values: dict[str, Any] = field(default_factory=dict)  # fields to write, with their values
    conflicts: list[FieldConflict] = field(default_factory=list)
    merged: bool = False  # something both sides touched was combined without a conflict


def _counts(base: Any, server: Any, device: Any) -> dict[str, int]:
    base, server, device = base or {}, server or {}, device or {}
    keys = dict.fromkeys([*server, *device])
    return {
        key: max(0, int(server.get(key, 0)) + int(device.get(key, 0)) - int(base.get(key, 0)))
        for key in keys
    }


def _set(base: Any, server: Any, device: Any) -> list[Any]:
    base, server, device = list(base or []), list(server or []), list(device or [])
    added = [item for item in device if item not in base]
    removed = {item for item in base if item not in device}
    merged = [item for item in server if item not in removed]
    return merged + [item for item in added if item not in merged]


def merge_record(
    *,
    server: Mapping[str, Any],
    base: Mapping[str, Any],
    changes: Mapping[str, Any],
    policies: Mapping[str, Policy],
    lifecycle_rank: Mapping[str, Mapping[str, int]] | None = None,
) -> MergeResult:
    """Merge `changes` (device's new values) made from `base` into the `server` record."""
    result = MergeResult()
    for name, device_value in changes.items():
        policy = policies.get(name, Policy.CONFLICT)
        base_value, server_value = base.get(name), server.get(name)
        if policy is Policy.PER_KEY:
            _merge_per_key(name, base_value or {}, server_value or {}, device_value or {}, result)
            continue
        if device_value == base_value:
            continue  # only the server changed it, if anyone
        if server_value == base_value:
            result.values[name] = device_value  # only the device changed it
            continue
        if policy is Policy.COUNTS:
            # each side counted people of its own: two +1s from one base are two people
            result.values[name] = _counts(base_value, server_value, device_value)
            result.merged = True
            continue
        if device_value == server_value:
            continue  # both sides made the same change
        if policy is Policy.SET:
            result.values[name] = _set(base_value, server_value, device_value)
            result.merged = True
        elif policy is Policy.LIFECYCLE:
            rank = (lifecycle_rank or {}).get(name, {})
            device_rank = rank.get(str(device_value), -1)
            server_rank = rank.get(str(server_value), -1)
            if device_rank > server_rank:
                result.values[name] = device_value
                result.merged = True
            elif device_rank == server_rank:
                result.conflicts.append(FieldConflict(name, base_value, server_value, device_value))
            else:
                result.merged = True  # a status never moves back: the server's later one stands
        else:
            result.conflicts.append(FieldConflict(name, base_value, server_value, device_value))
    return result


def _merge_per_key(
    name: str,
    base: Mapping[str, Any],
    server: Mapping[str, Any],
    device: Mapping[str, Any],
    result: MergeResult,
) -> None:
    merged = dict(server)
    changed = False
    for key, device_value in device.items():
        base_value, server_value = base.get(key), server.get(key)
        if device_value in (server_value, base_value):
            continue
        if server_value == base_value:
            merged[key] = device_value
            changed = True
        else:
            result.conflicts.append(
                FieldConflict(f"{name}.{key}", base_value, server_value, device_value)
            )
    if changed:
        result.values[name] = merged
