"""The answer validator on every indicator type, without a database."""

import pytest

from backend.scorecards.document import TemplateDocument, decode_document
from backend.scorecards.service import FAMILIES_DIR
from backend.scorecards.validation import (
    MISSING,
    NOT_FOR_RESPONDENT,
    OUT_OF_RANGE,
    TOO_LONG,
    UNKNOWN_INDICATOR,
    UNKNOWN_MEDICINE,
    UNKNOWN_OPTION,
    WRONG_TYPE,
    compile_template,
)

FAMILIES = FAMILIES_DIR


def _doc(name: str) -> TemplateDocument:
    return decode_document((FAMILIES / f"{name}.json").read_bytes())


SCHOOL = compile_template(_doc("parent_engagement"))
MEDICINES = compile_template(_doc("medicine_availability"))
INSURANCE = compile_template(_doc("health_insurance"))


def _a(value, reason=None):  # type: ignore[no-untyped-def]
    return {"value": value, "reason": reason, "suggestion": None}


def _complete_school_community() -> dict:
    return {
        "council_meetings": _a(4),
        "consulted_on_plan": _a(2, "Only the council chair is asked"),
        "budget_published": _a(False),
        "informal_contributions": _a(True),
        "contribution_amount": _a(20000),
        "teacher_attendance": _a(3),
        "toilets_and_water": _a(True),
        "complaints_answered": _a(2),
        "inclusion": _a(4),
    }


def _codes(errors) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(error.field, error.code) for error in errors]


def test_a_complete_community_scorecard_passes() -> None:
    assert SCHOOL.validate(_complete_school_community(), respondent="community") == []


def test_scale_rejects_out_of_range_fractions_and_booleans() -> None:
    answers = _complete_school_community()
    answers["consulted_on_plan"] = _a(6)
    answers["teacher_attendance"] = _a(2.5)
    answers["inclusion"] = _a(True)
    assert _codes(SCHOOL.validate(answers, respondent="community")) == [
        ("answers.consulted_on_plan.value", OUT_OF_RANGE),
        ("answers.teacher_attendance.value", WRONG_TYPE),
        ("answers.inclusion.value", WRONG_TYPE),
    ]


def test_yes_no_count_and_money_types() -> None:
    answers = _complete_school_community()
    answers["budget_published"] = _a("yes")
    answers["council_meetings"] = _a(-1)
    answers["contribution_amount"] = _a(1500.5)
    assert _codes(SCHOOL.validate(answers, respondent="community")) == [
        ("answers.council_meetings.value", OUT_OF_RANGE),
        ("answers.budget_published.value", WRONG_TYPE),
        ("answers.contribution_amount.value", WRONG_TYPE),
    ]


def test_missing_required_and_optional_left_out() -> None:
    answers = _complete_school_community()
    del answers["inclusion"]
    del answers["contribution_amount"]  # optional
    answers["teacher_attendance"] = _a(None)
    assert _codes(SCHOOL.validate(answers, respondent="community")) == [
        ("answers.teacher_attendance.value", MISSING),
        ("answers.inclusion", MISSING),
    ]


def test_unknown_indicator_and_not_for_this_respondent() -> None:
    answers = _complete_school_community()
    answers["favourite_colour"] = _a("blue")
    answers["textbooks_per_pupil"] = _a({"entitled": 12, "actual": 7})  # monitors and providers
    assert _codes(SCHOOL.validate(answers, respondent="community")) == [
        ("answers.favourite_colour", UNKNOWN_INDICATOR),
        ("answers.textbooks_per_pupil", NOT_FOR_RESPONDENT),
    ]


def test_entitlement_and_multi_choice_for_a_monitor() -> None:
    good = {
        "budget_published": _a(True),
        "textbooks_per_pupil": _a({"entitled": 12, "actual": 7.5}),
        "dormitory_checklist": _a(["heating", "food"]),
        "toilets_and_water": _a(False),
    }
    assert SCHOOL.validate(good, respondent="monitor") == []
    bad = good | {
        "textbooks_per_pupil": _a({"entitled": -1, "actual": "many"}),
        "dormitory_checklist": _a(["heating", "wifi"]),
    }
    assert _codes(SCHOOL.validate(bad, respondent="monitor")) == [
        ("answers.textbooks_per_pupil.value.entitled", OUT_OF_RANGE),
        ("answers.textbooks_per_pupil.value.actual", WRONG_TYPE),
        ("answers.dormitory_checklist.value[1]", UNKNOWN_OPTION),
    ]


def _medicine(**overrides):  # type: ignore[no-untyped-def]
    check = {
        "in_stock": True,
        "expired": False,
        "stockout_days_30": 0,
        "stockout_days_90": 4,
        "discounted_available": True,
        "generic_price": 150,
        "originator_price": None,
        "price_displayed": True,
    }
    return check | overrides


def _medicine_answers(tracer: dict) -> dict:
    return {
        "tracer_check": _a(tracer),
        "price_list_displayed": _a(True),
        "discount_list_displayed": _a(False),
        "sold_above_ceiling": _a(False),
    }


def test_medicine_check_accepts_a_real_visit() -> None:
    tracer = {"metformin": _medicine(), "insulin": _medicine(in_stock=False, generic_price=None)}
    assert MEDICINES.validate(_medicine_answers(tracer), respondent="monitor") == []


def test_medicine_check_reports_each_problem_by_path() -> None:
    tracer = {
        "metformin": _medicine(stockout_days_30=12, stockout_days_90=5),
        "aspirin": _medicine(),
        "insulin": _medicine(generic_price="cheap", stockout_days_90=91),
        "ors": {"in_stock": True},
    }
    codes = _codes(MEDICINES.validate(_medicine_answers(tracer), respondent="monitor"))
    assert ("answers.tracer_check.value.metformin.stockout_days_90", OUT_OF_RANGE) in codes
    assert ("answers.tracer_check.value.aspirin", UNKNOWN_MEDICINE) in codes
    assert ("answers.tracer_check.value.insulin.stockout_days_90", OUT_OF_RANGE) in codes
    assert ("answers.tracer_check.value.insulin.generic_price", WRONG_TYPE) in codes
    assert ("answers.tracer_check.value.ors.expired", MISSING) in codes


def test_single_choice_number_and_text_limits() -> None:
    answers = {
        "knows_coverage": _a(3),
        "knows_where_to_complain": _a(True),
        "status_verified": _a(True),
        "discounted_medicine": _a("some", "x" * 2001),
        "official_copay": _a(5000),
        "waiting_minutes": _a(1500),
        "ease_of_use": _a(4),
        "services_adequate": _a(4),
        "overall_satisfaction": _a(5),
    }
    assert _codes(INSURANCE.validate(answers, respondent="community")) == [
        ("answers.discounted_medicine.reason", TOO_LONG),
        ("answers.discounted_medicine.value", UNKNOWN_OPTION),
        ("answers.waiting_minutes.value", OUT_OF_RANGE),
    ]


def test_provider_answers_only_its_own_indicators() -> None:
    answers = {
        "ease_of_use": _a(5),
        "services_adequate": _a(5),
        "overall_satisfaction": _a(5),
        "knows_coverage": _a(5),
    }
    assert _codes(INSURANCE.validate(answers, respondent="provider")) == [
        ("answers.knows_coverage", NOT_FOR_RESPONDENT)
    ]


@pytest.mark.parametrize("value", [None, "x", 3])
def test_an_answer_must_be_an_object_with_a_value(value) -> None:  # type: ignore[no-untyped-def]
    answers = _complete_school_community() | {"inclusion": value}
    errors = _codes(SCHOOL.validate(answers, respondent="community"))
    assert errors == [("answers.inclusion", WRONG_TYPE)]
