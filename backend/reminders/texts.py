"""What a reminder says, in its reader's language: a Jinja2 template per kind and language
(templates/KIND.LANG.txt, first line the subject). Plain text, so nothing is escaped.

A reminder names the facility and the round's label in the reader's language, the action's
text, its dates and a link path, and nothing any respondent said or was counted by: no scores,
groups, reasons, suggestions or participant counts ever reach the template's variables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from jinja2 import Environment, FileSystemLoader, StrictUndefined

Kind = Literal["overdue", "review", "comparison"]
LANGUAGES = ("mn", "en")

# plain-text mail, never HTML: nothing to escape
_environment = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=False,  # noqa: S701
    undefined=StrictUndefined,
    keep_trailing_newline=True,
)


@dataclass(frozen=True, slots=True)
class Text:
    subject: str
    body: str


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything a reminder may say; nothing else reaches a template."""

    name: str  # the reader's own display name
    facility: str
    round: str  # the round's label in the reader's language (Cycle.label_for)
    link: str
    action: str = ""
    responsible: str = ""
    due_on: date | None = None
    review_on: date | None = None


def render(kind: Kind, language: str, facts: Facts) -> Text:
    """The subject (one line) and body of a reminder of `kind` in `language` (mn or en)."""
    template = _environment.get_template(f"{kind}.{_language(language)}.txt")
    subject, _, body = template.render(
        name=facts.name,
        facility=facts.facility,
        round=facts.round,
        link=facts.link,
        action=facts.action,
        responsible=facts.responsible,
        due_on=facts.due_on.isoformat() if facts.due_on else "",
        review_on=facts.review_on.isoformat() if facts.review_on else "",
    ).partition("\n")
    return Text(subject=" ".join(subject.split()), body=body.lstrip("\n"))


def _language(language: str) -> str:
    return language if language in LANGUAGES else "mn"


def scorecard_link(cycle_id: object, language: str) -> str:
    """The path of the round's scorecard page (comparison and action plan) in a language."""
    return f"/reports/v1/cycles/{cycle_id}/scorecard.html?lang={_language(language)}"
