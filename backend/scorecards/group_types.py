"""The focus groups the programme scores with, by type key, in Mongolian and English.

A round plans its groups by these keys (`planned_groups`, a submission's `group.type`); the
keys are open (a programme may add a group of its own, e.g. `dormitory_pupils`), and a key
with no label here reads as its words ("Dormitory pupils"), never as a key."""

from __future__ import annotations

from backend.scorecards.document import LocalText

GROUP_TYPES: dict[str, LocalText] = {
    "women": LocalText(mn="Эмэгтэйчүүд", en="Women"),
    "men": LocalText(mn="Эрэгтэйчүүд", en="Men"),
    "youth": LocalText(mn="Залуучууд", en="Youth"),
    "elderly": LocalText(mn="Ахмад настан", en="Elderly people"),
    "people_with_disabilities": LocalText(
        mn="Хөгжлийн бэрхшээлтэй иргэд", en="People with disabilities"
    ),
    "herders": LocalText(mn="Малчид", en="Herders"),
    "parents": LocalText(mn="Эцэг эхчүүд", en="Parents"),
    "students": LocalText(mn="Сурагчид", en="Students"),
    "teachers": LocalText(mn="Багш нар", en="Teachers"),
}


def group_label(group_type: str) -> LocalText:
    """A group type's name in both languages; an unlisted type is named by its key's words."""
    known = GROUP_TYPES.get(group_type)
    if known is not None:
        return known
    words = group_type.replace("_", " ").strip().capitalize() or group_type
    return LocalText(mn=words, en=words)
