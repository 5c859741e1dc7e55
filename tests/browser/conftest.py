"""A live service for the browser suite: the demo programme on a database of its own, served
by uvicorn on a free port of 127.0.0.1, and Debian's Chromium driven by Playwright (no browser
is downloaded: `executable_path` points at the system's)."""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright

from backend import seed
from backend.app import create_app
from backend.settings import Settings
from tests.support import databases

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "console"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass(frozen=True)
class LiveServer:
    base: str
    settings: Settings

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(
    server_url: str,
    template_database: str,
    dropper: databases.Dropper,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    name = databases.new_name("scorecard_browser")
    url = databases.create_database(server_url, name, template=template_database, durable=False)
    port = _free_port()
    settings = Settings(
        database_url=url,
        data_dir=tmp_path_factory.mktemp("browser-data"),
        allowed_hosts=("127.0.0.1",),
        port=port,
    )
    asyncio.run(seed.run(settings, demo=True, password=seed.DEMO_PASSWORD))
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    yield LiveServer(base=f"http://127.0.0.1:{port}", settings=settings)
    server.should_exit = True
    thread.join(timeout=30)
    dropper.drop(name)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


def new_page(browser: Browser, *, width: int = 1280, height: int = 900) -> Page:
    """A fresh browser profile (its own cookies), at a laptop's size unless told."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def shoot(page: Page, name: str) -> Path:
    """Keep a picture of the screen as a test artefact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000
    return path
