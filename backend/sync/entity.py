"""What an entity declares to the sync engine, and the registry of those declarations.

The engine (exactly-once log, merge, conflicts, feed) knows a record only through its entity's
declaration. A record tablets write declares its wire types and fields, how each field merges,
who may write it, where a new record belongs, and the checks its own domain makes on a create,
an edit or a delete; a record tablets only receive declares how to load it for the feed. Each
domain declares its entities beside its models; `backend/entities.py` registers them.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from sqlalchemy import ColumnElement

from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.database.session import Base
from backend.sync.merge import Policy
from backend.sync.schemas import ItemError
from backend.wire import Wire

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from backend.auth.policy import Principal
    from backend.scorecards.models import TemplateVersion


# how a write arrives: a device's push, or a paper sheet typed by a person at the console (a
# push without a device)
Source = Literal["tablet", "paper"]


class Rejected(Exception):
    """One mutation refused; the device's counter still moves past it. Each refusal is a
    subclass that declares its stable `code` beside the rule that raises it."""

    code: ClassVar[str]

    def __init__(
        self, detail: str, field: str | None = None, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(detail)
        self.error = ItemError(code=self.code, detail=detail, field=field, errors=errors)


class ReferenceMismatch(Rejected):
    """A new record refers to a record of another round."""

    code = "sync.reference_mismatch"


@dataclass(frozen=True, slots=True)
class CycleInfo:
    """The round a record belongs to, as a push sees it."""

    facility_id: uuid.UUID
    phase: str
    template_version: TemplateVersion

    @property
    def template_version_id(self) -> uuid.UUID:
        return self.template_version.id


@dataclass(slots=True)
class Working:
    """A record as a push sees it: loaded from the database or created by the push."""

    kind: SyncedEntity
    id: uuid.UUID
    values: dict[str, Any]
    version: int
    deleted: bool
    created_by: uuid.UUID
    facility_id: uuid.UUID
    cycle_id: uuid.UUID
    new: bool
    in_scope: bool = True
    dirty: bool = False
    content_hash: str | None = None
    changed_fields: set[str] = field(default_factory=set)
    # when the server first stored it (None: made by this push)
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a new record belongs, and the columns that follow from it (the server sets them,
    whatever the device sent)."""

    facility_id: uuid.UUID
    cycle_id: uuid.UUID
    values: Mapping[str, Any] = field(default_factory=dict)


class Context(Protocol):
    """What an entity's checks may consult: who is pushing, and what the push has loaded."""

    @property
    def principal(self) -> Principal: ...

    @property
    def cycles(self) -> Mapping[uuid.UUID, CycleInfo]: ...

    @property
    def source(self) -> Source:
        """How the records arrive (a record that keeps its source stores it)."""
        ...

    @property
    def today(self) -> date:
        """The programme's date (its time zone): what a reported date is judged against."""
        ...

    def local_date(self, moment: datetime) -> date:
        """A moment as the programme's date."""
        ...

    def cycle(self, cycle_id: uuid.UUID) -> CycleInfo:
        """The round in the pusher's scope, or the mutation is refused."""
        ...

    def reference(self, entity: str, ref: uuid.UUID, field: str) -> Working:
        """A live record in the pusher's scope that `field` names, or the mutation is refused."""
        ...

    def round_records(self, entity: str, cycle_id: uuid.UUID) -> list[Working]:
        """Every record of `entity` in the round, as this push has them (an entity declared
        `loaded_with_round`)."""
        ...

    def follow(self, working: Working, values: dict[str, Any]) -> None:
        """The server changes a loaded record as the consequence of the record just written
        (a new version, recorded and fed like a device's edit)."""
        ...


def in_its_cycle(ctx: Context, data: Any) -> Placement:
    """A record of a round belongs to the round's facility."""
    cycle = ctx.cycle(data.cycle_id)
    return Placement(facility_id=cycle.facility_id, cycle_id=data.cycle_id)


def _compared_by_values(ctx: Context, data: Any, values: dict[str, Any]) -> str | None:
    return None


def _anyone_in_scope(ctx: Context, working: Working) -> None:
    return None


def _any_values(ctx: Context, working: Working, values: dict[str, Any]) -> None:
    return None


@dataclass(frozen=True, slots=True)
class SyncedEntity:
    """A kind of record tablets create, as it describes itself to the sync engine."""

    name: str
    model: type[Base]
    create: type[Wire]
    update: type[Wire]
    # the fields a device sends and receives (besides id and version)
    fields: tuple[str, ...]
    writers: frozenset[Role]
    # who may see a record of this kind: a SQL condition on `model` (backend/auth/access.py);
    # whatever it hides answers every surface like a record that does not exist
    visible: Callable[[Principal], ColumnElement[bool]]
    policies: Mapping[str, Policy] = field(default_factory=dict)
    lifecycle_rank: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    append_only: bool = False
    # a record that is dropped by its status, never deleted
    deletable: bool = True
    # every record of this kind in a round is loaded with the round, for other records' checks
    # (the round's own indicators, for the answers of a submission)
    loaded_with_round: bool = False
    # data fields naming a record of another entity: loaded and locked with the push
    references: Mapping[str, str] = field(default_factory=dict)
    # data fields whose value, when given, is one of a list the programme keeps (a raised
    # indicator's tag): field -> the list's loader; another value is refused
    listed: Mapping[str, Callable[[AsyncSession], Awaitable[Collection[str]]]] = field(
        default_factory=dict
    )
    # where a new record belongs, given its decoded create data
    place: Callable[[Context, Any], Placement] = in_its_cycle
    # checks a new record (its decoded data and canonical values); may return a content hash
    # that recognises the same record sent again (else the values are compared)
    check_create: Callable[[Context, Any, dict[str, Any]], str | None] = _compared_by_values
    # checks that the pusher may edit or delete this record at all
    check_change: Callable[[Context, Working], None] = _anyone_in_scope
    # checks the values an update is about to write (after any merge)
    check_update: Callable[[Context, Working, dict[str, Any]], None] = _any_values
    # checks that a live record may be deleted (a push's delete, a settled stale delete)
    check_delete: Callable[[Context, Working], None] = _anyone_in_scope
    # what a new record changes in the records it refers to (through Context.follow), given
    # the record and its decoded create data as the device sent it
    after_create: Callable[[Context, Working, Any], None] | None = None
    # pulled records (wire data by id) changed in place into what this reader may read of
    # them; answers the ids of those not for this reader at all (handed out as removals)
    as_read: (
        Callable[[AsyncSession, Principal, dict[str, dict[str, Any]]], Awaitable[set[str]]] | None
    ) = None


@dataclass(frozen=True, slots=True)
class PulledEntity:
    """A kind of record tablets receive but never write (areas, facilities, rounds, template
    versions): the feed names it, and `load` gives its records by feed id as wire data, as
    this reader may read them."""

    name: str
    load: Callable[[AsyncSession, Principal, list[str]], Awaitable[Mapping[str, Wire]]]


_registry: dict[str, SyncedEntity] = {}
_pulled: dict[str, PulledEntity] = {}


def register(entity: SyncedEntity) -> None:
    """Add an entity; register them in the order their rows are written, each after the
    entities it refers to."""
    if entity.name in _registry or entity.name in _pulled:
        raise ValueError(f"entity {entity.name!r} is registered already")
    unknown = set(entity.references.values()) - set(_registry)
    if unknown:
        raise ValueError(f"{entity.name!r} refers to {sorted(unknown)}, registered after it")
    _registry[entity.name] = entity


def find(name: str) -> SyncedEntity | None:
    return _registry.get(name)


def registered() -> tuple[SyncedEntity, ...]:
    """Every entity in write order (each after the entities it refers to)."""
    return tuple(_registry.values())


def register_pulled(pulled: PulledEntity) -> None:
    if pulled.name in _registry or pulled.name in _pulled:
        raise ValueError(f"entity {pulled.name!r} is registered already")
    _pulled[pulled.name] = pulled


def find_pulled(name: str) -> PulledEntity | None:
    return _pulled.get(name)
