"""A coordinator's decisions: on one piece of community text or evidence, and on one
submission as a whole, each as it read then."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base

REVIEW_STATES = ("passed", "hidden")


class PieceReview(Base):
    """Passed or hidden: one piece (a reason, a suggestion, a photo, a raised issue's words)
    of one record, decided on its content as the coordinator read it. The content hash is
    part of the key: a piece edited afterwards is a new piece, awaiting review again, and a
    piece with no row at all awaits review."""

    __tablename__ = "piece_review"
    __table_args__ = (
        CheckConstraint("state IN ('passed', 'hidden')", name="state"),
        CheckConstraint("state = 'passed' OR note <> ''", name="hidden_says_why"),
        Index("ix_piece_review_cycle_id", "cycle_id"),
    )

    # the submission or raised indicator the piece belongs to
    record_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    # "<indicator>:reason", "<indicator>:suggestion", "photo:<sha256>" or "label"
    piece: Mapped[str] = mapped_column(Text, primary_key=True)
    # sha256 of the piece's text (of the photo's bytes: its own hash)
    content_hash: Mapped[str] = mapped_column(Text, primary_key=True)
    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id"))
    state: Mapped[str] = mapped_column(Text)
    # why a piece is hidden or withdrawn (required then); read by the programme's team
    note: Mapped[str] = mapped_column(Text, server_default="")
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


SUBMISSION_STATES = ("approved", "has_issues", "rejected")


class SubmissionReview(Base):
    """A coordinator's decision on one submission as it read then (its version): approved, has
    issues or rejected, with why. Never changed or removed: the latest decision on a
    submission is its state, and a submission edited since awaits a new look."""

    __tablename__ = "submission_review"
    __table_args__ = (
        CheckConstraint("state IN ('approved', 'has_issues', 'rejected')", name="state"),
        CheckConstraint("state = 'approved' OR note <> ''", name="says_why"),
        Index("ix_submission_review_submission_id", "submission_id", "id"),
        Index("ix_submission_review_cycle_id", "cycle_id"),
    )

    # in the order decided: the highest of a submission is its state
    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    submission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("submission.id"))
    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id"))
    state: Mapped[str] = mapped_column(Text)
    # why it has issues or was rejected (required then); the programme's team reads it, and
    # the tablets of the team that collected it
    note: Mapped[str] = mapped_column(Text, server_default="")
    # the submission's version the coordinator read: an edit since makes the decision old
    submission_version: Mapped[int] = mapped_column(Integer)
    decided_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
