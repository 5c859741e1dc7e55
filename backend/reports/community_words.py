"""The community's reasons and suggestions on a scorecard, each piece as far as the reader may
read it (`backend/reviews/pieces.py`): every piece for the programme's team, the passed ones for
providers and viewers, from cells the reader may count."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.policy import Principal
from backend.reports import queries
from backend.reports.schemas import ReasonOut
from backend.reviews import pieces


async def readable(
    db: AsyncSession, principal: Principal, cycle_id: uuid.UUID, passed: pieces.Passed
) -> dict[str, list[ReasonOut]]:
    """The community's reasons and suggestions, each as far as the reader may read it."""
    found: dict[str, list[ReasonOut]] = defaultdict(list)
    for row in await queries.community_reasons(db, principal, cycle_id):
        reason = _piece(passed, row, "reason", row.reason)
        suggestion = _piece(passed, row, "suggestion", row.suggestion)
        if reason or suggestion:
            found[row.indicator].append(
                ReasonOut(group=row.group_type, reason=reason, suggestion=suggestion)
            )
    return found


def _piece(passed: pieces.Passed, row: Any, kind: str, text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    return text if passed.shows(row.submission_id, f"{row.indicator}:{kind}", text) else None
