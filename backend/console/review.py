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
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.auth.policy import CurrentPrincipal, Principal, allow
from backend.console import answers
from backend.console.forms import Form, attempt
from backend.console.render import language_of, screen
from backend.console.review_words import WORDS
from backend.console.words import Words
from backend.cycles import publication, raised, translation
from backend.cycles import service as cycles
from backend.cycles.schemas import IndicatorWordsIn
from backend.database.session import DbSession
from backend.errors import DomainError
from backend.facilities import service as facilities
from backend.reports import wording
from backend.reviews import attention
from backend.reviews import service as piece_reviews
from backend.reviews import submissions as reviews
from backend.reviews.schemas import DecisionIn, SubmissionDecisionIn
from backend.scorecards import service as templates
from backend.scorecards.document import template_scale
from backend.scorecards.models import TemplateVersion
from backend.users import service as users

REVIEWERS = allow(Role.ADMIN, Role.COORDINATOR)
PAGE = 30
STATES = ("unreviewed", "approved", "has_issues", "rejected", "changed")
DECISIONS = ("approved", "has_issues", "rejected")
BETTER = ("higher", "lower", "none")
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


def _words(request: Request[Any, Any, Any], principal: Principal) -> Words:
    return Words(language_of(request, principal), WORDS, answers.ALL_WORDS)


def _moment(request: Request[Any, Any, Any]) -> Any:
    return answers.moments(request.app.state.settings.timezone)


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


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    id: uuid.UUID
    group: str
    respondent: str
    participants: int
    collected_at: Any
    state: str
    changed: bool
    version: int


async def _round_page(
    db: AsyncSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    cycle_id: uuid.UUID,
    state: str,
    *,
    status: int = 200,
    error: str | None = None,
    error_at: str | None = None,
    saved: bool = False,
) -> Template:
    words = _words(request, principal)
    language = words.language
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
    facility = await facilities.get(db, principal=principal, facility_id=cycle.facility_id)
    version = await db.get_one(TemplateVersion, cycle.template_version_id)
    document = templates.document_of(version)
    standing = await raised.consolidated(db, principal=principal, cycle_id=cycle_id)
    read = answers.of_round(document.indicators, standing, template_scale(document), words)
    rows = []
    counts = dict.fromkeys(STATES, 0)
    for submission, review in await reviews.of_round(db, principal=principal, cycle_id=cycle_id):
        shown_state = "changed" if review.changed else review.state
        counts[shown_state] += 1
        if state and state != shown_state:
            continue
        group = (submission.group or {}).get("type")
        rows.append(
            SubmissionRow(
                id=submission.id,
                group=answers.group_name(group, language),
                respondent=wording.RESPONDENTS[language][submission.respondent],
                participants=submission.participants,
                collected_at=submission.collected_at,
                state=review.state,
                changed=review.changed,
                version=submission.version,
            )
        )
    waiting = await piece_reviews.listing(
        db, principal=principal, cycle_id=cycle_id, state="awaiting"
    )
    history = await publication.history(db, principal=principal, cycle_id=cycle_id)
    names = await users.names(db, [entry.changed_by for entry in history])
    return screen(
        request,
        "review/round.html",
        WORDS,
        answers.ALL_WORDS,
        status=status,
        moment=_moment(request),
        cycle=cycle,
        round_label=cycle.label_for(language),
        facility_name=facility.name_mn if language == "mn" else facility.name_en,
        phase=wording.PHASES[language][cycle.phase],
        template_name=answers.local_text(document.name, language),
        rows=rows,
        counts=counts,
        states=STATES,
        state=state,
        pieces=waiting,
        read=read,
        awaiting_words=[out for out in standing if translation.needs_words(out)],
        better_choices=BETTER,
        history=history,
        names=names,
        error=error,
        error_at=error_at,
        saved=saved,
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
    shown = review_state if review_state in STATES else ""
    return await _round_page(db, request, principal, cycle_id, shown, saved=saved)


async def _submission_page(
    db: AsyncSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    submission_id: uuid.UUID,
    *,
    status: int = 200,
    error: str | None = None,
    note: str = "",
    saved: bool = False,
) -> Template:
    words = _words(request, principal)
    language = words.language
    review = await reviews.review_of(db, principal=principal, submission_id=submission_id)
    submission = await reviews.read(db, principal=principal, submission_id=submission_id)
    cycle = await cycles.get(db, principal=principal, cycle_id=submission.cycle_id)
    facility = await facilities.get(db, principal=principal, facility_id=cycle.facility_id)
    read = await answers.round_words(db, principal=principal, cycle_id=cycle.id, words=words)
    given = submission.answers or {}
    ordered = [key for key in read.indicators if key in given]
    ordered += sorted(key for key in given if key not in read.indicators)
    names = await users.names(
        db, [submission.created_by, *(d.decided_by for d in review.decisions)]
    )
    return screen(
        request,
        "review/submission.html",
        WORDS,
        answers.ALL_WORDS,
        status=status,
        moment=_moment(request),
        submission=submission,
        review=review,
        cycle=cycle,
        round_label=cycle.label_for(language),
        facility_name=facility.name_mn if language == "mn" else facility.name_en,
        group=read.group(submission.group) if submission.group else "",
        respondent=wording.RESPONDENTS[language][submission.respondent],
        answers=[(key, given[key]) for key in ordered],
        read=read,
        names=names,
        decisions=DECISIONS,
        error=error,
        note=note,
        saved=saved,
    )


@get(SUBMISSION, opt=REVIEWERS, include_in_schema=False)
async def review_submission(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    submission_id: FromPath[uuid.UUID],
    saved: FromQuery[bool] = False,
) -> Template:
    return await _submission_page(db, request, principal, submission_id, saved=saved)


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
    if data.state not in DECISIONS or data.version < 1:
        return await _submission_page(
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
        return await _submission_page(
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
        return await _round_page(
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
        return await _round_page(
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
    if data.better not in ("", *BETTER) or len(data.label_en) > 500:
        return await _round_page(
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
        return await _round_page(
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
        return await _round_page(
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
