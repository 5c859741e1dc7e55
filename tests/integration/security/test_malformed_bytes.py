"""Bytes no client would send, to every operation that takes a JSON body: each is a 400
problem+json with a code, never a 500, and nothing is stored."""

from __future__ import annotations

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import func, select

from backend.auth.models import Role
from backend.database.session import Database
from backend.submissions.models import Submission
from tests.support.field import Tablet, programme

pytestmark = pytest.mark.asyncio

MALFORMED = {
    "invalid UTF-8 in a string": b'{"protocol": 1, "device_id": "\xff\xfe", "mutations": []}',
    "invalid UTF-8 in a key": b'{"\xc3\x28": 1}',
    "nested ten thousand deep": b'{"protocol": 1, "x": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    "objects nested deep": b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
    "cut off half-way": b'{"protocol": 1, "mutations": [{"id": "',
    "not JSON at all": b"\x00\x01\x02\x03",
    "a lone surrogate": b'{"username": "\\ud800", "password": "x"}',
}


def _json_operations(schema: dict) -> list[tuple[str, str]]:
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method.upper(), path))
    return found


def _concrete(path: str) -> str:
    """A path template with every parameter filled in."""
    parts = []
    for part in path.split("/"):
        if part.startswith("{"):
            name = part.strip("{}").split(":")[0]
            part = "submission" if name == "entity" else str(uuid.uuid4())
        parts.append(part)
    return "/".join(parts)


async def test_malformed_json_is_400_everywhere_and_stores_nothing(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    admin = await Tablet(committed_client, await field.user(Role.ADMIN, areas=[])).sign_in()
    schema = (await committed_client.get("/schema/openapi.json")).json()
    operations = _json_operations(schema)
    assert ("POST", "/sync/v1/push") in operations
    assert ("POST", "/auth/v1/login") in operations
    for method, path in operations:
        for name, body in MALFORMED.items():
            answer = await committed_client.request(
                method,
                _concrete(path),
                content=body,
                headers=admin.headers | {"Content-Type": "application/json"},
            )
            assert answer.status_code < 500, (method, path, name, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
            assert answer.json()["code"], (method, path, name)
    async with committed_database.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(Submission)) == 0


async def test_a_push_of_invalid_utf8_is_a_400_malformed_request(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    for body in (MALFORMED["invalid UTF-8 in a string"], MALFORMED["nested ten thousand deep"]):
        answer = await committed_client.post(
            "/sync/v1/push",
            content=body,
            headers=tablet.headers | {"Content-Type": "application/json"},
        )
        assert answer.status_code == 400, answer.text
        assert answer.json()["code"] == "request.malformed"
