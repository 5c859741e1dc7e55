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
