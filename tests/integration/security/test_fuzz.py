"""Every operation of the OpenAPI document, fuzzed by schemathesis over real HTTP, signed in as
the demo administrator on a tablet: no 5xx, and every answer fits the documented schema and
content type.

Operations that end the fuzzer's own session (sign-out, revoking a device, deactivating an
account, resetting a password: schemathesis finds the ids in earlier answers) run last, in a
second pass of their own. A bounded number of examples per operation keeps this in CI;
SCORECARD_FUZZ_EXAMPLES raises it.
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend.simulate.server import serving
from tests.support import databases

EXAMPLES = os.environ.get("SCORECARD_FUZZ_EXAMPLES", "8")
CHECKS = "not_a_server_error,response_schema_conformance,content_type_conformance"
SESSION_ENDING = (
    "^/auth/v1/logout$|^/auth/v1/devices/[^/]+/revoke$|^/admin/v1/users/[^/]+(/password)?$"
)


@pytest.fixture(scope="module")
def fuzzed_server(
    server_url: str, template_database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    name = databases.new_name("scorecard_fuzz")
    url = databases.create_database(server_url, name, template=template_database)
    try:
        with serving(url, Path(tmp_path_factory.mktemp("fuzz"))) as served:
            yield served.base_url
    finally:
        databases.drop_database(server_url, name)


def _token(base: str) -> str:
    device = {"id": str(uuid.uuid4()), "name": "Fuzz", "platform": "android", "app_version": "1"}
    session = httpx.post(
        f"{base}/auth/v1/login",
        json={"username": "demo_admin", "password": "demo-password", "device": device},
        timeout=30,
    )
    session.raise_for_status()
    return session.json()["access_token"]


def _fuzz(base: str, *selection: str) -> subprocess.CompletedProcess[str]:
    command = [
        "st",
        "run",
        f"{base}/schema/openapi.json",
        "--header",
        f"Authorization: Bearer {_token(base)}",
        "--checks",
        CHECKS,
        "--max-examples",
        EXAMPLES,
        "--phases",
        "examples,coverage,fuzzing",
        "--generation-deterministic",
        "--workers",  # one: the same cases in the same order every run
        "1",
        *selection,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
    print(result.stdout[-3000:])  # the summary, shown by pytest when the test fails
    return result


@pytest.mark.slow
def test_no_operation_answers_5xx_or_off_schema(fuzzed_server: str) -> None:
    main = _fuzz(fuzzed_server, "--exclude-path-regex", SESSION_ENDING)
    assert main.returncode == 0, main.stdout[-3000:]
    assert "Authentication failed" not in main.stdout, "the fuzzer lost its session"
    ending = _fuzz(fuzzed_server, "--include-path-regex", SESSION_ENDING)
    assert ending.returncode == 0, ending.stdout[-3000:]
