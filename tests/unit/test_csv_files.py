"""What a CSV file is before its rows are read: its separator and, if not UTF-8, what it
most likely is."""

from backend.csvfiles import delimiter_of, legacy_encoding
from backend.facilities.importer import REQUIRED

HEADER = "registry_code;type;name_mn;name_en;area_code;insurance_contracted;latitude;longitude"


def test_the_header_line_tells_the_separator() -> None:
    assert delimiter_of(HEADER, REQUIRED) == ";"
    assert delimiter_of(HEADER.replace(";", ","), REQUIRED) == ","
    assert delimiter_of(HEADER.replace(";", "\t"), REQUIRED) == "\t"
    assert delimiter_of("nothing,known;here", REQUIRED) == ","


def test_utf8_text_is_no_legacy_encoding_and_latin_text_is_not_taken_for_cyrillic() -> None:
    assert legacy_encoding("Café".encode("latin-1")) is None
    assert legacy_encoding(b"plain") is None
    assert legacy_encoding("Увс".encode("utf-16")) is not None


def test_a_cyrillic_code_page_is_told_apart() -> None:
    text = "registry_code,name_mn\nS-1,Улаангом сумын ерөнхий боловсролын сургууль\n"
    assert legacy_encoding(text.replace("ө", "о").encode("cp1251")) == (
        "Windows-1251 кирилл",
        "Windows-1251 Cyrillic",
    )
    assert legacy_encoding(text.replace("ө", "о").encode("cp866")) == (
        "CP866 (DOS) кирилл",
        "CP866 (DOS) Cyrillic",
    )
