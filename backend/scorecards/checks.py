"""Checking a template document as a whole (import, edit): every problem at once, by path."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from backend.errors import FieldError
from backend.facilities.models import FACILITY_TYPES
from backend.scorecards.document import (
    MedicineCheck,
    MultiChoice,
    Number,
    Scale,
    SingleChoice,
    TemplateDocument,
)
from backend.scorecards.validation import scale_problems


def _duplicates(keys: list[str]) -> set[str]:
    return {key for key, count in Counter(keys).items() if count > 1}


def check_document(
    document: TemplateDocument, *, known_medicines: Collection[str]
) -> list[FieldError]:
    errors: list[FieldError] = []

    def problem(field: str, message: str) -> None:
        errors.append(FieldError(field=field, message=message, code="template.invalid"))

    if not document.facility_types:
        problem("facility_types", "name at least one facility type")
    for i, kind in enumerate(document.facility_types):
        if kind not in FACILITY_TYPES:
            problem(f"facility_types[{i}]", f"unknown facility type {kind!r}")
    if not document.indicators:
        problem("indicators", "a template needs at least one indicator")

    section_keys = [section.key for section in document.sections]
    for key in _duplicates(section_keys):
        problem("sections", f"section key {key!r} is used twice")
    for key in _duplicates([indicator.key for indicator in document.indicators]):
        problem("indicators", f"indicator key {key!r} is used twice")

    for i, indicator in enumerate(document.indicators):
        at = f"indicators[{i}]"
        if indicator.section not in section_keys:
            problem(f"{at}.section", f"no section {indicator.section!r}")
        if not indicator.respondents:
            problem(f"{at}.respondents", "name who answers this indicator")
        answer = indicator.answer
        if isinstance(answer, Scale):
            if answer.min >= answer.max:
                problem(f"{at}.answer.max", "max must be above min")
            for j, point in enumerate(answer.points):
                if not answer.min <= point.value <= answer.max:
                    problem(f"{at}.answer.points[{j}].value", "point outside the scale")
        elif isinstance(answer, Number):
            if answer.min is not None and answer.max is not None and answer.min >= answer.max:
                problem(f"{at}.answer.max", "max must be above min")
        elif isinstance(answer, SingleChoice | MultiChoice):
            if len(answer.options) < 2:
                problem(f"{at}.answer.options", "offer at least two options")
            for key in _duplicates([option.key for option in answer.options]):
                problem(f"{at}.answer.options", f"option key {key!r} is used twice")
        elif isinstance(answer, MedicineCheck):
            if not answer.medicines:
                problem(f"{at}.answer.medicines", "list the tracer medicines to check")
            for j, key in enumerate(answer.medicines):
                if key not in known_medicines:
                    problem(f"{at}.answer.medicines[{j}]", f"unknown tracer medicine {key!r}")
    # a template that states its scale scores every scale indicator on it
    errors += scale_problems(document)
    return errors
