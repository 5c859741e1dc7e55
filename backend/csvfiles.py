"""Reading CSV files for imports: every bad row reported by line, with the column at fault."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import msgspec


class ImportProblem(msgspec.Struct):
    line: int
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


class ImportReport(msgspec.Struct):
    rows: int
    created: int
    updated: int
    unchanged: int
    rejected: int
    problems: list[ImportProblem]
    applied: bool


class CsvFormatError(ValueError):
    """The file as a whole cannot be read (encoding, header)."""


@dataclass
class CsvRows:
    """Rows as dicts with their line numbers; the header is checked once."""

    path: Path
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    problems: list[ImportProblem] = field(default_factory=list)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        try:
            text = self.path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CsvFormatError(f"{self.path} is not UTF-8 text: {exc}") from exc
        reader = csv.DictReader(text.splitlines())
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in self.required if name not in header]
        if missing:
            raise CsvFormatError(f"{self.path}: missing columns {', '.join(missing)}")
        unknown = [name for name in header if name not in self.required + self.optional]
        if unknown:
            raise CsvFormatError(f"{self.path}: unknown columns {', '.join(unknown)}")
        for row in reader:
            values = {
                (key or "").strip(): (value or "").strip()
                for key, value in row.items()
                if key is not None
            }
            if not any(values.values()):
                continue
            yield reader.line_num, values

    def problem(self, line: int, column: str | None, message: str) -> None:
        self.problems.append(ImportProblem(line=line, column=column, message=message))
