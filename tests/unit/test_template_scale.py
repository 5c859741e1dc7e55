"""A template states its scale (1-5 faces, 1-10, 0-100); its scale indicators are on it."""

import msgspec
import pytest

from backend.scorecards.checks import check_document
from backend.scorecards.document import (
    Indicator,
    LocalText,
    Scale,
    TemplateDocument,
    YesNo,
    decode_document,
    encode_document,
    scale_key,
    template_scale,
)
from backend.scorecards.service import FAMILIES_DIR
from backend.scorecards.validation import compile_template, scale_problems

TEXT = LocalText(mn="Асуулт", en="Question")


def _document(scale: str | None, *answers: Scale | YesNo) -> TemplateDocument:
    return TemplateDocument(
        key="custom_scale",
        family="custom",
        name=TEXT,
        facility_types=["school"],
        sections=[],
        indicators=[
            Indicator(key=f"q{i}", section="s", label=TEXT, answer=a, respondents=["community"])
            for i, a in enumerate(answers)
        ],
        scale=scale,  # type: ignore[arg-type]
    )


def test_a_stated_scale_is_the_templates_and_its_scale_indicators_must_use_it() -> None:
    ten = _document("points_1_10", Scale(min=1, max=10), YesNo(), Scale(min=1, max=5))
    assert (template_scale(ten).min, template_scale(ten).max) == (1, 10)
    (problem,) = scale_problems(ten)
    assert problem.field == "indicators[2].answer"
    assert scale_problems(_document("percent_0_100", Scale(min=0, max=100), YesNo())) == []


def test_documents_that_state_no_scale_keep_the_scale_of_their_indicators() -> None:
    for name in ("parent_engagement", "medicine_availability", "health_insurance"):
        document = decode_document((FAMILIES_DIR / f"{name}.json").read_bytes())
        assert document.scale is None
        assert scale_problems(document) == []
        scale = template_scale(document)
        assert scale_key(scale.min, scale.max) == "faces_1_5"
    assert template_scale(_document(None, YesNo())) == Scale(min=1, max=5)
    assert scale_key(2, 7) is None


def test_answers_are_still_checked_against_each_indicators_own_scale() -> None:
    compiled = compile_template(_document("points_1_10", Scale(min=1, max=10)))
    assert compiled.validate({"q0": {"value": 10}}, respondent="community") == []
    (error,) = compiled.validate({"q0": {"value": 11}}, respondent="community")
    assert error.code == "answer.out_of_range"


def test_the_scale_round_trips_and_an_unknown_one_is_refused() -> None:
    document = _document("faces_1_5", Scale(min=1, max=5))
    assert decode_document(encode_document(document)).scale == "faces_1_5"
    raw = msgspec.to_builtins(document) | {"scale": "stars_1_7"}
    with pytest.raises(msgspec.ValidationError, match="scale"):
        msgspec.convert(raw, TemplateDocument)


def test_a_template_off_its_own_scale_is_refused_when_checked() -> None:
    off = _document("points_1_10", Scale(min=1, max=10), Scale(min=1, max=5))
    problems = [p for p in check_document(off, known_medicines=()) if "scores on" in p.message]
    assert [(p.field, p.code) for p in problems] == [("indicators[1].answer", "template.invalid")]
