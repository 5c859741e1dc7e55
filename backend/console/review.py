"""Review and publication, for the coordinators of an area: which rounds wait for a look; a
round's scorecards by review state, its reasons and photos awaiting review, its raised
indicators awaiting words and direction; a scorecard's answers with its decision form and
history; publishing a round and withdrawing a publication with a reason.

Every screen reads and writes through the services the API uses (`backend/reviews/`,
`backend/cycles/`), so the same scope (another area's round is 404), rules, history and audit
apply."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from backend.auth.models import Role
from backend.auth.policy import CurrentPrincipal, allow
from backend.console import review_pages as pages
from backend.console.forms import Form, attempt
from backend.console.render import screen
from backend.console.review_words import WORDS
from backend.cycles import publication, translation
from backend.cycles.schemas import IndicatorWordsIn
from backend.database.session import DbSession
from backend.errors import DomainError
from backend.reports import wording
from backend.reviews import attention
from backend.reviews import service as piece_reviews
from backend.reviews import submissions as reviews
from backend.reviews.schemas import DecisionIn, SubmissionDecisionIn

REVIEWERS = allow(Role.ADMIN, Role.COORDINATOR)
PAGE = 30
# a refusal's code, as the words that explain it on the form
ERRORS = {
    "review.note_required": "error_note_required",
    "review.submission_changed": "error_submission_changed",
    "review.submission_deleted": "error_submission_deleted",
    "review.stale": "error_piece_changed",
    "cycle.reason_required": "error_reason_required",
    "cycle.not_published": "error_not_published",
    "cycle_indicator.words_refused": "error_words_refused",
}
ROUND = "/console/review/rounds/{cycle_id:uuid}"
SUBMISSION = "/console/review/submissions/{submission_id:uuid}"


def _refusal(error: DomainError, fallback: str = "error_invalid") -> str:
    return ERRORS.get(error.code, fallback)


@get("/console/review", opt=REVIEWERS, include_in_schema=False)
async def review_rounds(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    closed: FromQuery[bool] = False,
    offset: FromQuery[int] = 0,
) -> Template:
    """The rounds of the coordinator's areas, newest first, with what waits in each."""
    offset = max(offset, 0)
    found, total = await attention.rounds(
        db, principal=principal, include_closed=closed, limit=PAGE, offset=offset
    )
    return screen(
        request,
        "review/rounds.html",
        WORDS,
        rounds=found,
        total=total,
        offset=offset,
        page=PAGE,
        closed=closed,
        phases=wording.PHASES,
    )


@get(ROUND, opt=REVIEWERS, include_in_schema=False)
async def review_round(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    # "state" is a name Litestar keeps for itself
    review_state: Annotated[str, QueryParameter(name="state")] = "",
    saved: FromQuery[bool] = False,
) -> Template:
    shown = review_state if review_state in pages.STATES else ""
    return await pages.round_page(db, request, principal, cycle_id, shown, saved=saved)


@get(SUBMISSION, opt=REVIEWERS, include_in_schema=False)
async def review_submission(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    submission_id: FromPath[uuid.UUID],
    saved: FromQuery[bool] = False,
) -> Template:
    return await pages.submission_page(db, request, principal, submission_id, saved=saved)


@dataclass
class DecisionForm:
    state: str = ""
    version: int = 0
    note: str = ""


@post(SUBMISSION, opt=REVIEWERS, include_in_schema=False, status_code=303)
async def decide_submission(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    submission_id: FromPath[uuid.UUID],
    data: Form[DecisionForm],
) -> Template | Redirect:
    """Approve, has issues or rejected, as the coordinator read the scorecard (its version)."""
    if data.state not in pages.DECISIONS or data.version < 1:
        return await pages.submission_page(
            db, request, principal, submission_id, status=400, error="error_invalid", note=data.note
        )
    decision = SubmissionDecisionIn(
        state=data.state,  # type: ignore[arg-type]  # checked above
        version=data.version,
        note=data.note[:2000],
    )
    done = await attempt(
        db,
        lambda: reviews.decide(db, principal=principal, submission_id=submission_id, data=decision),
    )
    if isinstance(done, DomainError):
        if done.status == 404:
            raise done
        return await pages.submission_page(
            db,
            request,
            principal,
            submission_id,
            status=done.status,
            error=_refusal(done),
            note=data.note,
        )
    return Redirect(path=f"/console/review/submissions/{submission_id}?saved=1", status_code=303)


@dataclass
class PieceForm:
    record_id: uuid.UUID
    piece: str
    content_hash: str
    decision: str = ""
    note: str = ""


@post(f"{ROUND}/pieces", opt=REVIEWERS, include_in_schema=False, status_code=303)
async def decide_piece(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: Form[PieceForm],
) -> Template | Redirect:
    """Pass or hide one piece of community text or evidence, as it was read."""
    anchor = f"piece-{data.record_id}-{data.content_hash[:12]}"
    if data.decision not in ("pass", "hide") or len(data.content_hash) != 64:
        return await pages.round_page(
            db, request, principal, cycle_id, "", status=400, error="error_invalid", error_at=anchor
        )
    decision = DecisionIn(
        record_id=data.record_id,
        piece=data.piece[:200],
        content_hash=data.content_hash,
        decision=data.decision,  # type: ignore[arg-type]  # checked above
        note=data.note[:2000],
    )
    done = await attempt(
        db,
        lambda: piece_reviews.decide(
            db, principal=principal, cycle_id=cycle_id, decisions=[decision]
        ),
    )
    if isinstance(done, DomainError):
        if done.status == 404:
            raise done
        return await pages.round_page(
            db,
            request,
            principal,
            cycle_id,
            "",
            status=done.status,
            error=_refusal(done, "error_hide_says_why"),
            error_at=anchor,
        )
    return Redirect(path=f"/console/review/rounds/{cycle_id}?saved=1#pieces", status_code=303)


@dataclass
class WordsForm:
    label_en: str = ""
    better: str = ""


@post(
    f"{ROUND}/indicators/{{indicator_id:uuid}}",
    opt=REVIEWERS,
    include_in_schema=False,
    status_code=303,
)
async def indicator_words(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    indicator_id: FromPath[uuid.UUID],
    data: Form[WordsForm],
) -> Template | Redirect:
    """A raised indicator's English words and direction, as the API sets them."""
    anchor = f"indicator-{indicator_id}"
    if data.better not in ("", *pages.BETTER) or len(data.label_en) > 500:
        return await pages.round_page(
            db, request, principal, cycle_id, "", status=400, error="error_invalid", error_at=anchor
        )
    change = IndicatorWordsIn(
        label_en=data.label_en.strip() or None,
        better=data.better or None,  # type: ignore[arg-type]  # checked above
    )
    done = await attempt(
        db,
        lambda: translation.set_words(
            db, principal=principal, cycle_id=cycle_id, indicator_id=indicator_id, data=change
        ),
    )
    if isinstance(done, DomainError):
        if done.status == 404:
            raise done
        return await pages.round_page(
            db,
            request,
            principal,
            cycle_id,
            "",
            status=done.status,
            error=_refusal(done),
            error_at=anchor,
        )
    return Redirect(path=f"/console/review/rounds/{cycle_id}?saved=1#words", status_code=303)


@post(f"{ROUND}/publish", opt=REVIEWERS, include_in_schema=False, status_code=303)
async def publish_round(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> Redirect:
    """Viewers read the round's results from now on."""
    await publication.publish(db, principal=principal, cycle_id=cycle_id)
    return Redirect(path=f"/console/review/rounds/{cycle_id}?saved=1#publication", status_code=303)


@dataclass
class WithdrawForm:
    reason: str = ""


@post(f"{ROUND}/withdraw", opt=REVIEWERS, include_in_schema=False, status_code=303)
async def withdraw_round(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: Form[WithdrawForm],
) -> Template | Redirect:
    """Viewers stop reading the round; the reason is kept in its publication history."""
    done = await attempt(
        db,
        lambda: publication.withdraw(
            db, principal=principal, cycle_id=cycle_id, reason=data.reason[:2000]
        ),
    )
    if isinstance(done, DomainError):
        if done.status == 404:
            raise done
        return await pages.round_page(
            db,
            request,
            principal,
            cycle_id,
            "",
            status=done.status,
            error=_refusal(done),
            error_at="publication",
        )
    return Redirect(path=f"/console/review/rounds/{cycle_id}?saved=1#publication", status_code=303)


ROUTES = [
    review_rounds,
    review_round,
    review_submission,
    decide_submission,
    decide_piece,
    indicator_words,
    publish_round,
    withdraw_round,
]
