"""Community text in CSV never starts what a spreadsheet reads as a formula, however it hides
the start (a line break, spaces, full-width signs, a pipe)."""

import pytest

from backend.reports.exports import _as_text


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
    ],
)
def test_text_a_spreadsheet_would_run_is_kept_as_text(typed: str) -> None:
    assert _as_text(typed) == "'" + typed


@pytest.mark.parametrize("typed", ["Toilets are locked", " a leading space", "", "3 teachers"])
def test_ordinary_text_is_written_as_typed(typed: str) -> None:
    assert _as_text(typed) == typed
