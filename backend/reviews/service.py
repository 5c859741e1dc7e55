"""Passing and hiding pieces of community text and evidence, one by one (`pieces`).

A decision names the piece's content hash as the coordinator read it: a piece changed since is
refused as stale, and what arrives later awaits review again on its own. Hiding a passed piece
withdraws it, with a reason, in the audit log; every surface an outsider reads follows at once,
and tablets receive a raised issue again (its words, or a neutral label) at their next pull.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import audit
from backend.auth.policy import Principal
from backend.cycles import service as cycles
from backend.cycles.models import CycleIndicator
from backend.errors import Conflict, InvalidInput
from backend.facilities.models import Facility
from backend.reviews import pieces
from backend.reviews.models import PieceReview
from backend.reviews.schemas import DecisionIn, PieceOut, State
from backend.sync.models import Change

PIECE_PASSED = "piece.passed"
PIECE_HIDDEN = "piece.hidden"
PIECE_WITHDRAWN = "piece.withdrawn"


class StalePiece(Conflict):
    """The piece is not in the round as the decision read it: it changed or is gone."""

    code, status, title = "review.stale", 409, "The piece changed since it was read"


async def listing(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID, state: State | None
) -> list[PieceOut]:
    await cycles.get(db, principal=principal, cycle_id=cycle_id)  # 404 if not visible
    decided = await pieces.decisions(db, [cycle_id])
    out = [_out(piece, decided.get(piece.key)) for piece in await pieces.present(db, cycle_id)]
    return [piece for piece in out if state is None or piece.state == state]


def _out(piece: pieces.Piece, review: PieceReview | None) -> PieceOut:
    return PieceOut(
        record_id=piece.record_id,
        piece=piece.piece,
        kind=piece.kind,
        indicator=piece.indicator,
        group=piece.group,
        text=piece.text,
        content_hash=piece.content_hash,
        source=piece.source,
        state="awaiting" if review is None else review.state,  # type: ignore[arg-type]
        note=review.note if review is not None else "",
        decided_at=review.decided_at if review is not None else None,
    )


async def decide(
    db: AsyncSession, *, principal: Principal, cycle_id: uuid.UUID, decisions: list[DecisionIn]
) -> list[PieceOut]:
    """Pass or hide each piece as it was read; all or nothing."""
    await cycles.get(db, principal=principal, cycle_id=cycle_id, lock=True)
    present = {piece.key: piece for piece in await pieces.present(db, cycle_id)}
    decided = await pieces.decisions(db, [cycle_id])
    seen: set[tuple[uuid.UUID, str, str]] = set()
    for number, decision in enumerate(decisions):
        key = (decision.record_id, decision.piece, decision.content_hash)
        if key in seen:
            raise InvalidInput(
                "each piece is decided once in a request", field=f"decisions[{number}]"
            )
        seen.add(key)
        if key not in present:
            raise StalePiece(
                "no such piece in the round as it reads now: list the pieces again",
                field=f"decisions[{number}].content_hash",
            )
        if decision.decision == "hide" and not pieces.visible(decision.note):
            raise InvalidInput(
                "a hidden or withdrawn piece says why", field=f"decisions[{number}].note"
            )
    for decision in decisions:
        key = (decision.record_id, decision.piece, decision.content_hash)
        earlier = decided.get(key)
        state = "passed" if decision.decision == "pass" else "hidden"
        await _store(db, principal.user_id, present[key], state, decision.note.strip())
        kind = (
            PIECE_PASSED
            if state == "passed"
            else PIECE_WITHDRAWN
            if earlier is not None and earlier.state == "passed"
            else PIECE_HIDDEN
        )
        await audit.record(
            db,
            kind,
            actor_id=principal.user_id,
            cycle_id=str(cycle_id),
            record_id=str(decision.record_id),
            piece=decision.piece,
            note=decision.note.strip(),
        )
    await _hand_out_again(db, {d.record_id for d in decisions if d.piece == "label"})
    await db.flush()
    decided = await pieces.decisions(db, [cycle_id])
    return [
        _out(present[key], decided.get(key))
        for key in ((d.record_id, d.piece, d.content_hash) for d in decisions)
    ]


async def pass_all(db: AsyncSession, *, decided_by: uuid.UUID, cycle_id: uuid.UUID) -> int:
    """Pass every piece awaiting review now (what arrives later awaits again)."""
    decided = await pieces.decisions(db, [cycle_id])
    waiting = [piece for piece in await pieces.present(db, cycle_id) if piece.key not in decided]
    for piece in waiting:
        await _store(db, decided_by, piece, "passed", "")
    await _hand_out_again(db, {piece.record_id for piece in waiting if piece.kind == "label"})
    if waiting:
        await audit.record(
            db,
            PIECE_PASSED,
            actor_id=decided_by,
            cycle_id=str(cycle_id),
            pieces=len(waiting),
        )
    return len(waiting)


async def _store(
    db: AsyncSession, decided_by: uuid.UUID, piece: pieces.Piece, state: str, note: str
) -> None:
    values = {
        "record_id": piece.record_id,
        "piece": piece.piece,
        "content_hash": piece.content_hash,
        "cycle_id": piece.cycle_id,
        "state": state,
        "note": note,
        "decided_by": decided_by,
    }
    await db.execute(
        insert(PieceReview)
        .values(values)
        .on_conflict_do_update(
            index_elements=["record_id", "piece", "content_hash"],
            set_={
                "state": state,
                "note": note,
                "decided_by": decided_by,
                "decided_at": func.now(),
            },
        )
    )


async def _hand_out_again(db: AsyncSession, indicator_ids: set[uuid.UUID]) -> None:
    """Raised issues whose words were decided reach tablets again as they may now read them."""
    if not indicator_ids:
        return
    await db.execute(
        insert(Change).from_select(
            ["entity", "record_id", "op", "version", "facility_id", "area_code", "cycle_id"],
            select(
                literal("cycle_indicator"),
                func.cast(CycleIndicator.id, Change.record_id.type),
                literal("upsert"),
                CycleIndicator.version,
                CycleIndicator.facility_id,
                Facility.area_code,
                CycleIndicator.cycle_id,
            )
            .join(Facility, Facility.id == CycleIndicator.facility_id)
            .where(
                CycleIndicator.id.in_(sorted(indicator_ids)), CycleIndicator.deleted_at.is_(None)
            )
            .order_by(CycleIndicator.id),
        )
    )
