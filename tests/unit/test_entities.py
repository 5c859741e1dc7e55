"""Each synced record declares itself to the sync engine; the engine names none of them."""

import dataclasses
import re
from pathlib import Path

import pytest

from backend import entities  # noqa: F401 (registers the synced records)
from backend.action_plans.models import (
    ACTION_STAGES,
    ACTION_STATUSES,
    MEETING_STAGES,
    MEETING_STATUSES,
)
from backend.action_plans.sync import ACTION_ITEM
from backend.sync import entity

SYNC = Path(__file__).resolve().parents[2] / "backend" / "sync"


def test_the_records_are_registered_after_the_records_they_refer_to() -> None:
    names = [kind.name for kind in entity.registered()]
    assert set(names) == {
        "submission",
        "interface_meeting",
        "action_item",
        "action_update",
        "cycle_indicator",
    }
    for position, kind in enumerate(entity.registered()):
        assert set(kind.references.values()) <= set(names[:position])


def test_an_entity_referring_to_one_registered_later_is_refused() -> None:
    early = dataclasses.replace(ACTION_ITEM, name="early_item", references={"x_id": "later"})
    with pytest.raises(ValueError, match="registered after it"):
        entity.register(early)
    assert entity.find("early_item") is None


def test_an_entity_name_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered already"):
        entity.register(ACTION_ITEM)


def test_every_status_has_a_lifecycle_stage() -> None:
    assert tuple(MEETING_STAGES) == MEETING_STATUSES
    assert tuple(ACTION_STAGES) == ACTION_STATUSES
    assert ACTION_ITEM.lifecycle_rank == {"status": ACTION_STAGES}


def test_the_sync_engine_names_no_record_it_carries() -> None:
    pulled = ["area", "facility", "cycle", "template_version", "raised_tag"]
    assert all(entity.find_pulled(name) is not None for name in pulled)
    names = [kind.name for kind in entity.registered()] + pulled
    for source in SYNC.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        for name in names:
            assert not re.search(rf"[\"']{name}[\"']", text), (source.name, name)
        assert "backend.submissions" not in text, source.name
        assert "backend.action_plans" not in text, source.name
