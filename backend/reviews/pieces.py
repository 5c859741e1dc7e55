"""The pieces of community text and evidence a round holds, and which of them an outsider may
read: a reason, a suggestion, a photo, the words of a raised issue.

A piece is known by its record, its place in the record and the hash of its content, so a
decision is about the words as the coordinator read them: a reason edited after it passed is a
new piece and waits again, and a piece nobody decided on waits. What a provider wrote in its
own self-assessment is its own and waits for nobody.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles.models import CycleIndicator
from backend.reviews.models import PieceReview
from backend.submissions.models import Submission

Kind = Literal["reason", "suggestion", "photo", "label"]
# a raised issue's words reach outsiders as long as the issue stands; dropped and merged-away
# records are not for outsiders at all
STANDING = ("proposed", "selected")
PieceKey = tuple[uuid.UUID, str, str]


def visible(text: str) -> str:
    """A text without what a reader cannot see (spaces, invisible and control characters): a
    reason or note made of nothing else says nothing."""
    return "".join(c for c in text if unicodedata.category(c)[0] not in "ZC").strip()


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def label_text(label: Mapping[str, Any]) -> str:
    """A raised issue's words as one text: the Mongolian, then the English if any."""
    return f"{label.get('mn') or ''}\n{label.get('en') or ''}"


@dataclass(frozen=True, slots=True)
class Piece:
    record_id: uuid.UUID
    piece: str
    content_hash: str
    cycle_id: uuid.UUID
    kind: Kind
    indicator: str
    # the focus group type (a submission's), or None for a raised issue's words
    group: str | None
    # the words, or the photo's sha256
    text: str
    # how the submission holding it arrived: "tablet", or "paper" (typed in at the console);
    # None for a raised issue's words
    source: str | None = None

    @property
    def key(self) -> PieceKey:
        return (self.record_id, self.piece, self.content_hash)


def of_submission(row: Submission) -> list[Piece]:
    """A community group's or a monitor's words and photos, answer by answer."""
    if row.respondent == "provider" or row.deleted_at is not None:
        return []
    group = (row.group or {}).get("type")
    found: list[Piece] = []
    # a photo is one piece of its record however many answers it backs (a typed paper sheet's
    # photo backs them all): listed once, beside the first of them
    photos: set[str] = set()
    for key, answer in sorted((row.answers or {}).items()):
        if not isinstance(answer, Mapping):
            continue
        for kind in ("reason", "suggestion"):
            text = answer.get(kind)
            if isinstance(text, str) and text.strip():
                found.append(
                    Piece(
                        row.id,
                        f"{key}:{kind}",
                        digest(text),
                        row.cycle_id,
                        kind,
                        key,
                        group,
                        text,
                        row.source,
                    )
                )
        evidence = answer.get("evidence")
        for sha in dict.fromkeys(evidence if isinstance(evidence, list) else []):
            if isinstance(sha, str) and sha not in photos:
                photos.add(sha)
                found.append(
                    Piece(
                        row.id,
                        f"photo:{sha}",
                        sha,
                        row.cycle_id,
                        "photo",
                        key,
                        group,
                        sha,
                        row.source,
                    )
                )
    return found


def of_indicator(row: CycleIndicator) -> list[Piece]:
    """A community-raised issue's words, while it stands."""
    if row.origin != "community" or row.status not in STANDING or row.deleted_at is not None:
        return []
    text = label_text(row.label)
    return [Piece(row.id, "label", digest(text), row.cycle_id, "label", row.key, None, text)]


async def present(db: AsyncSession, cycle_id: uuid.UUID) -> list[Piece]:
    """Every piece the round holds now."""
    found: list[Piece] = []
    for submission in await db.scalars(
        select(Submission)
        .where(Submission.cycle_id == cycle_id, Submission.deleted_at.is_(None))
        .order_by(Submission.collected_at, Submission.id)
    ):
        found += of_submission(submission)
    for indicator in await db.scalars(
        select(CycleIndicator)
        .where(CycleIndicator.cycle_id == cycle_id, CycleIndicator.deleted_at.is_(None))
        .order_by(CycleIndicator.created_at, CycleIndicator.id)
    ):
        found += of_indicator(indicator)
    return found


async def decisions(
    db: AsyncSession, cycle_ids: Iterable[uuid.UUID]
) -> dict[PieceKey, PieceReview]:
    rows = await db.scalars(
        select(PieceReview)
        .where(PieceReview.cycle_id.in_(list(cycle_ids)))
        # decisions are written by statement: read them as stored, not as first loaded
        .execution_options(populate_existing=True)
    )
    return {(row.record_id, row.piece, row.content_hash): row for row in rows}


@dataclass(frozen=True, slots=True)
class Passed:
    """Which pieces a reader may read: all of them (the programme's team), or those passed."""

    everything: bool
    keys: frozenset[PieceKey]

    def shows(self, record_id: uuid.UUID, piece: str, text: str) -> bool:
        return self.everything or (record_id, piece, digest(text)) in self.keys

    def shows_label(self, row: CycleIndicator) -> bool:
        return self.shows(row.id, "label", label_text(row.label))


async def passed_for(
    db: AsyncSession, principal: Principal, cycle_ids: Iterable[uuid.UUID]
) -> Passed:
    if not access.is_outsider(principal):
        return Passed(True, frozenset())
    found = await decisions(db, cycle_ids)
    return Passed(False, frozenset(key for key, row in found.items() if row.state == "passed"))


async def all_decided(db: AsyncSession, cycle_id: uuid.UUID) -> bool:
    """Nothing in the round awaits review."""
    decided = await decisions(db, [cycle_id])
    return all(piece.key in decided for piece in await present(db, cycle_id))
