"""`scorecard serve` on a fresh data dir: embedded PostgreSQL, migrations, seed, and a restart."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(data_dir: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"SCORECARD_DATA_DIR": str(data_dir), "SCORECARD_PORT": str(port)}
    return subprocess.Popen(
        [sys.executable, "-m", "backend.cli", "serve", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def _wait_ready(process: subprocess.Popen[bytes], port: int, seconds: float = 60) -> httpx.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"serve exited with {process.returncode}:\n{output}")
        try:
            response = httpx.get(f"http://127.0.0.1:{port}/ready", timeout=2)
            if response.status_code == 200:
                return response
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail("serve did not become ready within a minute")


def _postmaster(pgdata: Path) -> int | None:
    """The pid of a PostgreSQL still running on this data dir, if there is one."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text().split()[0])
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    return pid


def _stop(process: subprocess.Popen[bytes]) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=30)
    return output.decode()


@pytest.mark.slow
def test_serve_starts_on_a_fresh_data_dir_with_demo_data_and_keeps_it(tmp_path: Path) -> None:
    port = _free_port()
    first = _start(tmp_path, port)
    try:
        ready = _wait_ready(first, port)
        assert ready.json()["status"] == "ok"
        health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
        assert health.status_code == 200
    finally:
        output = _stop(first)
    assert "database schema upgraded: empty ->" in output
    assert "reference data: 363 areas" in output
    assert "demo_coordinator" in output  # a newcomer is told how to sign in
    # the embedded server stopped with the service
    assert not (tmp_path / "pgdata" / "postmaster.pid").exists()

    second = _start(tmp_path, port)
    try:
        _wait_ready(second, port)
        base = f"http://127.0.0.1:{port}"
        login = httpx.post(
            f"{base}/auth/v1/login",
            json={"username": "demo_coordinator", "password": "demo-password"},
            timeout=10,
        )
        headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
        seen = {
            path: httpx.get(f"{base}{path}", headers=headers, timeout=10).json()
            for path in ("/facilities/v1", "/templates/v1", "/cycles/v1")
        }
    finally:
        output = _stop(second)
    assert "database schema at " in output  # found the schema it made the first time
    assert "demo accounts" not in output  # and the accounts: no second demo seed
    assert login.status_code == 200
    # the newcomer sees the demo programme: its facilities, templates and open rounds
    assert seen["/facilities/v1"]["total"] == 7
    assert {t["key"] for t in seen["/templates/v1"]} == {
        "parent_engagement",
        "medicine_availability",
        "health_insurance",
    }
    assert seen["/cycles/v1"]["total"] == 10
    assert first.returncode == 0


@pytest.mark.slow
def test_no_demo_flag_skips_the_demo_accounts(tmp_path: Path) -> None:
    port = _free_port()
    process = _start(tmp_path, port, "--no-demo")
    try:
        _wait_ready(process, port)
    finally:
        output = _stop(process)
    assert "reference data" in output
    assert "demo_coordinator" not in output


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_sigterm_stops_the_service_and_its_postgresql(tmp_path: Path, workers: str) -> None:
    pgdata = tmp_path / "pgdata"
    port = _free_port()
    process = _start(tmp_path, port, "--no-demo", "--workers", workers)
    try:
        _wait_ready(process, port, seconds=180)  # workers start slowly on a busy machine
        assert _postmaster(pgdata) is not None
    finally:
        process.send_signal(signal.SIGTERM)  # as a service manager or `docker stop` does
        output, _ = process.communicate(timeout=60)
    try:
        assert _postmaster(pgdata) is None, output.decode()
        with pytest.raises(httpx.TransportError):
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
        assert process.returncode == 0, output.decode()
    finally:
        orphan = _postmaster(pgdata)
        if orphan is not None:
            os.kill(orphan, signal.SIGINT)  # PostgreSQL's fast shutdown


@pytest.mark.slow
def test_after_a_kill_the_next_serve_stops_the_postgresql_it_found(tmp_path: Path) -> None:
    pgdata = tmp_path / "pgdata"
    port = _free_port()
    killed = _start(tmp_path, port, "--no-demo")
    try:
        _wait_ready(killed, port)
    finally:
        killed.kill()  # no cleanup runs: the PostgreSQL stays, as after an OOM kill
        killed.communicate(timeout=30)
    left = _postmaster(pgdata)
    assert left is not None
    try:
        again = _start(tmp_path, port, "--no-demo")
        try:
            _wait_ready(again, port)
        finally:
            again.send_signal(signal.SIGTERM)
            output, _ = again.communicate(timeout=60)
        assert _postmaster(pgdata) is None, output.decode()
    finally:
        orphan = _postmaster(pgdata)
        if orphan is not None:
            os.kill(orphan, signal.SIGINT)
