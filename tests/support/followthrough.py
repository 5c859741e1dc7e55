"""A facility's rounds written straight to the database, with scores and an action plan, for
hand-computed follow-through examples (did it work, the index, trends)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from backend.action_plans.models import ActionItem, ActionUpdate
from backend.auth.models import Role, User
from backend.cycles.models import Cycle, CycleIndicator
from backend.database.session import Database
from backend.facilities.models import Facility
from backend.scorecards.models import Template, TemplateVersion
from backend.submissions.models import Submission
from tests.support.identity import make_user


@dataclass
class Site:
    database: Database
    facility_id: uuid.UUID
    version_id: uuid.UUID
    author: User


async def site(database: Database, area_code: str, *, template: str = "parent_engagement") -> Site:
    async with database.sessionmaker() as db:
        author = await make_user(db, Role.COORDINATOR, areas=[area_code])
        facility = Facility(
            type="school", name_mn="Сургууль", name_en="School", area_code=area_code
        )
        db.add(facility)
        version_id = await db.scalar(
            select(TemplateVersion.id)
            .join(Template, Template.id == TemplateVersion.template_id)
            .where(Template.key == template, TemplateVersion.status == "published")
        )
        await db.commit()
        assert version_id is not None
        return Site(database, facility.id, version_id, author)


async def round_at(
    site: Site,
    opened: date,
    *,
    label: str = "round",
    phase: str = "follow_up",
    planned: list[str] | None = None,
) -> uuid.UUID:
    async with site.database.sessionmaker() as db, db.begin():
        cycle = Cycle(
            facility_id=site.facility_id,
            template_version_id=site.version_id,
            label=label,
            phase=phase,
            opened_by=site.author.id,
            opened_at=datetime(opened.year, opened.month, opened.day, 12, tzinfo=UTC),
            published_at=datetime.now(UTC),
            planned_groups=[{"type": group} for group in planned or []],
        )
        db.add(cycle)
        await db.flush()
        return cycle.id


async def raised(
    site: Site,
    cycle_id: uuid.UUID,
    key: str,
    label_mn: str,
    *,
    kind: str = "scale",
    better: str | None = None,
    tag: str | None = None,
) -> None:
    """An indicator the round's parents raised, selected for scoring."""
    async with site.database.sessionmaker() as db, db.begin():
        db.add(
            CycleIndicator(
                id=uuid.uuid4(),
                cycle_id=cycle_id,
                key=key,
                label={"mn": label_mn, "en": None},
                kind=kind,
                raised_by=["parents"],
                status="selected",
                tag=tag,
                better=better,
                facility_id=site.facility_id,
                created_by=site.author.id,
            )
        )


async def scored(
    site: Site,
    cycle_id: uuid.UUID,
    scores: dict[str, Any],
    *,
    respondent: str = "community",
    group: str = "parents",
    people: int = 12,
) -> None:
    async with site.database.sessionmaker() as db, db.begin():
        # the session is held the day its round opened
        opened = await db.scalar(select(Cycle.opened_at).where(Cycle.id == cycle_id))
        db.add(
            Submission(
                id=uuid.uuid4(),
                cycle_id=cycle_id,
                template_version_id=site.version_id,
                respondent=respondent,
                group=None
                if respondent != "community"
                else {"type": group, "participants": {"female": people}},
                answers={key: {"value": value} for key, value in scores.items()},
                collected_at=opened,
                content_hash=uuid.uuid4().hex,
                facility_id=site.facility_id,
                created_by=site.author.id,
            )
        )


async def item(
    site: Site, cycle_id: uuid.UUID, keys: list[str], status: str, **fields: Any
) -> uuid.UUID:
    async with site.database.sessionmaker() as db, db.begin():
        row = ActionItem(
            id=uuid.uuid4(),
            cycle_id=cycle_id,
            indicator_keys=keys,
            issue="An issue the community raised",
            action="An action agreed",
            status=status,
            facility_id=site.facility_id,
            created_by=site.author.id,
            **fields,
        )
        db.add(row)
        return row.id


async def report(
    site: Site, item_id: uuid.UUID, status: str, reported_on: date, spent_mnt: int = 0
) -> None:
    async with site.database.sessionmaker() as db, db.begin():
        db.add(
            ActionUpdate(
                id=uuid.uuid4(),
                action_item_id=item_id,
                status=status,
                reported_on=reported_on,
                spent_mnt=spent_mnt,
                facility_id=site.facility_id,
                created_by=site.author.id,
            )
        )
