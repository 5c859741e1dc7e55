"""Checking a submission's answers against its template version: one error per problem.

Pure and fast: a template is compiled once into a checker per indicator, and each pushed
submission runs through the checkers without touching the database.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from backend.errors import FieldError
from backend.scorecards.document import (
    SCALES,
    Count,
    Entitlement,
    FreeText,
    Indicator,
    MedicineCheck,
    Money,
    MultiChoice,
    Number,
    Scale,
    SingleChoice,
    TemplateDocument,
    YesNo,
    template_scale,
)

UNKNOWN_INDICATOR = "answer.unknown_indicator"
# a community-raised indicator of the round that facilitators have not selected for scoring
NOT_SELECTED = "answer.indicator_not_selected"
WRONG_TYPE = "answer.wrong_type"
OUT_OF_RANGE = "answer.out_of_range"
MISSING = "answer.missing"
MAX_EVIDENCE = 10
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
NOT_FOR_RESPONDENT = "answer.not_for_respondent"
UNKNOWN_OPTION = "answer.unknown_option"
UNKNOWN_MEDICINE = "answer.unknown_medicine"
TOO_LONG = "answer.too_long"
# a template's scale indicator on another scale than the one the template states
OFF_SCALE = "template.invalid"

MAX_REASON_LENGTH = 2000

# A checker gets the answer's value and its field path, and returns the problems it finds.
Checker = Callable[[Any, str], list[FieldError]]


def _error(field: str, code: str, message: str) -> list[FieldError]:
    return [FieldError(field=field, message=message, code=code)]


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _bounded(value: Any, field: str, low: float | None, high: float | None) -> list[FieldError]:
    if (low is not None and value < low) or (high is not None and value > high):
        span = f"{'' if low is None else low}..{'' if high is None else high}"
        return _error(field, OUT_OF_RANGE, f"{value} is outside {span}")
    return []


def _scale(spec: Scale) -> Checker:
    def check(value: Any, field: str) -> list[FieldError]:
        if not _is_int(value):
            return _error(field, WRONG_TYPE, f"a whole score from {spec.min} to {spec.max}")
        return _bounded(value, field, spec.min, spec.max)

    return check


def _yes_no(_: YesNo) -> Checker:
    def check(value: Any, field: str) -> list[FieldError]:
        return [] if isinstance(value, bool) else _error(field, WRONG_TYPE, "true or false")

    return check


def _count(spec: Count) -> Checker:
    def check(value: Any, field: str) -> list[FieldError]:
        if not _is_int(value):
            return _error(field, WRONG_TYPE, "a whole number")
        return _bounded(value, field, 0, spec.max)

    return check


def _number(spec: Number) -> Checker:
    def check(value: Any, field: str) -> list[FieldError]:
        if not (_is_int(value) if spec.integer else _is_number(value)):
            return _error(field, WRONG_TYPE, "a whole number" if spec.integer else "a number")
        return _bounded(value, field, spec.min, spec.max)

    return check


def _money(spec: Money) -> Checker:
    def check(value: Any, field: str) -> list[FieldError]:
        if not _is_int(value):
            return _error(field, WRONG_TYPE, "a whole amount in tögrög (MNT)")
        return _bounded(value, field, 0, spec.max)

    return check


def _single_choice(spec: SingleChoice) -> Checker:
    keys = {option.key for option in spec.options}

    def check(value: Any, field: str) -> list[FieldError]:
        if not isinstance(value, str):
            return _error(field, WRONG_TYPE, "one option key")
        if value not in keys:
            return _error(field, UNKNOWN_OPTION, f"{value!r} is not one of {sorted(keys)}")
        return []

    return check


def _multi_choice(spec: MultiChoice) -> Checker:
    keys = {option.key for option in spec.options}

    def check(value: Any, field: str) -> list[FieldError]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return _error(field, WRONG_TYPE, "a list of option keys")
        errors = [
            FieldError(
                field=f"{field}[{i}]", message=f"{item!r} is not an option", code=UNKNOWN_OPTION
            )
            for i, item in enumerate(value)
            if item not in keys
        ]
        if len(set(value)) != len(value):
            errors += _error(field, WRONG_TYPE, "each option at most once")
        return errors

    return check


def _text(spec: FreeText) -> Checker:
    def check(value: Any, field: str) -> list[FieldError]:
        if not isinstance(value, str):
            return _error(field, WRONG_TYPE, "text")
        if len(value) > spec.max_length:
            return _error(field, TOO_LONG, f"at most {spec.max_length} characters")
        return []

    return check


def _entitlement(_: Entitlement) -> Checker:
    def check(value: Any, field: str) -> list[FieldError]:
        if not isinstance(value, dict) or set(value) != {"entitled", "actual"}:
            return _error(field, WRONG_TYPE, "an object with `entitled` and `actual`")
        errors: list[FieldError] = []
        for part in ("entitled", "actual"):
            if not _is_number(value[part]):
                errors += _error(f"{field}.{part}", WRONG_TYPE, "a number")
            else:
                errors += _bounded(value[part], f"{field}.{part}", 0, None)
        return errors

    return check


# Each tracer medicine's check: the WHO/HAI items a monitor records at the counter.
_MEDICINE_FLAGS = ("in_stock", "expired", "discounted_available", "price_displayed")
_MEDICINE_DAYS = {"stockout_days_30": 30, "stockout_days_90": 90}
_MEDICINE_PRICES = ("generic_price", "originator_price")
MEDICINE_FIELDS = frozenset((*_MEDICINE_FLAGS, *_MEDICINE_DAYS, *_MEDICINE_PRICES))


def _one_medicine(value: Any, field: str) -> list[FieldError]:
    if not isinstance(value, dict):
        return _error(field, WRONG_TYPE, "an object with the medicine's check")
    errors: list[FieldError] = []
    for name in sorted(set(value) - MEDICINE_FIELDS):
        errors += _error(f"{field}.{name}", UNKNOWN_INDICATOR, f"unknown item {name!r}")
    for name in _MEDICINE_FLAGS:
        if name not in value:
            errors += _error(f"{field}.{name}", MISSING, "required")
        elif not isinstance(value[name], bool):
            errors += _error(f"{field}.{name}", WRONG_TYPE, "true or false")
    for name, days in _MEDICINE_DAYS.items():
        if name not in value:
            errors += _error(f"{field}.{name}", MISSING, "required")
        elif not _is_int(value[name]):
            errors += _error(f"{field}.{name}", WRONG_TYPE, "a whole number of days")
        else:
            errors += _bounded(value[name], f"{field}.{name}", 0, days)
    short, long = value.get("stockout_days_30"), value.get("stockout_days_90")
    if isinstance(short, int) and isinstance(long, int) and _is_int(short) and short > long:
        errors += _error(
            f"{field}.stockout_days_90", OUT_OF_RANGE, "fewer stock-out days in 90 than in 30"
        )
    for name in _MEDICINE_PRICES:
        price = value.get(name)
        if price is None:
            continue  # not sold here, or no such version on the shelf
        if not _is_int(price):
            errors += _error(f"{field}.{name}", WRONG_TYPE, "a whole unit price in tögrög")
        else:
            errors += _bounded(price, f"{field}.{name}", 0, None)
    return errors


def _medicine_check(spec: MedicineCheck) -> Checker:
    medicines = set(spec.medicines)

    def check(value: Any, field: str) -> list[FieldError]:
        if not isinstance(value, dict):
            return _error(field, WRONG_TYPE, "an object keyed by tracer medicine")
        errors: list[FieldError] = []
        for key, item in value.items():
            if key not in medicines:
                errors += _error(f"{field}.{key}", UNKNOWN_MEDICINE, f"{key!r} is not on this list")
            else:
                errors += _one_medicine(item, f"{field}.{key}")
        return errors

    return check


_CHECKERS: dict[type, Callable[[Any], Checker]] = {
    Scale: _scale,
    YesNo: _yes_no,
    Count: _count,
    Number: _number,
    Money: _money,
    SingleChoice: _single_choice,
    MultiChoice: _multi_choice,
    FreeText: _text,
    Entitlement: _entitlement,
    MedicineCheck: _medicine_check,
}


@dataclass(frozen=True, slots=True)
class CompiledTemplate:
    indicators: dict[str, Indicator]
    checkers: dict[str, Checker]
    # the template's scale: a round's raised scale indicators are scored on it
    scale: Scale
    # keys of a round's raised indicators that are not (or no longer) scored
    unselected: frozenset[str] = frozenset()

    def with_raised(self, selected: list[Indicator], unselected: set[str]) -> CompiledTemplate:
        """The template with a round's selected raised indicators beside its own."""
        return CompiledTemplate(
            indicators={**self.indicators, **{i.key: i for i in selected}},
            checkers={
                **self.checkers,
                **{i.key: _CHECKERS[type(i.answer)](i.answer) for i in selected},
            },
            scale=self.scale,
            unselected=frozenset(unselected),
        )

    def validate(self, answers: Mapping[str, Any], *, respondent: str) -> list[FieldError]:
        """Every problem in `answers` (key -> value, reason, suggestion) for this respondent."""
        errors: list[FieldError] = []
        for key, answer in answers.items():
            field = f"answers.{key}"
            indicator = self.indicators.get(key)
            if indicator is None and key in self.unselected:
                errors += _error(field, NOT_SELECTED, f"{key!r} was not selected for scoring")
                continue
            if indicator is None:
                errors += _error(field, UNKNOWN_INDICATOR, f"no indicator {key!r} in this template")
                continue
            if respondent not in indicator.respondents:
                errors += _error(
                    field, NOT_FOR_RESPONDENT, f"{key!r} is not answered by the {respondent}"
                )
                continue
            if not isinstance(answer, Mapping) or "value" not in answer:
                errors += _error(field, WRONG_TYPE, "an object with a `value`")
                continue
            for note in ("reason", "suggestion"):
                text = answer.get(note)
                if text is not None and not isinstance(text, str):
                    errors += _error(f"{field}.{note}", WRONG_TYPE, "text")
                elif text is not None and len(text) > MAX_REASON_LENGTH:
                    errors += _error(f"{field}.{note}", TOO_LONG, f"at most {MAX_REASON_LENGTH}")
            errors += _evidence(answer.get("evidence"), f"{field}.evidence")
            value = answer["value"]
            if value is None:
                if indicator.required:
                    errors += _error(f"{field}.value", MISSING, "an answer is required")
                continue
            errors += self.checkers[key](value, f"{field}.value")
        for key, indicator in self.indicators.items():
            if indicator.required and respondent in indicator.respondents and key not in answers:
                errors += _error(f"answers.{key}", MISSING, "an answer is required")
        return errors


def _evidence(evidence: Any, field: str) -> list[FieldError]:
    """Photos or documents backing an answer, by sha256 (the price list, the stock card)."""
    if evidence is None:
        return []
    if not isinstance(evidence, list) or len(evidence) > MAX_EVIDENCE:
        return _error(field, WRONG_TYPE, f"a list of at most {MAX_EVIDENCE} sha256 hashes")
    return [
        error
        for i, sha in enumerate(evidence)
        if not (isinstance(sha, str) and _SHA256.match(sha))
        for error in _error(f"{field}[{i}]", WRONG_TYPE, "a sha256 hash, 64 lowercase hex")
    ]


def compile_template(document: TemplateDocument) -> CompiledTemplate:
    return CompiledTemplate(
        indicators={indicator.key: indicator for indicator in document.indicators},
        checkers={
            indicator.key: _CHECKERS[type(indicator.answer)](indicator.answer)
            for indicator in document.indicators
        },
        scale=template_scale(document),
    )


def scale_problems(document: TemplateDocument) -> list[FieldError]:
    """A template that states its scale scores every scale indicator on it: the groups' scores
    of its indicators and of the round's raised ones then compare point for point. Each
    indicator's answers are still checked against its own min and max (`_scale`)."""
    if document.scale is None:
        return []
    low, high = SCALES[document.scale]
    return [
        error
        for i, indicator in enumerate(document.indicators)
        if isinstance(indicator.answer, Scale)
        and (indicator.answer.min, indicator.answer.max) != (low, high)
        for error in _error(
            f"indicators[{i}].answer",
            OFF_SCALE,
            f"the template scores on {low}-{high} ({document.scale}), "
            f"not {indicator.answer.min}-{indicator.answer.max}",
        )
    ]
