"""Every download of the demo, as a coordinator and as a viewer, in Mongolian and in English:
each table's CSV, the ZIP's files, every sheet of the workbook and the index workbook. No key
reaches a reader, in a cell, a header, a sheet's or a file's name, except in the columns whose
header says they hold one (for joining tables)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import pytest
from httpx import AsyncClient, Response
from openpyxl import load_workbook

from backend.database.session import Database
from backend.reports import export_words
from backend.reports.exports import TABLES
from backend.settings import Settings
from tests.integration.reports.test_demo_pages import (
    LANGUAGES,
    _english_words,
    _keys,
    _rounds,
    _seeded,
    _signed_in,
    keys_in,
)

READERS = ("demo_coordinator", "demo_viewer")


def is_key_column(header: str) -> bool:
    """A column that says it holds a key: its values are for joining, not for reading."""
    return bool(re.search(r"\bkey\b|түлхүүр", header, re.IGNORECASE))


def readable(grid: list[list[Any]]) -> str:
    """A table's header and every cell outside its key columns, as one text."""
    header = [str(value or "") for value in grid[0]] if grid else []
    kept = [index for index, name in enumerate(header) if not is_key_column(name)]
    cells = [str(row[i]) for row in grid[1:] for i in kept if i < len(row) and row[i] is not None]
    return "\n".join([*header, *cells])


def csv_text(content: bytes) -> str:
    return readable(list(csv.reader(io.StringIO(content.decode("utf-8-sig")))))


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        texts.append(sheet.title)
        texts.append(readable([list(row) for row in sheet.iter_rows(values_only=True)]))
    return "\n".join(texts)


def file_name(answer: Response) -> str:
    """The name a reader saves the download as (RFC 5987's `filename*`)."""
    disposition = answer.headers["content-disposition"]
    return unquote(disposition.split("filename*=UTF-8''", 1)[1])


def _index_workbooks() -> Iterator[dict[str, str]]:
    for area in ("MN-046", "Songinokhairkhan"):
        for by in ("soum", "aimag", "nation"):
            for language in LANGUAGES:
                yield {"area": area, "by": by, "lang": language}
    yield {"area": "MN-046", "by": "soum", "since": "2026-01-01", "family": "custom", "lang": "en"}
    yield {"area": "MN-046", "by": "soum", "until": "2027-01-01", "lang": "mn"}


@pytest.mark.slow  # the whole demo: once per CI run, on the embedded PostgreSQL
@pytest.mark.asyncio
async def test_no_key_reaches_a_reader_of_any_demo_download(
    committed_client: AsyncClient, committed_database: Database, settings: Settings
) -> None:
    await _seeded(committed_database, settings)
    keys = await _keys(committed_database)
    words = _english_words() | set(re.findall(r"[\w-]+", repr(export_words.WORDS)))
    leaks: dict[str, set[str]] = {}
    read = 0

    def check(what: str, text: str, language: str) -> None:
        nonlocal read
        read += 1
        found = keys_in(text, keys, words, language)
        if found:
            leaks[what] = found

    for username in READERS:
        headers = await _signed_in(committed_client, username)
        rounds = await _rounds(committed_client, headers)
        assert rounds
        for cycle in rounds:
            url = f"/reports/v1/cycles/{cycle['id']}/scorecard"
            for language in LANGUAGES:
                where = f"{username} {cycle['label']} {language}"
                for table in TABLES:
                    answer = await committed_client.get(
                        f"{url}.csv", params={"table": table, "lang": language}, headers=headers
                    )
                    if table == "reasons" and answer.status_code == 403:
                        continue  # not reviewed yet: the zip has no reasons either
                    assert answer.status_code == 200, (where, table, answer.text)
                    check(f"{where} {table}.csv", csv_text(answer.content), language)
                    check(f"{where} {table}.csv name", file_name(answer), language)
                archive = await committed_client.get(
                    f"{url}.zip", params={"lang": language}, headers=headers
                )
                assert archive.status_code == 200, (where, archive.text)
                check(f"{where} zip name", file_name(archive), language)
                members = zipfile.ZipFile(io.BytesIO(archive.content))
                assert len(members.namelist()) >= 3
                for member in members.namelist():
                    check(f"{where} zip {member}", member, language)
                    check(f"{where} zip {member}", csv_text(members.read(member)), language)
                book = await committed_client.get(
                    f"{url}.xlsx", params={"lang": language}, headers=headers
                )
                assert book.status_code == 200, (where, book.text)
                check(f"{where} xlsx", xlsx_text(book.content), language)
                check(f"{where} xlsx name", file_name(book), language)
        for params in _index_workbooks():
            answer = await committed_client.get(
                "/reports/v1/index.xlsx", params=params, headers=headers
            )
            assert answer.status_code == 200, (params, answer.text)
            check(f"{username} index.xlsx {params}", xlsx_text(answer.content), params["lang"])
            check(f"{username} index.xlsx {params} name", file_name(answer), params["lang"])
    assert read > 500
    assert not leaks, "\n".join(f"{what}: {sorted(found)}" for what, found in leaks.items())


def test_a_key_column_is_told_by_its_header() -> None:
    for language in LANGUAGES:
        words = export_words.WORDS[language]
        for name in ("indicator_key", "medicine_key", "item_key", "unit_key"):
            assert is_key_column(words[name]), (language, name)
        for name in ("indicator", "group", "respondent", "unit", "facility", "scale"):
            assert not is_key_column(words[name]), (language, name)
