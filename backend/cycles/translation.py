"""A raised indicator's English words and its direction, set by a coordinator on the server.

Groups raise issues in their own words (Mongolian); a coordinator translates them and says
which way is better so that reports can read them. The change is an edit of the synced record
(`Batch.edit`): the same rules as a tablet's update (a closed round does not change; once
scoring is over only the English label, the tag and the direction change, by a coordinator),
a new version in the record's history, and every tablet receives it at its next pull."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.policy import Principal
from backend.cycles import raised
from backend.cycles import service as cycles
from backend.cycles.models import CycleIndicator
from backend.cycles.schemas import IndicatorWordsIn, RaisedIndicatorOut
from backend.cycles.sync import CYCLE_INDICATOR
from backend.errors import FieldError, InvalidInput, NotFound
from backend.sync.apply import Batch
from backend.sync.entity import Rejected


class WordsRefused(InvalidInput):
    """The change breaks a rule of the record (the round closed, a role that may not change
    it, a value it may not hold); `errors[0].code` is the rule's own code."""

    code, status = "cycle_indicator.words_refused", 422


async def set_words(
    db: AsyncSession,
    *,
    principal: Principal,
    cycle_id: uuid.UUID,
    indicator_id: uuid.UUID,
    data: IndicatorWordsIn,
) -> RaisedIndicatorOut:
    await cycles.get(db, principal=principal, cycle_id=cycle_id)  # 404 if not visible
    batch = Batch(db, principal, principal.device_id)
    working = await batch.load(CYCLE_INDICATOR, indicator_id)
    if working is None or not working.in_scope or working.cycle_id != cycle_id:
        raise NotFound("No such indicator in this round.")
    changes: dict[str, Any] = {}
    if data.label_en is not msgspec.UNSET:
        english = (data.label_en or "").strip() or None
        changes["label"] = {**working.values["label"], "en": english}
    if data.better is not msgspec.UNSET:
        changes["better"] = data.better
    try:
        batch.edit(working, changes)
    except Rejected as refusal:
        error = refusal.error
        raise WordsRefused(
            error.detail,
            field="better" if error.field == "data.better" else "label_en",
            errors=[FieldError(field=error.field, message=error.detail, code=error.code)],
        ) from None
    await batch.flush()
    standing = await raised.consolidated(db, principal=principal, cycle_id=cycle_id)
    found = next((out for out in standing if out.id == indicator_id), None)
    if found is None:  # merged into another: it answers as that one
        raise NotFound("The indicator was merged into another; set the words of that one.")
    return found


def needs_words(out: RaisedIndicatorOut) -> bool:
    """A raised indicator that stands and still lacks its English words or its direction."""
    return out.status in ("proposed", "selected") and (
        not (out.label_en or "").strip() or not out.label_mn.strip() or out.better is None
    )


async def awaiting(db: AsyncSession, cycle_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many raised indicators of each round stand without their English words or their
    direction (`needs_words`, counted in SQL)."""
    if not cycle_ids:
        return {}
    english = func.coalesce(func.btrim(CycleIndicator.label["en"].astext), "")
    mongolian = func.coalesce(func.btrim(CycleIndicator.label["mn"].astext), "")
    rows = await db.execute(
        select(CycleIndicator.cycle_id, func.count())
        .where(
            CycleIndicator.cycle_id.in_(cycle_ids),
            CycleIndicator.deleted_at.is_(None),
            CycleIndicator.status.in_(("proposed", "selected")),
            or_(english == "", mongolian == "", CycleIndicator.better.is_(None)),
        )
        .group_by(CycleIndicator.cycle_id)
    )
    return {cycle_id: count for cycle_id, count in rows}
