"""Who may see which record, and what an outsider's figures may be computed from.

One rule per record kind, asked by every surface that shows it (API reads, exports, pages,
conflicts, history, integrity, attachments); the pull applies the same rules to its change
rows in `backend/sync/scope.py`. Each rule is a SQL condition, so what a caller may not see is
left out by the query itself and answers 404 like a record that does not exist.

The disclosure rule (PRIVACY.md): insiders (the coordinators and the team that collected a
round) see every figure. Outsiders (providers, viewers) see figures computed only from
publishable cells: a community group's answers count for them only when the group had at
least MIN_GROUP_SIZE people, in a round they may see; each piece of free text and evidence
only once a coordinator has passed it (`backend/reviews/`). What never enters an outsider's
figure cannot be worked out from it by subtraction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlalchemy.orm import aliased

from backend.action_plans.models import ActionItem, ActionUpdate, InterfaceMeeting
from backend.auth.models import Role
from backend.auth.policy import Principal, facility_in_scope
from backend.cycles.models import Cycle, CycleIndicator
from backend.facilities.models import Facility
from backend.reviews.models import PieceReview
from backend.submissions.models import Submission

# A community group smaller than this is never in an outsider's figure, text or photo.
MIN_GROUP_SIZE = 5

INSIDERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.MONITOR})
# who may settle a conflict, and so read conflicts and record histories in their scope
RESOLVERS = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR})


def is_outsider(principal: Principal) -> bool:
    return principal.role not in INSIDERS


def facility_visible(principal: Principal, facility_id: Any) -> ColumnElement[bool]:
    """The facility (by an id column) is in the caller's scope."""
    visible: ColumnElement[bool] = facility_id.in_(
        select(Facility.id).where(facility_in_scope(principal, Facility.id, Facility.area_code))
    )
    return visible


def round_visible(principal: Principal) -> ColumnElement[bool]:
    """A cycle the caller may see: in scope; for a viewer, only once it is published.

    A provider sees its own facility's rounds before publication: the comparison is shown to
    the provider before the interface meeting (DOMAIN.md)."""
    in_scope = facility_visible(principal, Cycle.facility_id)
    if principal.role is Role.VIEWER:
        return and_(in_scope, Cycle.published_at.is_not(None))
    return in_scope


def cycle_visible(principal: Principal, cycle_id: Any) -> ColumnElement[bool]:
    """The cycle (by an id column) is one the caller may see."""
    visible: ColumnElement[bool] = cycle_id.in_(select(Cycle.id).where(round_visible(principal)))
    return visible


def submission_visible(principal: Principal) -> ColumnElement[bool]:
    """Submissions as records: the team's in scope; a provider its own facility's
    self-assessments; viewers none (they read results, never answers)."""
    if principal.role in INSIDERS:
        return facility_visible(principal, Submission.facility_id)
    if principal.role is Role.PROVIDER:
        return and_(
            Submission.respondent == "provider", cycle_visible(principal, Submission.cycle_id)
        )
    return false()


def meeting_visible(principal: Principal) -> ColumnElement[bool]:
    return cycle_visible(principal, InterfaceMeeting.cycle_id)


def cycle_indicator_visible(principal: Principal) -> ColumnElement[bool]:
    return cycle_visible(principal, CycleIndicator.cycle_id)


def action_item_visible(principal: Principal) -> ColumnElement[bool]:
    return cycle_visible(principal, ActionItem.cycle_id)


def action_update_visible(principal: Principal) -> ColumnElement[bool]:
    return ActionUpdate.action_item_id.in_(
        select(ActionItem.id).where(action_item_visible(principal))
    )


def may_settle(principal: Principal) -> bool:
    """Conflicts and record histories belong to those who may settle them (in their scope:
    each synced kind's own rule above, which it declares to the sync engine)."""
    return principal.role in RESOLVERS


# from the interface meeting on, the comparison is the meeting's: the provider reads it too
COMPARISON_PHASES = ("interface_meeting", "action_plan", "follow_up", "closed")


def comparison_open(principal: Principal, cycle_id: Any) -> ColumnElement[bool]:
    """Whether the community's figures of a round (by an id column) may reach the caller. The
    provider scores itself blind (DOMAIN.md): it reads the community's scores from the moment
    its own self-assessment is in, or the round reaches the interface meeting, whichever comes
    first. Everyone else reads them whenever they may see the round."""
    if principal.role is not Role.PROVIDER:
        return true()
    own = aliased(Submission)
    return or_(
        cycle_id.in_(select(Cycle.id).where(Cycle.phase.in_(COMPARISON_PHASES))),
        exists().where(
            own.cycle_id == cycle_id, own.respondent == "provider", own.deleted_at.is_(None)
        ),
    )


def publishable(principal: Principal) -> ColumnElement[bool]:
    """A submission whose answers may enter the caller's figures (the disclosure rule)."""
    if not is_outsider(principal):
        return true()
    return and_(
        or_(
            Submission.respondent != "community",
            and_(
                Submission.participants >= MIN_GROUP_SIZE,
                comparison_open(principal, Submission.cycle_id),
            ),
        ),
        cycle_visible(principal, Submission.cycle_id),
    )


def evidence_visible(principal: Principal) -> ColumnElement[bool]:
    """A submission whose words and photos may reach the caller, each piece once passed
    (`piece_passed`): an insider's record, a provider's own self-assessment, or a publishable
    cell."""
    if not is_outsider(principal):
        return submission_visible(principal)
    return or_(submission_visible(principal), publishable(principal))


def piece_passed(
    principal: Principal, record_id: Any, piece: Any, content_hash: Any
) -> ColumnElement[bool]:
    """One piece of community text or evidence (by columns naming it) reaches the caller: any
    piece for the programme's team; for outsiders, one a coordinator passed as it reads now,
    or a provider's own words (a self-assessment waits for nobody)."""
    if not is_outsider(principal):
        return true()
    return or_(
        Submission.respondent == "provider",
        exists().where(
            PieceReview.record_id == record_id,
            PieceReview.piece == piece,
            PieceReview.content_hash == content_hash,
            PieceReview.state == "passed",
        ),
    )
