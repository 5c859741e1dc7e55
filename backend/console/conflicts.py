"""Open conflicts, for the people who settle them (admins, coordinators, facilitators, in their
areas): per facility and round, the value the record started from, the server's and the
tablet's side by side in words (an indicator's label, a score's point, a group's name), who made
each and when; settled with one click (keep the server's, take the tablet's, or a typed value
where one can be typed) and a note, through the service the API's
`POST /sync/v1/conflicts/{id}/resolve` uses, so the same rules hold."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.models import Role
from backend.auth.policy import CurrentPrincipal, Principal, allow
from backend.console import answers
from backend.console.conflicts_words import WORDS
from backend.console.forms import Form
from backend.console.render import language_of, screen
from backend.console.words import Words
from backend.cycles import service as cycles
from backend.database.session import DbSession
from backend.errors import DomainError, NotFound
from backend.facilities import service as facilities
from backend.scorecards.document import Count, Money, Number, Scale, SingleChoice, YesNo
from backend.sync import conflicts as settling
from backend.sync.schemas import ConflictOut, VersionOut
from backend.users import service as users

T = TypeVar("T")
SETTLERS = allow(Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR)
SHOWN = 200  # open conflicts on the screen at once
TEXT_FIELDS = frozenset({"venue", "notes", "issue", "action", "responsible", "resources", "tag"})
DATE_FIELDS = frozenset({"held_on", "due_on", "review_on"})
NUMBER_FIELDS = frozenset({"cost_mnt"})

# a refusal's code (or its rule's code), as the words that explain it
ERRORS = {
    "sync.conflict_outdated": "error_outdated",
    "sync.conflict_resolved": "error_resolved",
    "sync.round_closed": "error_round_closed",
    "submission.not_author": "error_not_author",
    "submission.cycle_not_scoring": "error_not_scoring",
    "submission.invalid_answers": "error_does_not_fit",
    "sync.invalid_data": "error_does_not_fit",
    "request.invalid": "error_does_not_fit",
}


@dataclass(frozen=True, slots=True)
class Side:
    title: str
    words: str
    who: str
    when: datetime | None


@dataclass(frozen=True, slots=True)
class Typed:
    """How a person types another value: a number, a date, a text, or one of some choices."""

    kind: str  # number, date, text, select
    choices: list[tuple[str, str]] = field(default_factory=list)
    current: str = ""


@dataclass(frozen=True, slots=True)
class ConflictView:
    id: uuid.UUID
    record: str
    what: str
    sides: list[Side]
    typed: Typed | None
    deletes: bool


@dataclass(frozen=True, slots=True)
class Place:
    facility: str
    round: str
    conflicts: list[ConflictView]


def _words(request: Request[Any, Any, Any], principal: Principal) -> Words:
    return Words(language_of(request, principal), WORDS, answers.ALL_WORDS)


def _typed(read: answers.RoundWords, conflict: ConflictOut) -> Typed | None:
    name, _, key = conflict.field.partition(".")
    if name == "answers" and key:
        indicator = read.indicators.get(key)
        kind = indicator.answer if indicator is not None else None
        current = (
            conflict.server_value.get("value") if isinstance(conflict.server_value, dict) else None
        )
        shown = "" if current is None else str(current).lower()
        if isinstance(kind, Scale):
            points = range(kind.min, kind.max + 1) if kind.max - kind.min <= 20 else []
            if points:
                choices = [(str(v), read.value(key, v)) for v in points]
                return Typed("select", choices, shown)
            return Typed("number", current=shown)
        if isinstance(kind, YesNo):
            return Typed("select", [("true", read.t("yes")), ("false", read.t("no"))], shown)
        if isinstance(kind, SingleChoice):
            return Typed("select", [(o.key, read.value(key, o.key)) for o in kind.options], shown)
        if isinstance(kind, Count | Number | Money):
            return Typed("number", current=shown)
        return None
    if name in TEXT_FIELDS:
        return Typed("text", current=str(conflict.server_value or ""))
    if name in DATE_FIELDS:
        return Typed("date", current=str(conflict.server_value or ""))
    if name in NUMBER_FIELDS:
        return Typed("number", current=str(conflict.server_value or ""))
    return None


def _parse(read: answers.RoundWords, conflict: ConflictOut, text: str) -> Any:
    """A typed value as the record holds it (an answer keeps its reason and suggestion)."""
    name, _, key = conflict.field.partition(".")
    text = text.strip()
    if name == "answers" and key:
        indicator = read.indicators.get(key)
        kind = indicator.answer if indicator is not None else None
        value: Any = text
        if isinstance(kind, YesNo):
            value = {"true": True, "false": False}.get(text, text)
        elif isinstance(kind, Scale | Count | Money):
            value = _number(text, whole=True)
        elif isinstance(kind, Number):
            value = _number(text, whole=kind.integer)
        base = conflict.server_value if isinstance(conflict.server_value, dict) else {}
        return {**base, "value": value}
    if name in NUMBER_FIELDS:
        return _number(text, whole=True)
    return text or None


def _number(text: str, *, whole: bool) -> Any:
    try:
        number = float(text.replace(" ", "").replace(",", "."))
    except ValueError:
        return text  # refused by the record's own check, with its words
    return int(number) if whole and number.is_integer() else number


def _who(
    history: list[VersionOut], version: int | None, names: Mapping[uuid.UUID, str]
) -> tuple[str, datetime | None]:
    found = next((entry for entry in history if entry.version == version), None)
    if found is None:
        return "", None
    return names.get(found.user_id, ""), found.at


def _record(read: answers.RoundWords, entity: str, values: Mapping[str, Any]) -> str:
    """Which record: its kind, and what names it for a person."""
    kind = read.t(f"entity_{entity}") if f"entity_{entity}" in WORDS else read.t("entity_other")
    if entity == "submission":
        named = read.group(values.get("group")) if values.get("group") else ""
    elif entity == "action_item":
        named = str(values.get("issue") or "")
    elif entity == "cycle_indicator":
        named = read.field_value("label", values.get("label"))
    elif entity == "interface_meeting":
        named = str(values.get("held_on") or values.get("venue") or "")
    else:
        named = ""
    return f"{kind}: {named}" if named else kind


async def _places(db: AsyncSession, principal: Principal, words: Words) -> list[Place]:
    found = await settling.list_conflicts(
        db, principal=principal, status="open", limit=SHOWN, offset=0
    )
    held = await settling.holders(db, found)
    histories = {
        conflict.record_id: await settling.history(
            db, principal=principal, entity=conflict.entity, record_id=conflict.record_id
        )
        for conflict in found
    }
    names = await users.names(
        db,
        [c.user_id for c in found]
        + [entry.user_id for history in histories.values() for entry in history],
    )
    language = words.language
    reads: dict[uuid.UUID, answers.RoundWords] = {}
    places: dict[tuple[str, str], list[ConflictView]] = {}
    for conflict in found:
        holder = held.get(conflict.record_id)
        cycle_id = holder.cycle_id if holder else None
        if cycle_id is None:
            continue
        if cycle_id not in reads:
            reads[cycle_id] = await answers.round_words(
                db, principal=principal, cycle_id=cycle_id, words=words
            )
        read = reads[cycle_id]
        cycle = await cycles.get(db, principal=principal, cycle_id=cycle_id)
        facility = await facilities.get(db, principal=principal, facility_id=cycle.facility_id)
        facility_name = facility.name_mn if language == "mn" else facility.name_en
        history = histories[conflict.record_id]
        base_who, base_when = _who(history, conflict.base_version, names)
        server_who, server_when = _who(history, conflict.server_version, names)
        deletes = conflict.field == "_deleted"
        sides = [
            Side(read.t("side_server"), _side(read, conflict, "server"), server_who, server_when),
            Side(
                read.t("side_tablet"),
                _side(read, conflict, "device"),
                names.get(conflict.user_id, read.t("unknown_person")),
                conflict.created_at,
            ),
        ]
        if not deletes:
            sides.insert(
                0,
                Side(read.t("side_base"), _side(read, conflict, "base"), base_who, base_when),
            )
        view = ConflictView(
            id=conflict.id,
            record=_record(read, conflict.entity, holder.values if holder else {}),
            what=read.field_name(conflict.field),
            sides=sides,
            typed=None if deletes else _typed(read, conflict),
            deletes=deletes,
        )
        places.setdefault((facility_name, cycle.label_for(language)), []).append(view)
    return [Place(f, r, views) for (f, r), views in sorted(places.items())]


def _side(read: answers.RoundWords, conflict: ConflictOut, side: str) -> str:
    value = {
        "base": conflict.base_value,
        "server": conflict.server_value,
        "device": conflict.device_value,
    }[side]
    if conflict.field == "_deleted":
        if value is None:
            return read.t("record_deleted")
        if value == "deleted":
            return read.t("tablet_deletes")
        if side == "device" and isinstance(value, dict):
            return f"{read.t('kept_with')}: {read.record(value)}"
        return read.record(value)
    return read.field_value(conflict.field, value)


async def _screen(
    db: AsyncSession,
    request: Request[Any, Any, Any],
    principal: Principal,
    *,
    status: int = 200,
    error: str | None = None,
    error_at: uuid.UUID | None = None,
    settled: bool = False,
) -> Template:
    words = _words(request, principal)
    places = await _places(db, principal, words)
    return screen(
        request,
        "conflicts/list.html",
        WORDS,
        answers.ALL_WORDS,
        status=status,
        moment=answers.moments(request.app.state.settings.timezone),
        places=places,
        error=error,
        error_at=error_at,
        settled=settled,
    )


@get("/console/conflicts", opt=SETTLERS, include_in_schema=False)
async def conflicts_screen(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    settled: FromQuery[bool] = False,
) -> Template:
    """Every open conflict the person may settle, per facility and round."""
    return await _screen(db, request, principal, settled=settled)


@dataclass
class SettleForm:
    choice: str = ""
    value: str = ""
    note: str = ""


@post(
    "/console/conflicts/{conflict_id:uuid}/settle",
    opt=SETTLERS,
    include_in_schema=False,
    status_code=303,
)
async def settle(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    conflict_id: FromPath[uuid.UUID],
    data: Form[SettleForm],
) -> Template | Redirect:
    """Keep the server's value, take the tablet's, or set a typed one, with a note."""
    conflict = await settling.get(db, principal=principal, conflict_id=conflict_id)  # 404
    if data.choice not in ("server", "device", "value"):
        return await _screen(
            db, request, principal, status=400, error="error_refused", error_at=conflict_id
        )
    value: Any = None
    if data.choice == "value":
        holder = (await settling.holders(db, [conflict])).get(conflict.record_id)
        if holder is None or holder.cycle_id is None:
            raise NotFound("No such conflict.")
        read = await answers.round_words(
            db, principal=principal, cycle_id=holder.cycle_id, words=_words(request, principal)
        )
        value = _parse(read, conflict, data.value)
    done = await _attempt(
        db,
        lambda: settling.resolve(
            db,
            principal=principal,
            conflict_id=conflict_id,
            choice=data.choice,
            value=value,
            note=data.note[:2000],
        ),
    )
    if isinstance(done, DomainError):
        code = done.errors[0].code if done.errors and done.errors[0].code else done.code
        return await _screen(
            db,
            request,
            principal,
            status=done.status,
            error=ERRORS.get(code or "", ERRORS.get(done.code, "error_refused")),
            error_at=conflict_id,
        )
    return Redirect(path="/console/conflicts?settled=1", status_code=303)


async def _attempt(db: AsyncSession, action: Callable[[], Awaitable[T]]) -> T | DomainError:
    """`forms.attempt`, except that a refusal whose writes must stand keeps them: a conflict
    found outdated is brought up to date, so the person chooses again on what it holds now."""
    savepoint = await db.begin_nested()
    try:
        result = await action()
    except DomainError as error:
        await (savepoint.commit() if error.keeps_writes else savepoint.rollback())
        return error
    await savepoint.commit()
    return result


ROUTES = [conflicts_screen, settle]
