"""Every example under mobile_contract/examples/v1 is replayed against the app on the demo
programme and must get the status, code and body it documents (see the README there)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from backend.app import create_app
from backend.contract import FOLDER
from backend.database.session import open_database
from backend.seed import demo
from backend.settings import Settings
from tests.support import databases
from tests.support.http import serve

pytestmark = pytest.mark.asyncio

EXAMPLES = {
    str(path.relative_to(FOLDER)): json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((FOLDER / "examples" / "v1").rglob("*.json"))
}
PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


@pytest.fixture(scope="module")
def demo_template(server_url: str, template_database: str) -> Iterator[str]:
    name = databases.new_name("scorecard_demo")
    url = databases.create_database(server_url, name, template=template_database)

    async def load() -> None:
        database = open_database(url)
        try:
            async with database.sessionmaker() as db, db.begin():
                await demo.seed(db, password="demo-password")
        finally:
            await database.dispose()

    asyncio.run(load())
    yield name
    databases.drop_database(server_url, name)


@pytest.fixture
def example_database_url(server_url: str, demo_template: str) -> Iterator[str]:
    """Each example starts from the demo programme as `scorecard serve` first loads it."""
    name = databases.new_name("scorecard_example")
    yield databases.create_database(server_url, name, template=demo_template)
    databases.drop_database(server_url, name)


def is_within(expected: Any, actual: Any, at: str = "body") -> list[str]:
    """Where `actual` does not show what `expected` documents (objects may hold more keys)."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{at}: expected an object"]
        return [
            problem
            for key, value in expected.items()
            for problem in (
                is_within(value, actual[key], f"{at}.{key}")
                if key in actual
                else [f"{at}.{key}: missing"]
            )
        ]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{at}: expected a list of {len(expected)}"]
        return [p for i, v in enumerate(expected) for p in is_within(v, actual[i], f"{at}[{i}]")]
    return [] if expected == actual else [f"{at}: expected {expected!r}, got {actual!r}"]


class Replay:
    def __init__(self, client: httpx.AsyncClient, example: dict[str, Any]) -> None:
        self.client = client
        self.example = example
        self.sessions: dict[tuple[str, str | None], dict[str, Any]] = {}
        self.values: dict[str, Any] = {}

    async def session(self, username: str, device_id: str | None) -> dict[str, Any]:
        if (username, device_id) not in self.sessions:
            body: dict[str, Any] = {"username": username, "password": "demo-password"}
            if device_id:
                body["device"] = {
                    "id": device_id,
                    "name": "Example",
                    "platform": "android",
                    "app_version": "1.4.0",
                }
            response = await self.client.post("/auth/v1/login", json=body)
            assert response.status_code == 200, response.text
            self.sessions[(username, device_id)] = response.json()
        return self.sessions[(username, device_id)]

    def fill(self, value: Any) -> Any:
        if isinstance(value, str):
            return PLACEHOLDER.sub(lambda m: str(self.values[m.group(1)]), value)
        if isinstance(value, dict):
            return {k: self.fill(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill(v) for v in value]
        return value

    async def send(self, step: dict[str, Any]) -> httpx.Response:
        username = step.get("as", self.example.get("as"))
        device_id = step.get("device_id", self.example.get("device_id"))
        headers = {}
        if username:
            session = await self.session(username, device_id)
            headers["Authorization"] = f"Bearer {session['access_token']}"
            self.values["refresh_token"] = session["refresh_token"]
        return await self.client.request(
            step["method"],
            self.fill(step["path"]),
            json=self.fill(step["body"]) if "body" in step else None,
            headers=headers,
        )

    def capture(self, step: dict[str, Any], response: httpx.Response) -> None:
        for name, path in step.get("capture", {}).items():
            value = response.json()
            for part in path.split("/"):
                value = value[int(part)] if isinstance(value, list) else value[part]
            self.values[name] = value


@pytest.mark.parametrize("example", EXAMPLES.values(), ids=EXAMPLES.keys())
async def test_example_replays_as_documented(
    example: dict[str, Any], example_database_url: str, settings_for_apps: Settings
) -> None:
    database = open_database(example_database_url)
    try:
        async with serve(create_app(settings_for_apps, database=database)) as client:
            replay = Replay(client, example)
            for step in example.get("given", []):
                response = await replay.send(step)
                assert response.status_code < 300, (step, response.text)
                replay.capture(step, response)
            response = await replay.send(example["request"])
    finally:
        await database.dispose()

    expected = example["response"]
    assert response.status_code == expected["status"], response.text
    if "code" in expected:
        problem = response.json()
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["code"] == expected["code"], problem
        assert problem.get("field") == expected.get("field", problem.get("field")), problem
    if "body" in expected:
        assert is_within(expected["body"], response.json()) == []
