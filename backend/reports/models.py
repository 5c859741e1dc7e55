"""Per-cycle statistics: the numeric answers of a round summed per facility and indicator,
kept current in the writing transaction by triggers on `submission` (migration
b6e8a1c3d5f7: each statement's deltas wait in a temporary table and are added once, at
commit), so a roll-up reads one row per round and indicator instead of every answer's
JSON."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.database.session import Base
from backend.submissions.models import Submission


class CycleStatistic(Base):
    """The answers of one round to one indicator, as `queries.scored_answers` counts them
    (live submissions; numbers as they are, yes/no as 1/0): per kind of respondent, n answers,
    their total and (community) the groups' participants summed over those answers.

    Community groups under `access.MIN_GROUP_SIZE` are summed apart (`small_*`), so an
    outsider's figures are read without them. Only additive figures: two pushes writing the
    same cell each add their delta and neither is lost; a cell left with no answer is
    deleted."""

    __tablename__ = "cycle_statistic"

    cycle_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("cycle.id"), primary_key=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"), primary_key=True)
    indicator: Mapped[str] = mapped_column(Text, primary_key=True)
    community_n: Mapped[int] = mapped_column(BigInteger)
    community_participants: Mapped[int] = mapped_column(BigInteger)
    # exact (numeric), so adding and taking away the same answers leaves no rounding behind
    community_total: Mapped[Decimal] = mapped_column(Numeric)
    small_n: Mapped[int] = mapped_column(BigInteger)
    small_participants: Mapped[int] = mapped_column(BigInteger)
    small_total: Mapped[Decimal] = mapped_column(Numeric)
    provider_n: Mapped[int] = mapped_column(BigInteger)
    provider_total: Mapped[Decimal] = mapped_column(Numeric)
    monitor_n: Mapped[int] = mapped_column(BigInteger)
    monitor_total: Mapped[Decimal] = mapped_column(Numeric)


# The date a round was held is its first community session's (`rollup_queries.rollup_rounds`):
# found per round from this index alone, with the group's size for an outsider's rule.
first_session = Index(
    "ix_submission_first_session",
    Submission.cycle_id,
    Submission.collected_at,
    postgresql_where=(Submission.respondent == "community") & Submission.deleted_at.is_(None),
    postgresql_include=["participants"],
)
