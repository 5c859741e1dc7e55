"""What a device may receive: a scope (role, areas, facilities) and its SQL over the feed."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, false, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.cycles.models import Cycle
from backend.sync.models import Change, SyncScope

# Which audiences of the feed each role receives (see Change.audience).
AUDIENCES = {
    Role.ADMIN: ("everyone", "staff", "team"),
    Role.COORDINATOR: ("everyone", "staff", "team"),
    Role.FACILITATOR: ("everyone", "staff", "team"),
    Role.MONITOR: ("everyone", "staff", "team"),
    Role.PROVIDER: ("everyone", "staff"),  # never the community's or monitors' raw answers
    # and the removals of a round whose publication was withdrawn
    Role.VIEWER: ("everyone", "withdrawn"),
}


@dataclass(frozen=True, slots=True)
class FeedScope:
    role: Role
    area_codes: tuple[str, ...]
    facility_ids: tuple[uuid.UUID, ...]

    @classmethod
    def of(cls, principal: Principal) -> FeedScope:
        return cls(
            principal.role,
            tuple(sorted(principal.area_codes)),
            tuple(sorted(principal.facility_ids)),
        )

    @property
    def hash(self) -> str:
        text = "|".join(
            [self.role.value, ",".join(self.area_codes), ",".join(map(str, self.facility_ids))]
        )
        return hashlib.sha256(text.encode()).hexdigest()[:24]

    def predicate(self) -> ColumnElement[bool]:
        """A change row this scope receives."""
        audience: ColumnElement[bool] = Change.audience.in_(AUDIENCES[self.role])
        if self.role is Role.VIEWER:
            # a round and everything in it reach viewers once it is published; publishing
            # hands its records out again for cursors already past them, and a withdrawal
            # takes them back
            published = select(Cycle.id).where(Cycle.published_at.is_not(None))
            in_round = or_(
                Change.cycle_id.is_(None),
                Change.cycle_id.in_(published),
                # a withdrawal's removals reach viewers while the round is unpublished
                Change.audience == "withdrawn",
            )
            audience = and_(audience, in_round)
        if self.role is Role.ADMIN:
            return audience
        unscoped = and_(Change.facility_id.is_(None), Change.area_code.is_(None))
        places: list[ColumnElement[bool]] = [unscoped]
        if self.area_codes:
            inside = select(Area.code).where(Area.lineage.overlap(list(self.area_codes)))
            places.append(Change.area_code.in_(inside))
        if self.facility_ids:
            places.append(Change.facility_id.in_(list(self.facility_ids)))
        return and_(audience, or_(*places) if places else false())


async def remember(db: AsyncSession, scope: FeedScope) -> None:
    await db.execute(
        insert(SyncScope)
        .values(
            hash=scope.hash,
            role=scope.role.value,
            area_codes=list(scope.area_codes),
            facility_ids=list(scope.facility_ids),
        )
        .on_conflict_do_nothing(index_elements=[SyncScope.hash])
    )


async def recall(db: AsyncSession, scope_hash: str) -> FeedScope | None:
    row = await db.get(SyncScope, scope_hash)
    if row is None:
        return None
    return FeedScope(Role(row.role), tuple(row.area_codes), tuple(row.facility_ids))
