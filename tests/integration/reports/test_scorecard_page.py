"""The scorecard page, in both languages, rendered by headless Chromium as a person would see it."""

import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.integration.reports.test_scorecard import _cycle_with_scores
from tests.support.field import Tablet
from tests.support.sync_data import action_item

pytestmark = pytest.mark.asyncio
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing; .ci/run installs it")
        pytest.skip("chromium is not installed here (apt-get install chromium); CI runs this")
    return found


def _chromium_run(page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={page.parent / 'profile'}",
            *args,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )


async def _page(client: AsyncClient, database: Database) -> tuple[str, str, str]:
    field, team, _ = await _cycle_with_scores(client, database)
    await team.push(
        team.mutation(
            "action_item",
            "create",
            uuid.uuid4(),
            action_item(
                field,
                due_on="2026-01-15",
                status="in_progress",
                issue="Уламжлалт бие засах газар ашиглах боломжгүй",
                action="Засварлах",
            ),
        )
    )
    coordinator = await Tablet(client, await field.user(Role.COORDINATOR)).sign_in()
    path = f"/reports/v1/cycles/{field.cycle_id}/scorecard.html"
    mn = await client.get(path, headers=coordinator.headers)
    en = await client.get(path, params={"lang": "en"}, headers=coordinator.headers)
    assert mn.status_code == en.status_code == 200
    assert mn.headers["content-type"].startswith("text/html")
    return mn.text, en.text, str(field.cycle_id)


async def test_the_page_speaks_mongolian_and_english(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    mn, en, _ = await _page(committed_client, committed_database)
    assert "Иргэдийн үнэлгээний карт" in mn
    assert "Багш нар цагтаа ирж" in mn  # the indicator's own Mongolian label
    assert "хугацаа хэтэрсэн" in mn  # the overdue action item
    assert "Community scorecard" in en
    assert "Do teachers come on time" in en
    assert "overdue" in en
    assert 'lang="mn"' in mn
    assert 'lang="en"' in en


async def test_chromium_renders_bars_and_the_plan(
    committed_client: AsyncClient, committed_database: Database, tmp_path: Path
) -> None:
    mn, en, _ = await _page(committed_client, committed_database)
    ARTIFACTS.mkdir(exist_ok=True)
    for language, html in (("mn", mn), ("en", en)):
        page = tmp_path / f"scorecard-{language}.html"
        page.write_text(html, encoding="utf-8")
        dom = _chromium_run(page, "--dump-dom").stdout
        assert dom.count("<rect") >= 8  # community and provider bars
        assert 'class="light green"' in dom or 'class="light amber"' in dom
        assert 'class="light red"' in dom  # the budget was not published
        # nobody was asked for informal money: that is good news, not a red light
        assert (
            '<tr data-indicator="informal_contributions">\n      <td><span class="light green"'
            in html
        )
        assert "data-action-item" in dom
        shot = ARTIFACTS / f"scorecard-{language}.png"
        _chromium_run(page, f"--screenshot={shot}", "--window-size=1240,1754")
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert shot.stat().st_size > 20_000
