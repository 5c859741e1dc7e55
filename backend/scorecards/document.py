"""A template version as a document: sections and indicators with stable keys, in mn and en.

This is both what the database keeps for a version and the JSON that programmes export and
import to share templates. Answer kinds are a tagged union on `type`.
"""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from backend.wire import Wire

# the tablet contract published these under schemas/templates/ before the package was named
# scorecards; a published path stays
CONTRACT_AREA = "templates"

Key = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
Respondent = Literal["community", "provider", "monitor"]
RESPONDENTS: tuple[Respondent, ...] = ("community", "provider", "monitor")
FAMILIES = ("parent_engagement", "medicine_availability", "health_insurance", "custom")
DOCUMENT_FORMAT = 1
# The scales a template may state: 1-5 faces (very bad ... very good) on tablets, 1-10, 0-100.
ScaleKey = Literal["faces_1_5", "points_1_10", "percent_0_100"]
SCALES: dict[str, tuple[int, int]] = {
    "faces_1_5": (1, 5),
    "points_1_10": (1, 10),
    "percent_0_100": (0, 100),
}


class LocalText(Wire):
    """The same text in Mongolian (Cyrillic) and English."""

    mn: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    en: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class ScalePoint(Wire):
    value: int
    label: LocalText


class Option(Wire):
    key: Key
    label: LocalText


class Scale(Wire, tag="scale"):
    """A score between min and max, e.g. 1-5 faces from very bad to very good."""

    min: int
    max: int
    points: list[ScalePoint] = msgspec.field(default_factory=list)


class YesNo(Wire, tag="yes_no"):
    """Yes or no."""


class Count(Wire, tag="count"):
    """A whole number of things or times, from 0."""

    max: int | None = None


class Number(Wire, tag="number"):
    """A measured quantity in a unit, within bounds."""

    unit: LocalText
    min: float | None = None
    max: float | None = None
    integer: bool = False


class Money(Wire, tag="money"):
    """An amount of money in tögrög (MNT), whole numbers."""

    max: int | None = None
    currency: Literal["MNT"] = "MNT"


class SingleChoice(Wire, tag="single_choice"):
    options: list[Option]


class MultiChoice(Wire, tag="multi_choice"):
    options: list[Option]


class FreeText(Wire, tag="text"):
    max_length: int = 2000


class Entitlement(Wire, tag="entitlement"):
    """Input tracking: what the facility is entitled to against what is really there."""

    unit: LocalText


class MedicineCheck(Wire, tag="medicine_check"):
    """One check per tracer medicine: stock, expiry, stock-outs, prices (WHO/HAI method)."""

    medicines: list[Key]


AnswerKind = (
    Scale
    | YesNo
    | Count
    | Number
    | Money
    | SingleChoice
    | MultiChoice
    | FreeText
    | Entitlement
    | MedicineCheck
)


class Section(Wire):
    key: Key
    title: LocalText


class Indicator(Wire):
    """One question, scored or answered by the respondents it names."""

    key: Key
    section: Key
    label: LocalText
    answer: AnswerKind
    respondents: list[Respondent]
    hint: LocalText | None = None
    required: bool = True
    # a reason (and a suggestion) is asked with every community score
    ask_reason: bool = False
    # which way is good: "lower" for informal payments, waiting times, prices above the ceiling
    better: Literal["higher", "lower"] = "higher"


class TemplateDocument(Wire):
    """A template version, complete: what it fits, its sections and its indicators in order."""

    key: Key
    family: Literal["parent_engagement", "medicine_availability", "health_insurance", "custom"]
    name: LocalText
    facility_types: list[str]
    sections: list[Section]
    indicators: list[Indicator]
    description: LocalText | None = None
    format: int = DOCUMENT_FORMAT
    # the template's scale: its scale indicators and the round's raised indicators are scored
    # on it; documents from before templates stated it have the scale of their indicators
    scale: ScaleKey | None = None


def template_scale(document: TemplateDocument) -> Scale:
    """The scale a template states, else the one its first scale indicator uses (documents
    written before templates stated a scale), else 1-5 faces."""
    if document.scale is not None:
        low, high = SCALES[document.scale]
        return Scale(min=low, max=high)
    return next(
        (i.answer for i in document.indicators if isinstance(i.answer, Scale)),
        Scale(min=1, max=5),
    )


def scale_key(low: float | None, high: float | None) -> str | None:
    """The key of a standard scale with these ends (None for any other range)."""
    return next((key for key, ends in SCALES.items() if ends == (low, high)), None)


def decode_document(raw: bytes | str) -> TemplateDocument:
    return msgspec.json.decode(raw, type=TemplateDocument)


def encode_document(document: TemplateDocument) -> bytes:
    return msgspec.json.encode(document)
