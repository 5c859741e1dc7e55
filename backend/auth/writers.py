"""Who may write the fields that decide what a record says: one table, which the checks read.

A raised indicator's outcome (`status`, `merged_into`) and the groups that raised it
(`raised_by`) are the community's word: merging an indicator into another adds its groups to
that one, so naming a community issue in `merged_into` is writing that issue's `raised_by`. An
action item's status and cost are the plan's, its approval the decision of the facility head or
a coordinator; once the plan is agreed, its cost changes only by a revision with a reason and
only those who answer for the plan beside the facility end an item.

Record kinds are the domain's: a raised indicator is the community's or the provider's by its
origin, and an action item is agreed once its round has moved past the interface meeting or
its plan was approved (`backend/action_plans/sync.py`, `is_agreed`). Each field is written by
its own route (a push, a revision, a plan decision), which keeps its own rules (phase, four
eyes, a reason); who may write it is said here only. A test tries every role on every field
of this table, both ways.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from backend.auth.models import Role

# those who run the community's side of a round: they consolidate what the groups raised
COMMUNITY_SIDE = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR})
# everyone who syncs, viewers aside
FIELD_TEAM = COMMUNITY_SIDE | {Role.MONITOR, Role.PROVIDER}
# those who answer for a plan beside the facility, across the area
AREA_LEADS = frozenset({Role.ADMIN, Role.COORDINATOR})
# the facility head (its provider account) or a coordinator of its area; an admin as well
PLAN_DECIDERS = AREA_LEADS | {Role.PROVIDER}

# record kind -> sensitive field -> the roles that may write it
WRITERS: Mapping[str, Mapping[str, frozenset[Role]]] = {
    # an issue a community group raised (a cycle_indicator of origin community)
    "community_indicator": {
        "status": COMMUNITY_SIDE,
        "merged_into": COMMUNITY_SIDE,
        "raised_by": COMMUNITY_SIDE,
    },
    # an issue the provider raised in its self-assessment: stated whole by the provider as it
    # raises it (merged, if at all, into one of its own); edited afterwards only by the
    # community side, who consolidate every raised indicator
    "provider_indicator": {
        "status": COMMUNITY_SIDE | {Role.PROVIDER},
        "merged_into": COMMUNITY_SIDE | {Role.PROVIDER},
        "raised_by": COMMUNITY_SIDE | {Role.PROVIDER},
    },
    # an action item before its plan is agreed: written from the field team's tablets; its
    # approval only by a decision on the plan (never from a tablet)
    "action_item": {
        "status": FIELD_TEAM,
        "cost_mnt": FIELD_TEAM,
        "approval": PLAN_DECIDERS,
    },
    # an item of an agreed plan: its status moves forward by anyone's progress report, and is
    # ended (dropped) only by these; its cost changes by a revision with its reason
    "agreed_action_item": {
        "status": AREA_LEADS,
        "cost_mnt": PLAN_DECIDERS | {Role.FACILITATOR},
        "approval": PLAN_DECIDERS,
    },
}


def first_refused(role: Role, kind: str, fields: Iterable[str]) -> str | None:
    """The first of these fields of a record of `kind` that the role may not write (fields the
    table does not name are left to the record's other rules)."""
    table = WRITERS[kind]
    return next((name for name in fields if name in table and role not in table[name]), None)
