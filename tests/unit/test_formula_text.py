"""Community text in CSV never starts what a spreadsheet reads as a formula, however it hides
the start (a line break, spaces, invisible or control characters, full-width signs, a pipe)."""

import unicodedata

import pytest

from backend.reports.spreadsheet import as_text, looks_like_formula

# every character a spreadsheet might skip before reading a formula, one of each kind
INVISIBLE = {
    "no-break space": "\u00a0",
    "zero-width space": "\u200b",
    "byte-order mark": "\ufeff",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "vertical tab": "\x0b",
    "form feed": "\x0c",
    "ideographic space": "\u3000",
    "en quad": "\u2000",
    "zero-width joiner": "\u200d",
    "word joiner": "\u2060",
    "left-to-right mark": "\u200e",
    "soft hyphen": "\u00ad",
    "next line": "\x85",
    "escape": "\x1b",
}


@pytest.mark.parametrize(
    "typed",
    [
        "=1+1",
        "+7",
        "-2+3",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "\n=7+7",
        "  =HYPERLINK(A1)",
        "\u3000=1",
        "\uff1d1+1",
        "\uff0b1",
        "|calc",
        # full-width and small forms a spreadsheet may fold into the ASCII ones
        "\uff5ccalc",
        "\ufe66small",
        "\ufe62small",
        "\ufe63small",
        "\ufe6bsmall",
    ],
)
def test_text_a_spreadsheet_would_run_is_kept_as_text(typed: str) -> None:
    assert as_text(typed) == "'" + typed


@pytest.mark.parametrize("name", sorted(INVISIBLE))
@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\uff1d"])
def test_a_formula_behind_an_invisible_character_is_kept_as_text(name: str, start: str) -> None:
    typed = INVISIBLE[name] + start + 'HYPERLINK("http://evil.example")'
    assert as_text(typed) == "'" + typed
    # and behind several of them, mixed with spaces
    hidden = f" {INVISIBLE[name]}\u00a0{INVISIBLE[name]}{start}1+1"
    assert as_text(hidden) == "'" + hidden


def test_every_skipped_character_is_of_a_kind_the_rule_names() -> None:
    kinds = {unicodedata.category(char) for char in INVISIBLE.values()}
    assert kinds <= {"Zs", "Zl", "Zp", "Cf", "Cc"}
    assert kinds == {"Zs", "Zl", "Zp", "Cf", "Cc"}  # each kind is tried


@pytest.mark.parametrize(
    "typed",
    [
        "Toilets are locked",
        " a leading space",
        "",
        "3 teachers",
        "\u00a0no formula here",
        "\u200b",
        "a = b + c",
        "Хичээл = 3",
    ],
)
def test_ordinary_text_is_written_as_typed(typed: str) -> None:
    assert as_text(typed) == typed
    assert not looks_like_formula(typed)
