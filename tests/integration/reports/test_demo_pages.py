"""Every page and download of the demo, as a coordinator and as a viewer, in Mongolian and in
English: no key reaches a reader, the raised problem statements are not lit green, and the
pages are photographed in Chromium (the printed school page as A4 PDF pages) as test
artefacts to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import select, text

from backend.attachments.storage import open_store
from backend.database.session import Database
from backend.reports import page_words, rollup_page_words, wording
from backend.scorecards import group_types
from backend.scorecards import service as templates
from backend.scorecards.models import TemplateVersion
from backend.seed import DEMO_PASSWORD, demo
from backend.settings import Settings
from tests.integration.reports.test_scorecard_page import ARTIFACTS, _chromium_run

# Chromium and the whole demo: once per CI run, on the embedded PostgreSQL
pytestmark = [pytest.mark.asyncio, pytest.mark.slow]
LANGUAGES = ("mn", "en")
# a snake_case word, or an area code (MN-046, MN-1-SK, MN-046-18501), is a key, not a word
KEYLIKE = re.compile(r"\b(?:[a-z][a-z0-9]*_[a-z0-9_]+|MN-\d+(?:-[A-Z0-9]+)*)\b")


class _Visible(HTMLParser):
    """The text a reader sees or hears: text nodes, and alt, title and aria-label."""

    def __init__(self, attributes: bool) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0
        self._attributes = attributes

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skipping += 1
        if self._attributes:
            self.parts += [
                value or "" for name, value in attrs if name in ("alt", "title", "aria-label")
            ]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str, attributes: bool = True) -> str:
    """The page's text; with `attributes`, also what a screen reader or a tooltip says."""
    parser = _Visible(attributes)
    parser.feed(html)
    return " ".join(parser.parts)


async def _keys(database: Database) -> set[str]:
    """Every key the demo's data holds: templates, indicators, options, medicines, group types,
    raised indicators and their tags, phases, statuses, funding sources, levels, areas."""
    keys = set(group_types.GROUP_TYPES)
    async with database.sessionmaker() as db:
        for version in await db.scalars(select(TemplateVersion)):
            document = templates.document_of(version)
            keys |= {document.key, document.family} | {s.key for s in document.sections}
            for indicator in document.indicators:
                keys.add(indicator.key)
                keys |= {o.key for o in getattr(indicator.answer, "options", [])}
                keys |= set(getattr(indicator.answer, "medicines", []))
        for sql in (
            "SELECT key FROM cycle_indicator",
            "SELECT tag FROM cycle_indicator WHERE tag IS NOT NULL",
            "SELECT code FROM area",
        ):
            keys |= set((await db.execute(text(sql))).scalars())
    for table in (wording.PHASES, wording.STATUSES, wording.FUNDING, wording.LEVELS):
        keys |= set(table["en"])
    return keys


def _english_words() -> set[str]:
    """Words the pages use on purpose: a key that is also a plain English word ("done",
    "women") is read as the word when the wording tables give it as one."""
    texts: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for module in (wording, page_words, rollup_page_words):
        for name in dir(module):
            walk(getattr(module, name))
    texts += [label.en for label in group_types.GROUP_TYPES.values()]
    return set(re.findall(r"[\w-]+", " ".join(texts)))


def keys_in(text_: str, keys: set[str], words: set[str], language: str) -> set[str]:
    """The keys a reader would see: snake_case words and area codes in any language; on a
    Mongolian page also a one-word key ("heating", "council"), which on an English page is
    read as the English word the label uses."""
    found = set(KEYLIKE.findall(text_))
    if language == "mn":
        found |= {
            token for token in re.findall(r"[\w-]+", text_) if token in keys and token not in words
        }
    return found


async def _signed_in(client: AsyncClient, username: str) -> dict[str, str]:
    login = await client.post(
        "/auth/v1/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def _seeded(database: Database, settings: Settings) -> None:
    async with database.sessionmaker() as db, db.begin():
        await demo.seed(db, password=DEMO_PASSWORD, store=open_store(settings))


async def _rounds(client: AsyncClient, headers: dict[str, str]) -> list[dict[str, Any]]:
    found = await client.get("/cycles/v1", params={"limit": 200}, headers=headers)
    assert found.status_code == 200, found.text
    rounds: list[dict[str, Any]] = found.json()["items"]
    return rounds


def _pages(rounds: list[dict[str, Any]]) -> Iterator[tuple[str, dict[str, str]]]:
    for cycle in rounds:
        for language in LANGUAGES:
            yield f"/reports/v1/cycles/{cycle['id']}/scorecard.html", {"lang": language}
    for area in ("MN-046", "Songinokhairkhan"):
        for template in ("parent_engagement", "medicine_availability", "health_insurance"):
            for by in ("facility", "soum", "aimag"):
                for language in LANGUAGES:
                    yield (
                        "/reports/v1/rollup.html",
                        {
                            "area": area,
                            "template": template,
                            "by": by,
                            "lang": language,
                        },
                    )


async def test_no_key_reaches_a_reader_of_any_demo_page(
    committed_client: AsyncClient, committed_database: Database, settings: Settings
) -> None:
    await _seeded(committed_database, settings)
    keys, words = await _keys(committed_database), _english_words()
    assert {"parent_engagement", "classrooms_cold", "MN-046"} <= keys
    leaks: dict[str, set[str]] = {}
    for username in ("demo_coordinator", "demo_viewer"):
        headers = await _signed_in(committed_client, username)
        rounds = await _rounds(committed_client, headers)
        assert rounds
        for path, params in _pages(rounds):
            page = await committed_client.get(path, params=params, headers=headers)
            assert page.status_code == 200, (path, params, page.text)
            found = keys_in(visible_text(page.text), keys, words, params["lang"])
            if found:
                leaks[f"{username} {path} {params}"] = found
    assert not leaks, "\n".join(f"{page}: {sorted(found)}" for page, found in leaks.items())


async def test_raised_problem_statements_are_never_lit_green(
    committed_client: AsyncClient, committed_database: Database, settings: Settings
) -> None:
    await _seeded(committed_database, settings)
    headers = await _signed_in(committed_client, "demo_coordinator")
    lit = 0
    for cycle in await _rounds(committed_client, headers):
        card = await committed_client.get(
            f"/reports/v1/cycles/{cycle['id']}/scorecard", headers=headers
        )
        page = await committed_client.get(
            f"/reports/v1/cycles/{cycle['id']}/scorecard.html", headers=headers
        )
        for indicator in card.json()["indicators"]:
            if indicator["origin"] != "community" or indicator["community"] is None:
                continue
            # the demo's raised issues are problems: the less of them the better
            assert indicator["better"] == "lower", indicator["key"]
            row = page.text.split(f'<tr data-indicator="{indicator["key"]}">')[1].split("</tr>")[0]
            light = re.search(r'data-light="(\w+)"', row)
            assert light is not None
            expected = _light_toward_lower(indicator["community_100"])
            assert light.group(1) == expected, (indicator["key"], indicator["community_100"])
            lit += 1
    assert lit >= 4


def _light_toward_lower(value_100: float | None) -> str:
    """The page's light for a "lower is better" figure on 0-100, by hand."""
    if value_100 is None:
        return "none"
    toward = 100 - value_100
    return "green" if toward >= 75 else "amber" if toward >= 50 else "red"


def _pdf_pages(pdf: Path) -> list[str]:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    texts = []
    for number in range(len(document)):
        page = document[number]
        texts.append(page.get_textpage().get_text_range())
        if number < 2:
            image = page.render(scale=1.2).to_pil()
            image.save(pdf.with_name(f"{pdf.stem}-page{number + 1}.png"))
    return texts


async def test_the_demo_pages_in_chromium_and_the_school_page_printed_on_a4(
    committed_client: AsyncClient, committed_database: Database, settings: Settings, tmp_path: Path
) -> None:
    await _seeded(committed_database, settings)
    ARTIFACTS.mkdir(exist_ok=True)
    shots = ARTIFACTS / "demo"
    shots.mkdir(exist_ok=True)
    for username in ("demo_coordinator", "demo_viewer"):
        headers = await _signed_in(committed_client, username)
        role = username.removeprefix("demo_")
        showcase = [
            c for c in await _rounds(committed_client, headers) if c["phase"] == "follow_up"
        ]
        assert len(showcase) == 3, showcase
        for cycle in showcase:
            card = (
                await committed_client.get(
                    f"/reports/v1/cycles/{cycle['id']}/scorecard", headers=headers
                )
            ).json()
            name = card["template_key"].split("_")[0]
            for language in LANGUAGES:
                html = (
                    await committed_client.get(
                        f"/reports/v1/cycles/{cycle['id']}/scorecard.html",
                        params={"lang": language},
                        headers=headers,
                    )
                ).text
                page = tmp_path / f"{name}-{role}-{language}.html"
                page.write_text(html, encoding="utf-8")
                shot = shots / f"scorecard-{name}-{role}-{language}.png"
                _chromium_run(page, f"--screenshot={shot}", "--window-size=1240,2200")
                assert shot.stat().st_size > 20_000
                if name == "parent":
                    pdf = shots / f"printed-school-{role}-{language}.pdf"
                    _chromium_run(page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
                    texts = _pdf_pages(pdf)
                    assert len(texts) >= 2
                    words = page_words.WORDS[language]
                    for number, content in enumerate(texts, start=1):
                        # the footer: the round, the printing date, page n of all
                        assert f"{words['page']} {number} / {len(texts)}" in content or (
                            f"{number} / {len(texts)}" in content
                        )
                        assert words["printed"] in content
                    # no row is split across two pages: every label the page shows is whole
                    # on one page, as often as the page shows it
                    flat = [" ".join(t.split()) for t in texts]
                    shown = " ".join(visible_text(html, attributes=False).split())
                    for indicator in card["indicators"]:
                        label = " ".join(
                            wording.pick(
                                language, indicator["label_mn"], indicator["label_en"]
                            ).split()
                        )
                        printed = sum(t.count(label) for t in flat)
                        assert printed == shown.count(label), (language, label)
        for language in LANGUAGES:
            html = (
                await committed_client.get(
                    "/reports/v1/rollup.html",
                    params={
                        "area": "Uvs",
                        "template": "parent_engagement",
                        "by": "facility",
                        "lang": language,
                    },
                    headers=headers,
                )
            ).text
            page = tmp_path / f"area-{role}-{language}.html"
            page.write_text(html, encoding="utf-8")
            shot = shots / f"area-{role}-{language}.png"
            _chromium_run(page, f"--screenshot={shot}", "--window-size=1240,1600")
            assert shot.stat().st_size > 20_000
