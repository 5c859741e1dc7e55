"""The machine-readable half of mobile_contract/: the OpenAPI document and a JSON Schema for
every wire type, generated from the app and its msgspec types (`scorecard contract`)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
from litestar import Litestar

from backend.wire import Wire

FOLDER = Path(__file__).resolve().parents[1] / "mobile_contract"
JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"


def _dump(document: Any) -> str:
    plain = msgspec.to_builtins(document)  # dates in examples, enums
    return json.dumps(plain, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _wire_types(cls: type = Wire) -> Iterator[type[Wire]]:
    sub: type[Wire]
    for sub in cls.__subclasses__():
        yield sub
        yield from _wire_types(sub)


def documents(app: Litestar) -> dict[str, str]:
    """Relative path under mobile_contract/ → file text, for everything generated."""
    out = {"openapi.json": _dump(app.openapi_schema.to_schema())}
    for wire_type in _wire_types():
        # backend.sync.schemas.PushIn → schemas/sync/PushIn.json; a module may name its area
        # itself (CONTRACT_AREA), so that a type keeps its published path when it moves
        module = sys.modules[wire_type.__module__]
        area = getattr(module, "CONTRACT_AREA", None) or wire_type.__module__.split(".")[1]
        schema = msgspec.json.schema(wire_type)
        schema = {"$schema": JSON_SCHEMA, "title": wire_type.__name__, **schema}
        out[f"schemas/{area}/{wire_type.__name__}.json"] = _dump(schema)
    return out


def stale(app: Litestar, folder: Path = FOLDER) -> list[str]:
    """Generated files that are missing, differ, or are left over from removed types."""
    wanted = documents(app)
    problems = [
        name
        for name, text in wanted.items()
        if not (folder / name).is_file() or (folder / name).read_text(encoding="utf-8") != text
    ]
    on_disk = {str(p.relative_to(folder)) for p in (folder / "schemas").rglob("*.json")}
    return problems + sorted(on_disk - set(wanted))


def write(app: Litestar, folder: Path = FOLDER) -> int:
    wanted = documents(app)
    schemas = folder / "schemas"
    if schemas.is_dir():
        for old in schemas.rglob("*.json"):
            if str(old.relative_to(folder)) not in wanted:
                old.unlink()
    for name, text in wanted.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return len(wanted)
