"""The start page: what needs someone's hand today, each with a link to act on it.

Every figure is counted under the same access rules as the API (`backend/auth/access.py`):
a coordinator sees their own areas, a facilitator and a monitor their own work's areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from litestar import Request, get
from litestar.datastructures import State
from litestar.response import Redirect, Template
from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans.models import ActionItem
from backend.areas.models import Area
from backend.auth import access
from backend.auth.models import Device
from backend.auth.policy import SIGNED_IN, CurrentPrincipal, Principal, user_in_scope
from backend.console.render import COORDINATING, INSIDE, screen
from backend.cycles.models import Cycle
from backend.cycles.phases import PHASES
from backend.database.session import DbSession
from backend.facilities.models import Facility
from backend.reminders.models import OutboxMessage
from backend.submissions.models import Submission
from backend.sync.models import Conflict

RECENT_DAYS = 7
SILENT_AFTER = timedelta(days=7)

WORDS = {
    "rounds_by_phase": ("Үе шат бүрийн тойрог, нутаг дэвсгэрээр", "Rounds by phase, per area"),
    "area": ("Нутаг дэвсгэр", "Area"),
    "synced": ("Сүүлийн 7 хоногт ирсэн оноон карт", "Scorecards synced in the last 7 days"),
    "silent": ("7 хоногоос дээш холбогдоогүй таблет", "Tablets silent for a week"),
    "open_conflicts": ("Шийдээгүй зөрчил", "Open conflicts"),
    "awaiting_approval": ("Батлах хүлээж буй ажил", "Action items awaiting approval"),
    "overdue": ("Хугацаа хэтэрсэн ажил", "Overdue action items"),
    "due_review": ("Хянах хугацаа болсон ажил", "Action items due for review"),
    "in_doubt": ("Илгээгдсэн эсэх нь тодорхойгүй сануулга", "Reminders in doubt"),
    "act": ("Харах", "Open"),
    "last_seen": ("Сүүлд холбогдсон", "Last seen"),
    "tablet": ("Таблет", "Tablet"),
    "phase_preparation": ("Бэлтгэл", "Preparation"),
    "phase_input_tracking": ("Орцын хяналт", "Input tracking"),
    "phase_community_scoring": ("Иргэдийн үнэлгээ", "Community scoring"),
    "phase_self_assessment": ("Өөрийн үнэлгээ", "Self-assessment"),
    "phase_interface_meeting": ("Хамтарсан хэлэлцүүлэг", "Interface meeting"),
    "phase_action_plan": ("Төлөвлөгөө", "Action plan"),
    "phase_follow_up": ("Хэрэгжилтийн хяналт", "Follow-up"),
    "phase_closed": ("Хаагдсан", "Closed"),
}


@dataclass(frozen=True, slots=True)
class Dashboard:
    phases: tuple[str, ...]
    rounds: list[tuple[str, dict[str, int]]]  # area name, rounds per phase
    synced: int
    silent: list[tuple[str, datetime]]
    conflicts: int
    awaiting_approval: int
    overdue: int
    due_review: int
    in_doubt: int | None


async def dashboard(db: AsyncSession, principal: Principal, today: date) -> Dashboard:
    language_name = Area.name_mn if principal.language == "mn" else Area.name_en
    rows = await db.execute(
        select(language_name, Cycle.phase, func.count())
        .join(Facility, Facility.id == Cycle.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .where(access.round_visible(principal))
        .group_by(language_name, Cycle.phase)
        .order_by(language_name)
    )
    by_area: dict[str, dict[str, int]] = {}
    for area_name, phase, count in rows:
        by_area.setdefault(area_name, {})[phase] = count
    now = datetime.now(UTC)
    synced = await db.scalar(
        select(func.count())
        .select_from(Submission)
        .where(
            access.submission_visible(principal),
            Submission.updated_at >= now - timedelta(days=RECENT_DAYS),
        )
    )
    silent = (
        await db.execute(
            select(Device.name, Device.last_seen_at)
            .where(
                user_in_scope(principal, Device.registered_by),
                Device.revoked_at.is_(None),
                Device.last_seen_at < now - SILENT_AFTER,
            )
            .order_by(Device.last_seen_at)
            .limit(20)
        )
    ).all()
    conflicts = await db.scalar(
        select(func.count())
        .select_from(Conflict)
        .where(Conflict.status == "open", access.facility_visible(principal, Conflict.facility_id))
    )
    open_items = and_(access.action_item_visible(principal), ActionItem.deleted_at.is_(None))
    unfinished = ActionItem.status.not_in(("done", "dropped"))
    counts = (
        await db.execute(
            select(
                func.count().filter(ActionItem.approval == "pending"),
                func.count().filter(unfinished, ActionItem.due_on < today),
                func.count().filter(unfinished, ActionItem.review_on <= today),
            ).where(open_items)
        )
    ).one()
    in_doubt = None
    if principal.role in COORDINATING:
        in_doubt = await db.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.sent_at.is_(None),
                or_(
                    OutboxMessage.sending_since.is_not(None), OutboxMessage.given_up_at.is_not(None)
                ),
                user_in_scope(principal, OutboxMessage.user_id),
            )
        )
    return Dashboard(
        phases=PHASES,
        rounds=sorted(by_area.items()),
        synced=synced or 0,
        silent=[(name, seen) for name, seen in silent],
        conflicts=conflicts or 0,
        awaiting_approval=counts[0],
        overdue=counts[1],
        due_review=counts[2],
        in_doubt=in_doubt,
    )


@get("/console/", opt=SIGNED_IN, include_in_schema=False)
async def home(
    db: DbSession, state: State, request: Request[Any, Any, Any], principal: CurrentPrincipal
) -> Template | Redirect:
    """Providers and viewers read results; the programme's team starts here."""
    if principal.role not in INSIDE:
        return Redirect(path="/console/results", status_code=303)
    board = await dashboard(db, principal, state.settings.today())
    return screen(request, "home.html", WORDS, board=board)


ROUTES = [home]
