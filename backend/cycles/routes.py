"""Cycles: one round of the method at one facility, and campaigns that open many at once."""

from __future__ import annotations

import uuid
from typing import Annotated

from litestar import get, patch, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, JSONBody, Parameter

from backend.areas import service as areas
from backend.auth.models import Role
from backend.auth.policy import SIGNED_IN, CurrentPrincipal, allow
from backend.cycles import publication, raised, tags, translation
from backend.cycles import service as cycles
from backend.cycles.schemas import (
    Advance,
    CampaignIn,
    CampaignOut,
    CycleIn,
    CycleOut,
    CyclePage,
    IndicatorWordsIn,
    PhaseChangeOut,
    PublicationOut,
    RaisedIndicatorOut,
    RaisedTagIn,
    RaisedTagOut,
    RaisedTagUpdate,
    Reopen,
    Withdraw,
)
from backend.database.session import DbSession
from backend.reviews import service as reviews
from backend.web.pagination import Offset, page_request

COORDINATORS = allow(Role.ADMIN, Role.COORDINATOR)
RUNNERS = allow(Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR)
CYCLE = "/cycles/v1/{cycle_id:uuid}"


@get("/cycles/v1", opt=SIGNED_IN, tags=["cycles"])
async def list_cycles(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    facility_id: FromQuery[uuid.UUID | None] = None,
    area: FromQuery[str | None] = None,
    phase: FromQuery[str | None] = None,
    open_only: FromQuery[bool] = False,
    limit: Annotated[int | None, Parameter(ge=1)] = None,
    offset: Offset = 0,
) -> CyclePage:
    """Cycles at the facilities in the caller's scope, newest first."""
    return await cycles.list_cycles(
        db,
        principal=principal,
        page=page_request(state, limit, offset),
        facility_id=facility_id,
        area=await areas.resolve_code(db, area),
        phase=phase,
        open_only=open_only,
    )


@post("/cycles/v1", opt=COORDINATORS, tags=["cycles"])
async def open_cycle(
    db: DbSession, principal: CurrentPrincipal, data: JSONBody[CycleIn]
) -> CycleOut:
    """Open a round at one facility on a published template version."""
    cycle = await cycles.open_cycle(db, principal=principal, data=data)
    return await cycles.shown(db, principal=principal, cycle=cycle)


@post("/cycles/v1/campaigns", opt=COORDINATORS, tags=["cycles"])
async def open_campaign(
    db: DbSession, principal: CurrentPrincipal, data: JSONBody[CampaignIn]
) -> CampaignOut:
    """Open a round at every facility of a type in an area (those already running are skipped)."""
    return await cycles.open_campaign(db, principal=principal, data=data)


@get(CYCLE, opt=SIGNED_IN, tags=["cycles"])
async def get_cycle(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> CycleOut:
    cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
    return await cycles.shown(db, principal=principal, cycle=cycle)


@get(f"{CYCLE}/indicators", opt=SIGNED_IN, tags=["cycles"])
async def raised_indicators(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> list[RaisedIndicatorOut]:
    """The indicators the round's groups raised, consolidated: each one not merged into another
    (proposed, selected or dropped), with every group that raised it and the keys merged into
    it."""
    return await raised.consolidated(db, principal=principal, cycle_id=cycle_id)


@patch(f"{CYCLE}/indicators/{{indicator_id:uuid}}", opt=COORDINATORS, tags=["cycles"])
async def indicator_words(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    indicator_id: FromPath[uuid.UUID],
    data: JSONBody[IndicatorWordsIn],
) -> RaisedIndicatorOut:
    """Translate a raised indicator into English and say which way is better, as a tablet's
    update would (the same rules; a new version every tablet pulls). A change the record's
    rules refuse answers 422 `cycle_indicator.words_refused` with the rule's code in
    `errors[0].code`."""
    return await translation.set_words(
        db, principal=principal, cycle_id=cycle_id, indicator_id=indicator_id, data=data
    )


@get(f"{CYCLE}/phases", opt=SIGNED_IN, tags=["cycles"])
async def phase_history(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> list[PhaseChangeOut]:
    return await cycles.history(db, principal=principal, cycle_id=cycle_id)


@post(f"{CYCLE}/advance", opt=RUNNERS, tags=["cycles"], status_code=200)
async def advance(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: JSONBody[Advance],
) -> CycleOut:
    """Move to a later phase; a move backwards answers 409 `cycle.phase_backwards`."""
    cycle = await cycles.advance(db, principal=principal, cycle_id=cycle_id, to=data.to)
    return await cycles.shown(db, principal=principal, cycle=cycle)


@post(f"{CYCLE}/reopen", opt=COORDINATORS, tags=["cycles"], status_code=200)
async def reopen(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: JSONBody[Reopen],
) -> CycleOut:
    """Move back to an earlier phase, with a reason; audited."""
    cycle = await cycles.reopen(
        db, principal=principal, cycle_id=cycle_id, to=data.to, reason=data.reason
    )
    return await cycles.shown(db, principal=principal, cycle=cycle)


@post(f"{CYCLE}/publish", opt=COORDINATORS, tags=["cycles"], status_code=200)
async def publish(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> CycleOut:
    """Make the cycle's results visible to viewers (ministry, donors, the public)."""
    cycle = await publication.publish(db, principal=principal, cycle_id=cycle_id)
    return await cycles.shown(db, principal=principal, cycle=cycle)


@post(f"{CYCLE}/withdraw", opt=COORDINATORS, tags=["cycles"], status_code=200)
async def withdraw(
    db: DbSession,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    data: JSONBody[Withdraw],
) -> CycleOut:
    """Take the round's results back from viewers, saying why (`reason`, kept in the
    publication history and audited): its pages, figures and downloads leave them at once,
    and their tablets remove its records at the next pull. A round not published answers 409
    `cycle.not_published`; publishing again hands it out again."""
    cycle = await publication.withdraw(
        db, principal=principal, cycle_id=cycle_id, reason=data.reason
    )
    return await cycles.shown(db, principal=principal, cycle=cycle)


@get(f"{CYCLE}/publications", opt=COORDINATORS, tags=["cycles"])
async def publication_history(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> list[PublicationOut]:
    """Every publication of the round and every withdrawal, with who, when and why."""
    return await publication.history(db, principal=principal, cycle_id=cycle_id)


@post(f"{CYCLE}/review-reasons", opt=COORDINATORS, tags=["cycles"], status_code=200)
async def review_reasons(
    db: DbSession, principal: CurrentPrincipal, cycle_id: FromPath[uuid.UUID]
) -> CycleOut:
    """Pass every piece of the community's text and evidence that awaits review now: providers
    and viewers may read them. What arrives afterwards awaits review again; pieces are passed
    or hidden one by one at `/reviews/v1/cycles/{cycle_id}/pieces`."""
    cycle = await cycles.review_reasons(db, principal=principal, cycle_id=cycle_id)
    await reviews.pass_all(db, decided_by=principal.user_id, cycle_id=cycle_id)
    return await cycles.shown(db, principal=principal, cycle=cycle)


@get("/cycles/v1/raised-tags", opt=SIGNED_IN, tags=["cycles"])
async def list_raised_tags(db: DbSession) -> list[RaisedTagOut]:
    """The programme's tags for raised indicators: a raised indicator's `tag` is one of these
    keys (a push refuses any other, `sync.not_listed`). Offer those not retired."""
    return await tags.list_tags(db)


@post("/cycles/v1/raised-tags", opt=COORDINATORS, tags=["cycles"])
async def add_raised_tag(db: DbSession, data: JSONBody[RaisedTagIn]) -> RaisedTagOut:
    """A new tag on the programme's list."""
    return await tags.add(db, data=data)


@patch("/cycles/v1/raised-tags/{key:str}", opt=COORDINATORS, tags=["cycles"])
async def change_raised_tag(
    db: DbSession, key: FromPath[str], data: JSONBody[RaisedTagUpdate]
) -> RaisedTagOut:
    """Rename, retire or bring back a tag; its key stays."""
    return await tags.change(db, key=key, data=data)


ROUTES = [
    list_raised_tags,
    add_raised_tag,
    change_raised_tag,
    raised_indicators,
    indicator_words,
    list_cycles,
    open_cycle,
    open_campaign,
    get_cycle,
    phase_history,
    advance,
    reopen,
    publish,
    withdraw,
    publication_history,
    review_reasons,
]
