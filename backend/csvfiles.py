"""Reading CSV files for imports: every bad row reported by line, with the column at fault.

Files come from Excel as often as from scripts. Excel in Mongolia saves "CSV UTF-8" with a
byte order mark, and, with the Mongolian list separator, separates columns with semicolons;
an older "CSV" choice saves a legacy Cyrillic code page, which is refused with a message that
says how to save the file instead of importing mojibake."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

# what separates the columns of a header line, most usual first
DELIMITERS = (",", ";", "\t")
SAVE_AS_UTF8 = (
    'Excel-д "Save As" (Хадгалах) → "CSV UTF-8 (Comma delimited)" сонгож дахин хадгална уу.',
    'In Excel choose "Save As" → "CSV UTF-8 (Comma delimited)" and save the file again.',
)


class ImportProblem(msgspec.Struct):
    line: int
    column: str | None
    message: str
    # the same message in Mongolian, where the importer gives one
    message_mn: str = ""

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
    """The file as a whole cannot be read (encoding, header): the message in English and in
    Mongolian, each for a reader of that language; `both` says both at once (on the command
    line, where the reader's language is not known)."""

    def __init__(self, message_en: str, message_mn: str = "", *, both: bool = False) -> None:
        self.message_en = message_en
        self.message_mn = message_mn or message_en
        super().__init__(f"{message_en} / {self.message_mn}" if both else message_en)


def decoded(raw: bytes, name: str) -> str:
    """The file's text: UTF-8, with or without a byte order mark. Anything else is refused
    with a plain message naming the encoding it looks like, never read as mojibake."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    looks = legacy_encoding(raw)
    mn, en = SAVE_AS_UTF8
    raise CsvFormatError(
        f"{name} is not UTF-8 text{f' (it looks like {looks[1]})' if looks else ''}. {en}",
        f"Файл UTF-8 кодчилолтой биш байна{f' ({looks[0]} шиг байна)' if looks else ''}. {mn}",
        both=True,
    )


def legacy_encoding(raw: bytes) -> tuple[str, str] | None:
    """What a file that is not UTF-8 most likely is, in Mongolian and English: UTF-16 (Excel's
    "Unicode text"), Windows-1251 or CP866 Cyrillic; None if it looks like none of them."""
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16 (Unicode text)", "UTF-16 (Unicode text)"
    high = [byte for byte in raw if byte >= 0x80]
    # Cyrillic words are runs of high bytes; an accent here and there in Latin text is not
    in_words = sum(
        1
        for i, byte in enumerate(raw)
        if byte >= 0x80 and (raw[i - 1 : i] >= b"\x80" or raw[i + 1 : i + 2] >= b"\x80")
    )
    if not high or in_words < len(high) * 0.8:
        return None
    # Cyrillic letters: А-я at C0-FF in Windows-1251; А-п at 80-AF and р-я at E0-EF in CP866
    cp1251 = sum(1 for byte in high if byte >= 0xC0 or byte in (0xA8, 0xB8, 0xAA, 0xBA))
    cp866 = sum(1 for byte in high if byte <= 0xAF or 0xE0 <= byte <= 0xF7)
    if max(cp1251, cp866) < len(high) * 0.8:
        return None
    if cp1251 >= cp866:
        return "Windows-1251 кирилл", "Windows-1251 Cyrillic"
    return "CP866 (DOS) кирилл", "CP866 (DOS) Cyrillic"


def delimiter_of(header: str, known: tuple[str, ...]) -> str:
    """The separator that splits the header line into the most known column names (Excel
    with the Mongolian list separator saves semicolons); a comma if none finds any."""
    best, found = ",", 0
    for candidate in DELIMITERS:
        names = {name.strip().strip('"').strip() for name in header.split(candidate)}
        count = len(names & set(known))
        if count > found:
            best, found = candidate, count
    return best


@dataclass
class CsvRows:
    """Rows as dicts with their line numbers; the header is checked once. The source is a
    file or the bytes of an upload (named `name` in messages)."""

    source: Path | bytes
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    problems: list[ImportProblem] = field(default_factory=list)
    name: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            self.name = str(self.source) if isinstance(self.source, Path) else "the file"

    def _text(self) -> str:
        raw = self.source.read_bytes() if isinstance(self.source, Path) else self.source
        return decoded(raw, self.name)

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        text = self._text()
        first = text.split("\n", 1)[0]
        delimiter = delimiter_of(first, self.required + self.optional)
        reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
        header = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in self.required if name not in header]
        if missing:
            raise CsvFormatError(
                f"{self.name}: missing columns {', '.join(missing)}",
                f"{self.name}: дараах багана алга: {', '.join(missing)}",
            )
        unknown = [name for name in header if name not in self.required + self.optional]
        if unknown:
            raise CsvFormatError(
                f"{self.name}: unknown columns {', '.join(unknown)}",
                f"{self.name}: танигдахгүй багана: {', '.join(unknown)}",
            )
        for row in reader:
            values = {
                (key or "").strip(): (value or "").strip()
                for key, value in row.items()
                if key is not None
            }
            if not any(values.values()):
                continue
            yield reader.line_num, values

    def problem(self, line: int, column: str | None, message: str, mn: str = "") -> None:
        self.problems.append(
            ImportProblem(line=line, column=column, message=message, message_mn=mn)
        )
