"""Community-raised indicators as tablets sync them: wire shapes, who raises and consolidates
them in which phase, and the freeze once scoring is over.

In the community score card method each focus group raises its own issues; facilitators
consolidate them into the round's indicators (select, drop, or merge one into another), and
every group then scores the selected ones beside the template's. The same issue raised on two
tablets offline (the same `key`) is one indicator: the later arrival is stored merged into the
first, and an indicator's groups are its own `raised_by` and those of every indicator merged
into it, so nothing anyone typed is lost. What the later tablet says of its copy (selected, a
direction, a tag) it says of the one indicator, so its group scores that one.

Groups word their issues as problems ("classrooms are cold in winter"), so which way is better
is the indicator's own (`better`): set by the facilitator who selects it, unknown until then.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal

import msgspec

from backend.auth import access, writers
from backend.cycles import raised, tags
from backend.cycles.models import CycleIndicator
from backend.scorecards import service as templates
from backend.scorecards.document import Count, Indicator, LocalText, Scale, YesNo
from backend.scorecards.validation import CompiledTemplate
from backend.sync.entity import Context, Rejected, SyncedEntity, Working
from backend.sync.merge import Policy
from backend.sync.records import UNSET, CountKey, IndicatorKey, Unset
from backend.wire import Wire

# the tablet contract publishes these shapes under schemas/sync/, with the rest of the protocol
CONTRACT_AREA = "sync"

IndicatorKind = Literal["scale", "yes_no", "count"]
Origin = Literal["community", "provider"]
IndicatorStatus = Literal["proposed", "selected", "dropped", "merged"]
# which way is good; "none" where a direction has no meaning (a count); null: not set yet
Better = Literal["higher", "lower", "none"]
# proposed, then one of the three; two different outcomes of one indicator conflict
STAGES = {"proposed": 0, "selected": 1, "dropped": 1, "merged": 1}
Groups = Annotated[list[CountKey], msgspec.Meta(max_length=50)]
Tag = Annotated[str, msgspec.Meta(pattern=r"^[a-z][a-z0-9_]{0,63}$")]

# in which phase indicators of each origin are raised and consolidated
OPEN_PHASE = {"community": "community_scoring", "provider": "self_assessment"}


def written_as(origin: str) -> str:
    """The record kind an indicator of this origin is in the table of writers."""
    return f"{origin}_indicator"


# who consolidates the round's indicators (every edit of one), and who raises an indicator of
# each origin: whoever may state which groups raised it (backend/auth/writers.py)
CONSOLIDATORS = writers.COMMUNITY_SIDE
RAISERS = {origin: writers.WRITERS[written_as(origin)]["raised_by"] for origin in OPEN_PHASE}
# what may still change once the set is frozen: a coordinator's translation, tag and direction
TRANSLATORS = writers.AREA_LEADS
AFTER_FREEZE = frozenset({"label", "tag", "better"})


class IndicatorLabel(Wire):
    """The indicator in the words the group used (Mongolian), and its English translation."""

    mn: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]
    en: Annotated[str, msgspec.Meta(max_length=500)] | None = None


class CycleIndicatorCreate(Wire):
    cycle_id: uuid.UUID
    key: IndicatorKey
    label: IndicatorLabel
    kind: IndicatorKind
    raised_by: Groups = msgspec.field(default_factory=list)
    origin: Origin = "community"
    status: IndicatorStatus = "proposed"
    merged_into: uuid.UUID | None = None
    tag: Tag | None = None
    # which way is better: set when the indicator is selected; null while nobody has said
    better: Better | None = None


class CycleIndicatorUpdate(Wire):
    label: IndicatorLabel | Unset = UNSET
    raised_by: Groups | Unset = UNSET
    status: IndicatorStatus | Unset = UNSET
    merged_into: uuid.UUID | Unset | None = UNSET
    tag: Tag | Unset | None = UNSET
    better: Better | Unset | None = UNSET


class IndicatorFrozen(Rejected):
    """The round has left the phase in which its indicators of this origin are raised."""

    code = "cycle_indicator.frozen"


class NotYours(Rejected):
    """The role does not raise or consolidate indicators of this origin, nor add to the groups
    that raised a community issue (by merging into it)."""

    code = "cycle_indicator.not_allowed"


class KeyTaken(Rejected):
    """The key is one of the template's indicators, or (for one brought back from merged or
    dropped) held by another standing one."""

    code = "cycle_indicator.key_taken"


class KeyOfTheOtherSide(Rejected):
    """The two sides' keys never meet: a provider's begin with `provider_`, a community
    issue's never do. A collision would tell the provider the key of a community issue whose
    words it may not read yet."""

    code = "cycle_indicator.key_side"


# the keys of the indicators a provider raises
PROVIDER_KEYS = "provider_"


class SelectedIsFinal(Rejected):
    """Groups score a selected indicator: it is not dropped or merged away afterwards."""

    code = "cycle_indicator.selected"


class BadMerge(Rejected):
    """`merged_into` must name another live indicator of the round, with status `merged`."""

    code = "cycle_indicator.bad_merge"


def scored(ctx: Context, cycle_id: uuid.UUID, compiled: CompiledTemplate) -> CompiledTemplate:
    """The round's template with its selected raised indicators, each answered like a template
    indicator of its kind (a scale on the template's own scale) by the side that raised it."""
    scale = compiled.scale
    selected, unselected = [], set()
    for working in ctx.round_records(CYCLE_INDICATOR.name, cycle_id):
        values = working.values
        if working.deleted or values["status"] != "selected":
            unselected.add(values["key"])
            continue
        selected.append(as_indicator(values, scale))
    return compiled.with_raised(selected, unselected - {i.key for i in selected})


def as_indicator(values: dict[str, Any], scale: Scale) -> Indicator:
    """The indicator as answers are checked against it. A template indicator's `better` is
    higher or lower; a raised one may also be none or unknown, so what reads its direction
    reads the record's own (`raised.direction`); the Indicator carries it only where it can."""
    kinds: dict[str, Scale | YesNo | Count] = {"scale": scale, "yes_no": YesNo(), "count": Count()}
    answer = kinds[values["kind"]]
    label = values["label"]
    return Indicator(
        key=values["key"],
        section="raised",
        label=LocalText(mn=label["mn"], en=label.get("en") or label["mn"]),
        answer=answer,
        respondents=["community", "monitor"] if values["origin"] == "community" else ["provider"],
        required=False,
        ask_reason=values["origin"] == "community",
        better="lower" if values.get("better") == "lower" else "higher",
    )


def _frozen(ctx: Context, cycle_id: uuid.UUID, origin: str) -> bool:
    return ctx.cycle(cycle_id).phase != OPEN_PHASE[origin]


def _check_create(ctx: Context, data: CycleIndicatorCreate, values: dict[str, Any]) -> None:
    if ctx.principal.role not in RAISERS[data.origin]:
        raise NotYours(f"a {ctx.principal.role} does not raise {data.origin} indicators")
    if _frozen(ctx, data.cycle_id, data.origin):
        raise IndicatorFrozen(
            f"{data.origin} indicators are raised during {OPEN_PHASE[data.origin]}",
            "data.cycle_id",
        )
    if (data.origin == "provider") != data.key.startswith(PROVIDER_KEYS):
        raise KeyOfTheOtherSide(
            f"a provider's indicator's key begins with {PROVIDER_KEYS}, a community issue's "
            "never does",
            "data.key",
        )
    cycle = ctx.cycle(data.cycle_id)
    if data.key in templates.compiled(cycle.template_version).indicators:
        raise KeyTaken("the template has an indicator with this key", "data.key")
    same = _standing(ctx, data.cycle_id, data.key)
    if same is not None and data.status in STANDING:
        # the same issue, raised on another tablet: one indicator, raised by both groups
        values["status"] = "merged"
        values["merged_into"] = str(same.id)
    _check_merge(ctx, data.cycle_id, None, values, named=data.merged_into is not None)


STANDING = ("proposed", "selected")


def _standing(
    ctx: Context, cycle_id: uuid.UUID, key: str, but: uuid.UUID | None = None
) -> Working | None:
    """The round's indicator that holds `key` (proposed or selected), if any."""
    return next(
        (
            other
            for other in ctx.round_records(CYCLE_INDICATOR.name, cycle_id)
            if other.values["key"] == key
            and other.values["status"] in STANDING
            and not other.deleted
            and other.id != but
        ),
        None,
    )


def _check_change(ctx: Context, working: Working) -> None:
    origin = working.values["origin"]
    if _frozen(ctx, working.cycle_id, origin):
        if ctx.principal.role in TRANSLATORS:
            return  # translation and tagging go on; `_check_update` holds the rest
        raise IndicatorFrozen(f"the round's {origin} indicators are settled", "id")
    if ctx.principal.role not in CONSOLIDATORS:
        raise NotYours("facilitators consolidate the round's indicators")


def _check_update(ctx: Context, working: Working, values: dict[str, Any]) -> None:
    changed = [name for name in values if values[name] != working.values.get(name)]
    refused = writers.first_refused(
        ctx.principal.role, written_as(working.values["origin"]), changed
    )
    if refused is not None:
        raise NotYours(f"a {ctx.principal.role} does not change {refused} here", f"data.{refused}")
    _merged_elsewhere(ctx, working, values)
    if working.values["status"] == "selected" and values.get("status", "selected") != "selected":
        raise SelectedIsFinal("groups score a selected indicator; it stays selected", "data.status")
    status = values.get("status", working.values["status"])
    if (
        status in STANDING
        and working.values["status"] not in STANDING
        and _standing(ctx, working.cycle_id, working.values["key"], but=working.id) is not None
    ):
        raise KeyTaken("another indicator of the round holds this key", "data.status")
    if _frozen(ctx, working.cycle_id, working.values["origin"]):
        label = values.get("label")
        if set(values) - AFTER_FREEZE or (
            label is not None and label.get("mn") != working.values["label"]["mn"]
        ):
            raise IndicatorFrozen(
                "once scoring is over only the English label, the tag and the direction change",
                "data",
            )
    _check_merge(
        ctx, working.cycle_id, working, {**working.values, **values}, named="merged_into" in changed
    )


def _check_merge(
    ctx: Context,
    cycle_id: uuid.UUID,
    working: Working | None,
    values: dict[str, Any],
    *,
    named: bool,
) -> None:
    """`merged_into` names another standing indicator of the round. Named by the pusher (not
    the server's merge of one issue raised twice), it adds the pusher's groups to that one's:
    only someone who may write the target's `raised_by` names it."""
    target = values.get("merged_into")
    if (values["status"] == "merged") != (target is not None):
        raise BadMerge("a merged indicator names the one it was merged into", "data.merged_into")
    if target is None:
        return
    into = next(
        (
            other
            for other in ctx.round_records(CYCLE_INDICATOR.name, cycle_id)
            if str(other.id) == target and not other.deleted
        ),
        None,
    )
    if into is None or (working is not None and into.id == working.id):
        raise BadMerge("no other indicator of this round has this id", "data.merged_into")
    if into.values["status"] in ("merged", "dropped"):
        raise BadMerge("merge into an indicator that stands", "data.merged_into")
    origin = into.values["origin"]
    if named and writers.first_refused(ctx.principal.role, written_as(origin), ["raised_by"]):
        raise NotYours(
            f"merging into a {origin} indicator adds to the groups that raised it: the "
            f"{origin} side's word, not a {ctx.principal.role}'s",
            "data.merged_into",
        )


def _to_standing(ctx: Context, working: Working, data: CycleIndicatorCreate) -> None:
    """A newcomer the server merged into the standing indicator of its key (the same issue
    raised on another tablet) hands it what its tablet said of the issue: selected, if the
    tablet selected it and may consolidate (its group then scores the one indicator), and its
    direction and tag where the standing one has none. What is set already stands."""
    values = working.values
    if values["status"] != "merged" or data.merged_into is not None:
        return  # not a server merge: the pusher named what it merged into
    into = ctx.reference(CYCLE_INDICATOR.name, uuid.UUID(values["merged_into"]), "data.merged_into")
    _forward(ctx, into, {"status": data.status, "better": data.better, "tag": data.tag})


def _forward(ctx: Context, into: Working, said: dict[str, Any]) -> None:
    """What a tablet said of an issue the server had merged into `into`, given to `into`."""
    origin = into.values["origin"]
    following: dict[str, Any] = {}
    may_select = writers.first_refused(
        ctx.principal.role, written_as(origin), ["status"]
    ) is None and not _frozen(ctx, into.cycle_id, origin)
    if said.get("status") == "selected" and into.values["status"] == "proposed" and may_select:
        following["status"] = "selected"
    for name in ("better", "tag"):
        if said.get(name) is not None and into.values.get(name) is None:
            following[name] = said[name]
    if following:
        ctx.follow(into, following)


def _merged_elsewhere(ctx: Context, working: Working, values: dict[str, Any]) -> None:
    """An edit of an indicator the server merged into another (the tablet still holds it as
    its own: it raised the issue offline) selects or directs the one it was merged into, and
    leaves this one merged: the group that selected the issue scores the one indicator."""
    if working.values["status"] != "merged" or values.get("merged_into", 1) is None:
        return
    said: dict[str, Any] = {
        name: values.pop(name) for name in ("status", "better", "tag") if name in values
    }
    if said.get("status") in ("merged", "dropped"):
        values["status"] = said.pop("status")  # the tablet's own outcome for its record
    into = ctx.reference(
        CYCLE_INDICATOR.name, uuid.UUID(working.values["merged_into"]), "data.merged_into"
    )
    _forward(ctx, into, said)


CYCLE_INDICATOR = SyncedEntity(
    visible=access.cycle_indicator_visible,
    name="cycle_indicator",
    model=CycleIndicator,
    create=CycleIndicatorCreate,
    update=CycleIndicatorUpdate,
    fields=(
        "cycle_id",
        "facility_id",
        "key",
        "label",
        "kind",
        "raised_by",
        "origin",
        "status",
        "merged_into",
        "tag",
        "better",
    ),
    writers=frozenset().union(*RAISERS.values()),
    policies={"raised_by": Policy.SET, "status": Policy.LIFECYCLE},
    lifecycle_rank={"status": STAGES},
    # one issue, one tag wherever it is raised: from the programme's list (cycles/tags.py)
    listed={"tag": tags.keys},
    check_create=_check_create,
    check_change=_check_change,
    check_update=_check_update,
    after_create=_to_standing,
    loaded_with_round=True,
    deletable=False,
    as_read=raised.as_read,
)
