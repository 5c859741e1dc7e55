"""The rounds a reader may read results of, by name, to find a scorecard, its downloads and
its area's page: every round the reader may see (`access.round_visible`: a viewer's only once
published, a provider's its own facilities'), filtered by area, campaign and template.

Only names and states are listed here; every figure stays with the report services that
apply the disclosure rule (the scorecard, the roll-up, the trend, the index)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles.models import Campaign, Cycle
from backend.facilities.models import Facility
from backend.scorecards.document import LocalText
from backend.scorecards.models import Template, TemplateVersion
from backend.web.pagination import PageRequest


@dataclass(frozen=True, slots=True)
class ResultRound:
    cycle_id: uuid.UUID
    label: LocalText
    phase: str
    published: bool
    opened_at: datetime
    facility: LocalText
    area_code: str
    area: LocalText
    template_key: str
    template: LocalText
    campaign: LocalText | None


@dataclass(frozen=True, slots=True)
class ResultPage:
    rounds: list[ResultRound]
    total: int


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    label: LocalText


@dataclass(frozen=True, slots=True)
class Options:
    """What the reader's rounds can be filtered by: their areas (every level the facilities
    are in), campaigns and templates."""

    areas: list[Option]
    campaigns: list[Option]
    templates: list[Option]


def _visible(principal: Principal) -> Select[Any]:
    return (
        select(Cycle.id)
        .join(Facility, Facility.id == Cycle.facility_id)
        .where(access.round_visible(principal))
    )


def _within(area: str) -> Any:
    inside = select(Area.code).where(Area.lineage.contains([area]))
    return Cycle.facility_id.in_(select(Facility.id).where(Facility.area_code.in_(inside)))


def _named(principal: Principal) -> Select[Any]:
    return (
        select(Cycle, Facility, Area, Template.key, TemplateVersion.document["name"], Campaign)
        .join(Facility, Facility.id == Cycle.facility_id)
        .join(Area, Area.code == Facility.area_code)
        .join(TemplateVersion, TemplateVersion.id == Cycle.template_version_id)
        .join(Template, Template.id == TemplateVersion.template_id)
        .outerjoin(Campaign, Campaign.id == Cycle.campaign_id)
        .where(access.round_visible(principal))
    )


def _round(row: Any) -> ResultRound:
    cycle, facility, area, key, name, campaign = row
    return ResultRound(
        cycle_id=cycle.id,
        label=LocalText(mn=cycle.label, en=cycle.label_for("en")),
        phase=cycle.phase,
        published=cycle.published_at is not None,
        opened_at=cycle.opened_at,
        facility=LocalText(mn=facility.name_mn, en=facility.name_en or facility.name_mn),
        area_code=area.code,
        area=LocalText(mn=area.name_mn, en=area.name_en),
        template_key=key,
        template=LocalText(mn=name["mn"], en=name["en"]),
        campaign=None
        if campaign is None
        else LocalText(mn=campaign.label, en=campaign.label_en or campaign.label),
    )


async def named_rounds(
    db: AsyncSession, *, principal: Principal, cycle_ids: set[uuid.UUID]
) -> dict[uuid.UUID, ResultRound]:
    """These rounds by their names, those the reader may see."""
    if not cycle_ids:
        return {}
    rows = await db.execute(_named(principal).where(Cycle.id.in_(cycle_ids)))
    return {r.cycle_id: r for r in map(_round, rows)}


async def rounds(
    db: AsyncSession,
    *,
    principal: Principal,
    page: PageRequest,
    area: str | None = None,
    campaign: uuid.UUID | None = None,
    template: str | None = None,
) -> ResultPage:
    """The reader's rounds, newest first."""
    query = _named(principal)
    if area:
        query = query.where(_within(area))
    if campaign:
        query = query.where(Cycle.campaign_id == campaign)
    if template:
        query = query.where(Template.key == template)
    total = await db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = await db.execute(
        query.order_by(Cycle.opened_at.desc(), Facility.name_mn, Cycle.id)
        .limit(page.limit)
        .offset(page.offset)
    )
    return ResultPage(
        rounds=[_round(row) for row in rows],
        total=total,
    )


async def options(db: AsyncSession, *, principal: Principal) -> Options:
    visible = _visible(principal)
    lineage = (
        select(func.unnest(Area.lineage))
        .join(Facility, Facility.area_code == Area.code)
        .join(Cycle, Cycle.facility_id == Facility.id)
        .where(Cycle.id.in_(visible))
    )
    areas = await db.execute(
        select(Area.code, Area.name_mn, Area.name_en)
        .where(Area.code.in_(lineage), Area.level != "country")
        .order_by(func.cardinality(Area.lineage), Area.name_mn)
    )
    campaigns = await db.execute(
        select(Campaign.id, Campaign.label, Campaign.label_en)
        .where(Campaign.id.in_(select(Cycle.campaign_id).where(Cycle.id.in_(visible))))
        .order_by(Campaign.opened_at.desc())
    )
    templates = await db.execute(
        # each template by the name of its newest version among the reader's rounds
        select(Template.key, TemplateVersion.document["name"])
        .ext(distinct_on(Template.key))
        .join(TemplateVersion, TemplateVersion.template_id == Template.id)
        .join(Cycle, Cycle.template_version_id == TemplateVersion.id)
        .where(Cycle.id.in_(visible))
        .order_by(Template.key, TemplateVersion.number.desc())
    )
    return Options(
        areas=[Option(code, LocalText(mn=mn, en=en)) for code, mn, en in areas],
        campaigns=[
            Option(str(key), LocalText(mn=label, en=label_en or label))
            for key, label, label_en in campaigns
        ],
        templates=[Option(key, LocalText(mn=name["mn"], en=name["en"])) for key, name in templates],
    )
