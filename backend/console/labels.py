"""Names kept in both languages (a template's, a round's, a facility's), read in one."""

from __future__ import annotations

from backend.scorecards.document import LocalText


def say(text: LocalText | None, language: str) -> str:
    """The name in the reader's language (mn or en); nothing for no name."""
    if text is None:
        return ""
    return text.mn if language == "mn" else text.en
