"""The three shipped families: complete Mongolian and English text, sound structure."""

import re

import pytest

from backend.scorecards.checks import check_document
from backend.scorecards.document import LocalText, decode_document
from backend.scorecards.medicines import TRACER_MEDICINES
from backend.scorecards.service import FAMILIES_DIR

FAMILIES = FAMILIES_DIR
CYRILLIC = re.compile(r"[А-Яа-яЁёӨөҮү]")
NAMES = ["parent_engagement", "medicine_availability", "health_insurance"]


def _texts(node, path="$"):  # type: ignore[no-untyped-def]
    if isinstance(node, LocalText):
        yield path, node
    elif hasattr(node, "__struct_fields__"):
        for name in node.__struct_fields__:
            yield from _texts(getattr(node, name), f"{path}.{name}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _texts(item, f"{path}[{i}]")


@pytest.mark.parametrize("name", NAMES)
def test_every_text_is_in_mongolian_cyrillic_and_english(name: str) -> None:
    document = decode_document((FAMILIES / f"{name}.json").read_bytes())
    texts = list(_texts(document))
    assert len(texts) > 10
    for path, text in texts:
        assert CYRILLIC.search(text.mn), f"{path}: {text.mn!r} is not Cyrillic"
        assert not CYRILLIC.search(text.en), f"{path}: {text.en!r} is not English"


@pytest.mark.parametrize("name", NAMES)
def test_family_documents_pass_the_template_checks(name: str) -> None:
    document = decode_document((FAMILIES / f"{name}.json").read_bytes())
    assert document.key == name == document.family
    assert check_document(document, known_medicines={m.key for m in TRACER_MEDICINES}) == []


def test_the_medicine_family_checks_the_whole_tracer_basket() -> None:
    document = decode_document((FAMILIES / "medicine_availability.json").read_bytes())
    check = next(
        i for i in document.indicators if i.answer.__struct_config__.tag == "medicine_check"
    )
    assert set(check.answer.medicines) == {m.key for m in TRACER_MEDICINES}
    for medicine in TRACER_MEDICINES:
        assert medicine.reference_price_mnt > 0
        assert CYRILLIC.search(medicine.name_mn)


def test_each_family_asks_community_and_provider_the_same_questions_somewhere() -> None:
    """The interface meeting compares the two: each family has indicators both answer."""
    for name in NAMES:
        document = decode_document((FAMILIES / f"{name}.json").read_bytes())
        shared = [
            i.key for i in document.indicators if {"community", "provider"} <= set(i.respondents)
        ]
        assert shared, name
