"""The action-plan tracker: items filtered by area, funding source, status, approval, overdue
and due for review; an item with its progress reports and revisions; a round's plan approved or
returned, and an agreed item revised with a reason.

Every list, decision and revision goes through the services the API uses
(`backend/action_plans/`), with their scope, phase, four-eyes and history rules: a provider
reads its own facilities' items, a viewer those of published rounds in their area."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

import msgspec
from litestar import Request, get, post
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template

from backend.action_plans import approval
from backend.action_plans import service as plans
from backend.action_plans.models import ACTION_STATUSES, APPROVALS, FUNDING_SOURCES, LEVELS
from backend.action_plans.schemas import ActionItemOut, RevisionIn
from backend.areas import service as areas
from backend.auth.policy import SIGNED_IN, CurrentPrincipal, Principal, allow
from backend.console.forms import attempt
from backend.console.labels import say
from backend.console.plans_words import WORDS, problem_word
from backend.console.render import language_of, screen
from backend.database.session import DbSession
from backend.errors import DomainError, split_msgspec_error
from backend.reports import listing, wording
from backend.reports import service as reports
from backend.reports.listing import ResultRound
from backend.reports.tables import named
from backend.web.pagination import Offset, PageRequest

PAGE_SIZE = 50
ROUND_PAGE = 500  # a round's whole plan on its page
DECIDERS = allow(*approval.DECIDERS)
REVISERS = allow(*approval.REVISERS)
# what a revision may change, in the order the form asks
REVISED = (
    "issue",
    "action",
    "responsible",
    "resources",
    "due_on",
    "cost_mnt",
    "funding_source",
    "level",
)


def _link(path: str, **query: Any) -> str:
    given = {name: value for name, value in query.items() if value not in (None, "", False)}
    return f"{path}?{urlencode(given)}" if given else path


def _names(language: str) -> dict[str, dict[str, str]]:
    """Names of statuses, approvals, funding sources and levels in the reader's language."""
    return {
        "status": {key: named(wording.STATUSES, language, key) for key in ACTION_STATUSES},
        "approval": {key: named(wording.APPROVALS, language, key) for key in APPROVALS},
        "funding": {key: named(wording.FUNDING, language, key) for key in FUNDING_SOURCES},
        "level": {key: named(wording.LEVELS, language, key) for key in LEVELS},
    }


def _where(r: ResultRound | None, language: str) -> dict[str, str]:
    if r is None:
        return {"facility": "", "round": "", "area": ""}
    return {
        "facility": say(r.facility, language),
        "round": say(r.label, language),
        "area": say(r.area, language),
    }


@get("/console/plans", opt=SIGNED_IN, include_in_schema=False)
async def items(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    area: FromQuery[str | None] = None,
    funding_source: FromQuery[str | None] = None,
    status: FromQuery[str | None] = None,
    approval_: Annotated[str | None, QueryParameter(name="approval")] = None,
    overdue: FromQuery[bool] = False,
    review_due: FromQuery[bool] = False,
    offset: Offset = 0,
) -> Template:
    """The items the reader may see, narrowed by the filters, a page at a time."""
    language = language_of(request, principal)
    area_code = (await areas.resolve(db, area)).code if area and area.strip() else None
    funding = funding_source if funding_source in FUNDING_SOURCES else None
    status = status if status in ACTION_STATUSES else None
    decided = approval_ if approval_ in APPROVALS else None
    chosen: dict[str, Any] = {
        "area": area_code or "",
        "funding_source": funding or "",
        "status": status or "",
        "approval": decided or "",
        "overdue": overdue,
        "review_due": review_due,
    }
    page = await plans.list_items(
        db,
        principal=principal,
        page=PageRequest(limit=PAGE_SIZE, offset=offset),
        cycle_id=None,
        area=area_code,
        overdue_only=overdue,
        today=state.settings.today(),
        due_for_review=review_due,
        funding_source=funding,
        status=status,
        approval=decided,
    )
    rounds = await listing.named_rounds(
        db, principal=principal, cycle_ids={item.cycle_id for item in page.items}
    )
    choices = await listing.options(db, principal=principal)
    return screen(
        request,
        "plans/list.html",
        WORDS,
        items=[(item, _where(rounds.get(item.cycle_id), language)) for item in page.items],
        total=page.total,
        offset=offset,
        limit=PAGE_SIZE,
        previous=_link("/console/plans", **chosen, offset=max(offset - PAGE_SIZE, 0))
        if offset > 0
        else None,
        next=_link("/console/plans", **chosen, offset=offset + PAGE_SIZE)
        if offset + PAGE_SIZE < page.total
        else None,
        areas=[(o.key, say(o.label, language)) for o in choices.areas],
        chosen=chosen,
        names=_names(language),
    )


async def _item_page(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: Principal,
    item_id: uuid.UUID,
    *,
    problem: str | None = None,
    typed: dict[str, str] | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Template:
    language = language_of(request, principal)
    item = await plans.get_item(
        db, principal=principal, item_id=item_id, today=state.settings.today()
    )
    rounds = await listing.named_rounds(db, principal=principal, cycle_ids={item.cycle_id})
    # the indicators an item answers, by the names the scorecard gives the reader (one the
    # reader cannot read there is not named here either)
    card = await reports.scorecard(
        db, principal=principal, cycle_id=item.cycle_id, timezone=state.settings.timezone
    )
    labels = {i.key: i.label_mn if language == "mn" else i.label_en for i in card.indicators}
    names = _names(language)
    revisions = [
        {
            "at": revision.revised_at,
            "reason": revision.reason,
            "changes": [
                (
                    name,
                    _readable(name, revision.before.get(name), names, labels),
                    _readable(name, value, names, labels),
                )
                for name, value in revision.after.items()
            ],
        }
        for revision in await approval.revisions(db, principal=principal, cycle_id=item.cycle_id)
        if revision.action_item_id == item.id
    ]
    current = {name: _shown(getattr(item, name)) for name in REVISED}
    return screen(
        request,
        "plans/item.html",
        WORDS,
        status=status,
        item=item,
        indicators=[labels[key] for key in item.indicator_keys if key in labels],
        where=_where(rounds.get(item.cycle_id), language),
        revisions=revisions,
        may_revise=principal.role in approval.REVISERS and item.agreed,
        values={**current, **(typed or {})},
        problem=problem,
        notice=notice,
        names=names,
    )


def _shown(value: Any) -> str:
    return "" if value is None else str(value)


def _readable(
    name: str, value: Any, names: dict[str, dict[str, str]], labels: dict[str, str]
) -> str:
    """A field's value in a revision as the reader reads it: names, not keys."""
    if value is None:
        return ""
    if name == "funding_source":
        return names["funding"].get(value, "")
    if name == "level":
        return names["level"].get(value, "")
    if name == "cost_mnt" and isinstance(value, int):
        return f"{value:,}"
    if name == "indicator_keys" and isinstance(value, list):
        return "; ".join(labels[key] for key in value if key in labels)
    return str(value)


@get("/console/plans/items/{item_id:uuid}", opt=SIGNED_IN, include_in_schema=False)
async def item_detail(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    item_id: FromPath[uuid.UUID],
    revised: FromQuery[bool] = False,
) -> Template:
    """One item: what it commits to, its progress reports and its revisions."""
    return await _item_page(
        db, state, request, principal, item_id, notice="revised" if revised else None
    )


def _revision(form: dict[str, Any]) -> RevisionIn:
    """The typed revision; a field left empty keeps its value."""
    given: dict[str, Any] = {"reason": str(form.get("reason") or "")}
    for name in REVISED:
        text = str(form.get(name) or "").strip()
        if text:
            given[name] = text
    return msgspec.convert(given, RevisionIn, strict=False)


@post(
    "/console/plans/items/{item_id:uuid}/revision",
    opt=REVISERS,
    include_in_schema=False,
    status_code=303,
)
async def revise(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    item_id: FromPath[uuid.UUID],
) -> Template | Redirect:
    """Change what an agreed item commits to, with a reason, as the API's revision does."""
    form = dict((await request.form()).items())
    typed = {name: str(form.get(name) or "") for name in (*REVISED, "reason")}
    try:
        data = _revision(form)
    except msgspec.ValidationError as exc:
        _, path = split_msgspec_error(exc)
        return await _item_page(
            db,
            state,
            request,
            principal,
            item_id,
            problem=problem_word(f"invalid.{path.strip('.')}"),
            typed=typed,
            status=422,
        )
    outcome = await attempt(
        db, lambda: approval.revise(db, principal=principal, item_id=item_id, data=data)
    )
    if isinstance(outcome, DomainError):
        return await _item_page(
            db,
            state,
            request,
            principal,
            item_id,
            problem=problem_word(outcome.code),
            typed=typed,
            status=outcome.status if outcome.status == 404 else 422,
        )
    return Redirect(path=f"/console/plans/items/{item_id}?revised=1", status_code=303)


async def _round_page(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: Principal,
    cycle_id: uuid.UUID,
    *,
    problem: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Template:
    language = language_of(request, principal)
    decisions = await approval.decisions(db, principal=principal, cycle_id=cycle_id)  # 404 first
    page = await plans.list_items(
        db,
        principal=principal,
        page=PageRequest(limit=ROUND_PAGE, offset=0),
        cycle_id=cycle_id,
        area=None,
        overdue_only=False,
        today=state.settings.today(),
    )
    rounds = await listing.named_rounds(db, principal=principal, cycle_ids={cycle_id})
    undecided: list[ActionItemOut] = [i for i in page.items if i.approval != "approved"]
    return screen(
        request,
        "plans/round.html",
        WORDS,
        status=status,
        cycle_id=cycle_id,
        where=_where(rounds.get(cycle_id), language),
        items=page.items,
        undecided=undecided,
        decisions=decisions,
        may_decide=principal.role in approval.DECIDERS and bool(undecided),
        problem=problem,
        notice=notice,
        names=_names(language),
    )


@get("/console/plans/rounds/{cycle_id:uuid}", opt=SIGNED_IN, include_in_schema=False)
async def round_plan(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    decided: FromQuery[str | None] = None,
) -> Template:
    """A round's plan: its items, the decisions on it, and (for those who decide) the form to
    approve it or return it with a reason."""
    notice = f"decided_{decided}" if decided in ("approved", "returned") else None
    return await _round_page(db, state, request, principal, cycle_id, notice=notice)


def _read(items: list[str] | None) -> dict[uuid.UUID, int] | None:
    read: dict[uuid.UUID, int] = {}
    for entry in items or []:
        record_id, _, version = entry.partition(":")
        try:
            read[uuid.UUID(record_id)] = int(version)
        except ValueError:
            return None
    return read


@post(
    "/console/plans/rounds/{cycle_id:uuid}/decision",
    opt=DECIDERS,
    include_in_schema=False,
    status_code=303,
)
async def decide(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
) -> Template | Redirect:
    """Approve the round's plan, or return it with a reason, on the items the page showed."""
    form = await request.form()
    read = _read([v for v in form.getall("items", []) if isinstance(v, str)])
    chosen = form.get("decision")
    reason = str(form.get("reason") or "")
    if chosen not in ("approved", "returned") or read is None:
        return await _round_page(
            db, state, request, principal, cycle_id, problem="refused", status=422
        )
    decision: Literal["approved", "returned"] = "approved" if chosen == "approved" else "returned"
    outcome = await attempt(
        db,
        lambda: approval.decide(
            db,
            principal=principal,
            cycle_id=cycle_id,
            decision=decision,
            reason=reason,
            read=read,
        ),
    )
    if isinstance(outcome, DomainError):
        return await _round_page(
            db,
            state,
            request,
            principal,
            cycle_id,
            problem=problem_word(outcome.code),
            status=outcome.status if outcome.status == 404 else 422,
        )
    return Redirect(path=f"/console/plans/rounds/{cycle_id}?decided={decision}", status_code=303)


ROUTES = [items, item_detail, revise, round_plan, decide]
