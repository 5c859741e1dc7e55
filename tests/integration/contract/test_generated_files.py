"""mobile_contract/openapi.json and schemas/ are what the code says today."""

from __future__ import annotations

import json
from pathlib import Path

from jsonschema import Draft202012Validator

from backend import contract
from backend.app import create_app
from backend.settings import Settings


def test_the_contract_files_are_up_to_date(settings: Settings) -> None:
    stale = contract.stale(create_app(settings))
    assert stale == [], f"out of date, run `uv run scorecard contract`: {stale}"


def test_a_changed_wire_type_makes_the_files_stale(settings: Settings, tmp_path: Path) -> None:
    app = create_app(settings)
    contract.write(app, tmp_path)
    schema = tmp_path / "schemas" / "sync" / "PushIn.json"
    schema.write_text(schema.read_text().replace('"mutations"', '"changes"'))
    (tmp_path / "schemas" / "sync" / "Removed.json").write_text("{}")

    assert contract.stale(app, tmp_path) == [
        "schemas/sync/PushIn.json",
        "schemas/sync/Removed.json",
    ]


SCHEMA_OF = {
    "/auth/v1/login": "auth/LoginIn",
    "/auth/v1/refresh": "auth/RefreshIn",
    "/sync/v1/push": "sync/PushIn",
    "/sync/v1/pull": "sync/PullIn",
    "/sync/v1/integrity": "sync/IntegrityIn",
}
RECORD_SCHEMA = {
    ("submission", "create"): "sync/SubmissionCreate",
    ("submission", "update"): "sync/SubmissionUpdate",
    ("interface_meeting", "create"): "sync/MeetingCreate",
    ("interface_meeting", "update"): "sync/MeetingUpdate",
    ("action_item", "create"): "sync/ActionItemCreate",
    ("action_item", "update"): "sync/ActionItemUpdate",
}


def _schema(name: str) -> Draft202012Validator:
    path = contract.FOLDER / "schemas" / f"{name}.json"
    return Draft202012Validator(json.loads(path.read_text(encoding="utf-8")))


def test_the_accepted_examples_fit_the_published_schemas() -> None:
    """The JSON Schemas a tablet team validates against agree with what the server accepts."""
    checked = 0
    for path in sorted((contract.FOLDER / "examples" / "v1").rglob("*.json")):
        example = json.loads(path.read_text(encoding="utf-8"))
        if example["response"]["status"] >= 300:
            continue
        for step in [*example.get("given", []), example["request"]]:
            name = SCHEMA_OF.get(step["path"])
            if name is None or "{{" in json.dumps(step["body"]):
                continue
            _schema(name).validate(step["body"])
            for mutation in step["body"].get("mutations", []):
                record = RECORD_SCHEMA.get((mutation["entity"], mutation["op"]))
                if record:
                    _schema(record).validate(mutation["data"])
            checked += 1
    assert checked >= 10


def test_a_schema_refuses_what_the_server_refuses() -> None:
    example = contract.FOLDER / "examples" / "v1" / "sync" / "push-malformed.json"
    body = json.loads(example.read_text(encoding="utf-8"))["request"]["body"]
    assert not _schema("sync/PushIn").is_valid(body)


def test_there_are_examples_for_every_sync_endpoint() -> None:
    examples = (contract.FOLDER / "examples" / "v1").rglob("*.json")
    paths = {json.loads(p.read_text(encoding="utf-8"))["request"]["path"] for p in examples}
    endpoints = {path.split("?")[0].split("/{{")[0] for path in paths}
    for endpoint in ("/sync/v1/push", "/sync/v1/pull", "/sync/v1/integrity", "/sync/v1/conflicts"):
        assert endpoint in endpoints
