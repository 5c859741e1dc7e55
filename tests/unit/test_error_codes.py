"""One table of error codes: every code the server can answer with is in the tablet team's
table (mobile_contract/README.md), and the table names no code the server cannot produce."""

from __future__ import annotations

import re

import backend.app  # noqa: F401  (imports every module, so every code is declared)
from backend import contract
from backend.errors import CODES
from backend.sync.entity import Rejected

CODE = re.compile(r"`([a-z_]+(?:\.[a-z_]+)?)`")


def _table_codes(text: str) -> dict[str, set[int]]:
    """Codes in the second column of the tables' rows, with the statuses in the first."""
    found: dict[str, set[int]] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not cells[0][:3].isdigit():
            continue
        for code in CODE.findall(cells[1]):
            found.setdefault(code, set()).add(int(cells[0][:3]))
    return found


def test_the_error_table_lists_exactly_the_codes_the_server_declares() -> None:
    table = _table_codes((contract.FOLDER / "README.md").read_text(encoding="utf-8"))
    assert set(CODES) - set(table) == set(), "codes missing from the table"
    assert set(table) - set(CODES) == set(), "the table names codes nothing raises"
    wrong = {code: (CODES[code], statuses) for code, statuses in table.items()}
    assert {code: v for code, v in wrong.items() if v[0] not in v[1]} == {}


def _refusals(cls: type[Rejected] = Rejected) -> set[str]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub.code)
        found |= _refusals(sub)
    return found


def test_the_push_refusal_table_lists_exactly_the_refusals_the_server_declares() -> None:
    """Refusals of single mutations (a push's `rejected` results), in SYNC.md's table."""
    text = (contract.FOLDER / "SYNC.md").read_text(encoding="utf-8")
    table = text.split("| code | field | meaning |", 1)[1].split("\n\n", 1)[0]
    listed = {
        code
        for line in table.splitlines()
        if line.startswith("| `")
        for code in CODE.findall(line.split("|")[1])
    }
    assert _refusals() == listed
