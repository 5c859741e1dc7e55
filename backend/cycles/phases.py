"""The phases of one scorecard round, in order; they only move forward."""

from __future__ import annotations

PHASES = (
    "preparation",
    "input_tracking",
    "community_scoring",
    "self_assessment",
    "interface_meeting",
    "action_plan",
    "follow_up",
    "closed",
)

# Phases in which tablets may still submit and edit scores.
SCORING_PHASES = frozenset({"input_tracking", "community_scoring", "self_assessment"})


def position(phase: str) -> int:
    return PHASES.index(phase)


def is_forward(current: str, target: str) -> bool:
    return position(target) > position(current)
