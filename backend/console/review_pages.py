"""The review screens' pages, built from the services the API uses: a round with its
scorecards by review state, its pieces awaiting review, its raised indicators awaiting words and
its publication; a scorecard with its answers in words, its decision form and history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.policy import Principal
from backend.console import answers
from backend.console.render import language_of, screen
from backend.console.review_words import WORDS
from backend.console.words import Words
from backend.cycles import publication, raised, translation
from backend.cycles import service as cycles
from backend.facilities import service as facilities
from backend.reports import wording
from backend.reviews import service as piece_reviews
from backend.reviews import submissions as reviews
from backend.scorecards import service as templates
from backend.scorecards.document import template_scale
from backend.scorecards.models import TemplateVersion
from backend.users import service as users

# the states a round's scorecards are filtered by: a decision, or none, or one made before an
# edit ("changed since")
STATES = ("unreviewed", "approved", "has_issues", "rejected", "changed")
DECISIONS = ("approved", "has_issues", "rejected")
BETTER = ("higher", "lower", "none")


def words_of(request: Request[Any, Any, Any], principal: Principal) -> Words:
    return Words(language_of(request, principal), WORDS, answers.ALL_WORDS)


def moment_of(request: Request[Any, Any, Any]) -> Any:
    return answers.moments(request.app.state.settings.timezone)


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


async def round_page(
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
    words = words_of(request, principal)
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
        moment=moment_of(request),
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


async def submission_page(
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
    words = words_of(request, principal)
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
        moment=moment_of(request),
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
