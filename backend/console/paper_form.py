"""A paper sheet's form: each indicator's input as its kind asks (a scale, yes or no, a count,
...), the typed form read back into a sheet, and a refusal's problems placed beside the inputs
they concern, in the reader's words."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from backend.console.labels import say
from backend.errors import DomainError, FieldError
from backend.scorecards.document import (
    Count,
    Entitlement,
    FreeText,
    Indicator,
    Money,
    MultiChoice,
    Number,
    Scale,
    SingleChoice,
    YesNo,
)
from backend.submissions.paper import Sheet, SheetRound

SEXES = ("female", "male")
# the kinds a focus group answers on paper (a medicine check is a monitor's, at the counter)
ON_PAPER = (Scale, YesNo, Count, Number, Money, SingleChoice, MultiChoice, FreeText, Entitlement)
FORM_PROBLEM = "form"  # a problem of the sheet as a whole, shown above it


@dataclass(frozen=True, slots=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Field:
    """One indicator as a row of the form, in the reader's language."""

    key: str
    section: str
    label: str
    hint: str | None
    kind: str  # scale, yes_no, count, number, money, single_choice, multi_choice, text, ...
    required: bool
    choices: list[Choice] = field(default_factory=list)
    low: float | None = None
    high: float | None = None
    step: str = "1"
    unit: str | None = None


def _field(indicator: Indicator, section: str, language: str) -> Field | None:
    answer = indicator.answer
    if not isinstance(answer, ON_PAPER):
        return None
    row = Field(
        key=indicator.key,
        section=section,
        label=say(indicator.label, language),
        hint=say(indicator.hint, language) or None,
        kind="text",
        required=indicator.required,
    )
    if isinstance(answer, Scale):
        points = {point.value: say(point.label, language) for point in answer.points}
        choices = [
            Choice(str(v), f"{v} — {points[v]}" if v in points else str(v))
            for v in range(answer.min, answer.max + 1)
        ]
        return replace(row, kind="scale", choices=choices, low=answer.min, high=answer.max)
    if isinstance(answer, YesNo):
        return replace(row, kind="yes_no")
    if isinstance(answer, Count | Money):
        kind = "count" if isinstance(answer, Count) else "money"
        return replace(row, kind=kind, low=0, high=answer.max)
    if isinstance(answer, Number):
        return replace(
            row,
            kind="number",
            low=answer.min,
            high=answer.max,
            step="1" if answer.integer else "any",
            unit=say(answer.unit, language),
        )
    if isinstance(answer, SingleChoice | MultiChoice):
        kind = "single_choice" if isinstance(answer, SingleChoice) else "multi_choice"
        choices = [Choice(option.key, say(option.label, language)) for option in answer.options]
        return replace(row, kind=kind, choices=choices)
    if isinstance(answer, Entitlement):
        return replace(row, kind="entitlement", low=0, unit=say(answer.unit, language))
    return row


def fields_of(round_: SheetRound, language: str) -> list[Field]:
    """The sheet's indicators as form rows, in the round's order."""
    found = []
    for indicator in round_.indicators:
        section = say(round_.sections.get(indicator.section), language)
        row = _field(indicator, section, language)
        if row is not None:
            found.append(row)
    return found


# -- reading the typed form back -----------------------------------------------------------------


def _one(form: Any, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _number(text: str, *, whole: bool) -> Any:
    """A typed number as the answer's value; what is not one is handed on as typed, so the
    template's own check names what it should be."""
    try:
        return int(text) if whole else (int(text) if text.lstrip("-").isdigit() else float(text))
    except ValueError:
        return text


def _value(row: Field, form: Any) -> Any:
    name = f"value_{row.key}"
    if row.kind == "multi_choice":
        picked = [v for v in form.getall(name, []) if isinstance(v, str) and v]
        return picked or None
    if row.kind == "entitlement":
        parts = {part: _one(form, f"{name}_{part}") for part in ("entitled", "actual")}
        if not any(parts.values()):
            return None
        return {part: _number(text, whole=False) if text else None for part, text in parts.items()}
    text = _one(form, name)
    if not text:
        return None
    if row.kind == "yes_no":
        return {"yes": True, "no": False}.get(text, text)
    if row.kind in ("scale", "count", "money"):
        return _number(text, whole=True)
    if row.kind == "number":
        return _number(text, whole=row.step == "1")
    return text


@dataclass(frozen=True, slots=True)
class Typed:
    """The form as typed: the sheet to hand in, or the problems found before handing it in."""

    sheet_id: uuid.UUID
    sheet: Sheet | None
    problems: dict[str, list[str]]


def read(form: Any, round_: SheetRound, rows: list[Field], photo: bytes | None) -> Typed:
    """The sheet a typed form describes; each answer with its value, reason and suggestion."""
    problems: dict[str, list[str]] = {}
    try:
        sheet_id = uuid.UUID(_one(form, "sheet_id"))
    except ValueError:
        sheet_id = uuid.uuid4()  # a form from elsewhere: stored as a new sheet
    try:
        held_on = date.fromisoformat(_one(form, "held_on"))
    except ValueError:
        problems["held_on"] = ["held_on_missing"]
        held_on = date.min
    participants = {
        sex: _number(text, whole=True) for sex in SEXES if (text := _one(form, f"people_{sex}"))
    }
    answers: dict[str, dict[str, Any]] = {}
    for row in rows:
        value = _value(row, form)
        notes = {kind: _one(form, f"{kind}_{row.key}") or None for kind in ("reason", "suggestion")}
        if value is not None or any(notes.values()):
            answers[row.key] = {"value": value, **notes}
    if problems:
        return Typed(sheet_id, None, problems)
    return Typed(
        sheet_id,
        Sheet(
            id=sheet_id,
            cycle_id=round_.cycle_id,
            group_type=_one(form, "group_type"),
            participants=participants,
            held_on=held_on,
            answers=answers,
            photo=photo,
            consent_noted=_one(form, "consent_noted") == "yes",
        ),
        problems,
    )


# -- a refusal beside its inputs -------------------------------------------------------------------

# a push's and an upload's codes, as words (WORDS in backend/console/paper.py)
CODE_WORDS = {
    "answer.missing": "answer_missing",
    "answer.out_of_range": "answer_out_of_range",
    "answer.unknown_option": "answer_unknown_option",
    "answer.too_long": "answer_too_long",
    "answer.not_for_respondent": "answer_not_on_sheet",
    "answer.unknown_indicator": "answer_not_on_sheet",
    "answer.indicator_not_selected": "answer_not_on_sheet",
    "sync.round_closed": "round_closed",
    "sync.unknown_reference": "round_unknown",
    "sync.not_allowed": "not_yours",
    "submission.respondent_not_allowed": "not_yours",
    "sync.id_taken": "sheet_taken",
    "attachment.unsupported_type": "photo_type",
    "attachment.unreadable": "photo_unreadable",
    "attachment.too_large": "photo_too_large",
}


def _place(name: str | None) -> str:
    """The form input a problem's field path names."""
    path = (name or "").split(".")
    if path[:2] == ["data", "answers"] and len(path) > 2:
        return path[2].split("[")[0]
    if path[:2] == ["data", "group"]:
        return "participants" if len(path) > 2 and path[2].startswith("participants") else "group"
    if path[:2] == ["data", "collected_at"]:
        return "held_on"
    if path[:1] == ["photo"]:
        return "photo"
    return FORM_PROBLEM


def _word(problem: FieldError, place: str, rows: dict[str, Field]) -> str:
    code = problem.code or ""
    if code == "answer.wrong_type" and place in rows:
        return f"wrong_{rows[place].kind}"
    if code == "sync.invalid_data":
        return {"participants": "people_invalid", "group": "group_missing"}.get(place, "invalid")
    if code == "request.invalid" and place == "photo":
        return "photo_missing"
    return CODE_WORDS.get(code, "refused")


def placed(error: DomainError, rows: list[Field]) -> dict[str, list[str]]:
    """A refusal's problems by the input they belong to (an indicator's key, `group`,
    `participants`, `held_on`, `photo`, or `form`), each as a word key."""
    by_key = {row.key: row for row in rows}
    problems = error.errors or [FieldError(field=error.field, message=str(error), code=error.code)]
    found: dict[str, list[str]] = {}
    for problem in problems:
        place = "photo" if (problem.code or "").startswith("attachment.") else _place(problem.field)
        if place not in by_key and place not in ("group", "participants", "held_on", "photo"):
            place = FORM_PROBLEM
        word = _word(problem, place, by_key)
        if word not in found.setdefault(place, []):
            found[place].append(word)
    return found
