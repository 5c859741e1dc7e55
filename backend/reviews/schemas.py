"""Review on the wire: the pieces of a round as a coordinator reads them, and decisions."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal

import msgspec

from backend.wire import Wire

State = Literal["awaiting", "passed", "hidden"]


class PieceOut(Wire):
    """One piece of community text or evidence as it reads now, and its review."""

    record_id: uuid.UUID
    # "<indicator>:reason", "<indicator>:suggestion", "photo:<sha256>" or "label"
    piece: str
    kind: Literal["reason", "suggestion", "photo", "label"]
    indicator: str
    # the focus group type of the submission; null for a raised issue's words
    group: str | None
    # the words (for a photo: its sha256, GET /sync/v1/attachments/{sha256})
    text: str
    # send it back with a decision: a piece changed since it was read is refused
    content_hash: str
    state: State
    note: str = ""
    decided_at: datetime | None = None
    # how the submission holding it arrived: "tablet", or "paper" (a sheet typed in at the
    # console by the submission's author); null for a raised issue's words
    source: str | None = None


class PiecePage(Wire):
    items: list[PieceOut]


class DecisionIn(Wire):
    record_id: uuid.UUID
    piece: Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
    content_hash: Annotated[str, msgspec.Meta(pattern="^[0-9a-f]{64}$")]
    # pass: providers and viewers may read it; hide: they may not (withdraws a passed piece)
    decision: Literal["pass", "hide"]
    # why a piece is hidden or withdrawn; required then, read by the programme's team
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class DecisionsIn(Wire):
    decisions: Annotated[list[DecisionIn], msgspec.Meta(min_length=1, max_length=500)]


# a submission as a coordinator decided on it; "unreviewed" while nobody has
SubmissionState = Literal["approved", "has_issues", "rejected"]
ReviewState = Literal["unreviewed", "approved", "has_issues", "rejected"]


class SubmissionDecisionIn(Wire):
    """A coordinator's decision on a submission as read at `version`."""

    state: SubmissionState
    # the submission's version as read (its `version` in the pull, or in the decisions' list):
    # a submission changed since is refused (`review.submission_changed`)
    version: Annotated[int, msgspec.Meta(ge=1)]
    # why it has issues or is rejected: required then; read by the programme's team and the
    # team that collected it, never by providers or viewers
    note: Annotated[str, msgspec.Meta(max_length=2000)] = ""


class SubmissionDecisionOut(Wire):
    """One decision, kept as made."""

    state: SubmissionState
    note: str
    # the submission's version it was made on
    version: int
    decided_by: uuid.UUID
    decided_at: datetime


class SubmissionReviewOut(Wire):
    """A submission's review: its state now, and every decision on it, oldest first."""

    submission_id: uuid.UUID
    # the submission's version now
    version: int
    # the latest decision's state, or "unreviewed"
    state: ReviewState
    # the submission was edited after the latest decision (e.g. "changed since approved"): it
    # awaits a new look, and reports counting approved submissions only leave it out
    changed: bool
    decisions: list[SubmissionDecisionOut]


class ReviewRecord(Wire):
    """A submission's review as the tablets of the team that collected it receive it (the pulled
    submission's `review`; null while nobody has decided, and always for providers)."""

    state: SubmissionState
    note: str
    decided_at: datetime
    # the submission's version the decision was made on
    version: int
    # the submission was edited after the decision: it awaits a new look
    changed: bool
