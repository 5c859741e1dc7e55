"""The demo programme: two MASAM areas, a handful of facilities and the five demo accounts."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.attachments.storage import Store
from backend.auth.models import Role, User
from backend.cycles.models import Cycle, CyclePhaseChange
from backend.facilities.models import Facility
from backend.scorecards import service as templates
from backend.scorecards.models import Template, TemplateVersion
from backend.seed import demo_evidence, demo_rounds
from backend.users import service as users
from backend.users.schemas import UserCreate

# The demo facilities stand in two soums of Uvs, Ulaangom and Tes (reference data, loaded
# before the demo), and in two khoroos of Songinokhairkhan, which the demo adds.
ULAANGOM, TES = "MN-046-18501", "MN-046-18546"
DEMO_AREAS = [
    ("MN-1-SK-20", "khoroo", "MN-1-SK", "Сонгинохайрхан 20-р хороо", "Songinokhairkhan khoroo 20"),
    ("MN-1-SK-32", "khoroo", "MN-1-SK", "Сонгинохайрхан 32-р хороо", "Songinokhairkhan khoroo 32"),
]

# Fixed ids, so that a second demo seed finds the same facilities.
DEMO_FACILITIES = [
    (
        "5c0a1e00-0000-4000-8000-000000000001",
        "school",
        ULAANGOM,
        "Улаангом сумын 1-р сургууль",
        "Ulaangom School No. 1",
        "SCH-046-001",
        False,
    ),
    (
        "5c0a1e00-0000-4000-8000-000000000002",
        "school",
        TES,
        "Тэс сумын ерөнхий боловсролын сургууль",
        "Tes Soum Secondary School",
        "SCH-046-014",
        False,
    ),
    (
        "5c0a1e00-0000-4000-8000-000000000003",
        "soum_health_centre",
        TES,
        "Тэс сумын эрүүл мэндийн төв",
        "Tes Soum Health Centre",
        "HC-046-014",
        True,
    ),
    (
        "5c0a1e00-0000-4000-8000-000000000004",
        "pharmacy",
        ULAANGOM,
        "Увс Эм хангамж эмийн сан",
        "Uvs Pharmacy Supply",
        "PH-046-003",
        True,
    ),
    (
        "5c0a1e00-0000-4000-8000-000000000005",
        "school",
        "MN-1-SK-20",
        "Сонгинохайрхан дүүргийн 67-р сургууль",
        "Songinokhairkhan School No. 67",
        "SCH-1-SK-067",
        False,
    ),
    (
        "5c0a1e00-0000-4000-8000-000000000006",
        "family_health_centre",
        "MN-1-SK-32",
        "Сонгинохайрхан 32-р хорооны өрхийн эрүүл мэндийн төв",
        "Khoroo 32 Family Health Centre",
        "FHC-1-SK-032",
        True,
    ),
    (
        "5c0a1e00-0000-4000-8000-000000000007",
        "pharmacy",
        "MN-1-SK-32",
        "Энх-Эм эмийн сан",
        "Enkh-Em Pharmacy",
        "PH-1-SK-118",
        True,
    ),
]

DEMO_PROGRAMME_AREAS = ["MN-046", "MN-1-SK"]
DEMO_PROVIDER_FACILITY = uuid.UUID("5c0a1e00-0000-4000-8000-000000000003")

DEMO_ACCOUNTS = [
    ("demo_admin", "Demo administrator", Role.ADMIN, [], []),
    (
        "demo_coordinator",
        "Demo coordinator (Uvs, Songinokhairkhan)",
        Role.COORDINATOR,
        DEMO_PROGRAMME_AREAS,
        [],
    ),
    ("demo_facilitator", "Demo facilitator", Role.FACILITATOR, DEMO_PROGRAMME_AREAS, []),
    ("demo_monitor", "Demo community monitor (Uvs)", Role.MONITOR, ["MN-046"], []),
    (
        "demo_provider",
        "Demo provider (Tes Soum Health Centre)",
        Role.PROVIDER,
        [],
        [DEMO_PROVIDER_FACILITY],
    ),
    ("demo_viewer", "Demo viewer (ministry, Uvs)", Role.VIEWER, ["MN-046"], []),
]


async def _seed_areas(db: AsyncSession) -> None:
    parents = {
        code: lineage
        for code, lineage in await db.execute(
            select(Area.code, Area.lineage).where(Area.code.in_({a[2] for a in DEMO_AREAS}))
        )
    }
    rows = [
        {
            "code": code,
            "level": level,
            "parent_code": parent,
            "name_mn": mn,
            "name_en": en,
            "lineage": [*parents[parent], code],
        }
        for code, level, parent, mn, en in DEMO_AREAS
    ]
    await db.execute(insert(Area).values(rows).on_conflict_do_nothing(index_elements=[Area.code]))


async def _seed_facilities(db: AsyncSession) -> None:
    rows = [
        {
            "id": uuid.UUID(fid),
            "type": kind,
            "area_code": area,
            "name_mn": mn,
            "name_en": en,
            "registry_code": registry,
            "insurance_contracted": contracted,
        }
        for fid, kind, area, mn, en, registry, contracted in DEMO_FACILITIES
    ]
    await db.execute(
        insert(Facility).values(rows).on_conflict_do_nothing(index_elements=[Facility.id])
    )


# The demo's rounds, labelled in Mongolian and English.
DEMO_ROUND = demo_rounds.RoundLabel("2026 оны намрын үе", "2026 autumn round")
SPRING_ROUND = demo_rounds.RoundLabel("2026 оны хаврын үе", "2026 spring round")
# Which family each demo facility is scored with this round.
_ROUND_FAMILIES = {
    "school": "parent_engagement",
    "pharmacy": "medicine_availability",
    "soum_health_centre": "health_insurance",
    "family_health_centre": "health_insurance",
}
_GROUPS = {
    "parent_engagement": ["parents", "students", "teachers"],
    "medicine_availability": ["women", "men", "elderly"],
    "health_insurance": ["women", "men", "herders", "people_with_disabilities"],
}


# One facility per family has two completed rounds, so its page shows gaps and trends.
_SHOWCASE = {
    uuid.UUID("5c0a1e00-0000-4000-8000-000000000001"): "parent_engagement",
    uuid.UUID("5c0a1e00-0000-4000-8000-000000000004"): "medicine_availability",
    uuid.UUID("5c0a1e00-0000-4000-8000-000000000003"): "health_insurance",
}


async def _seed_showcase(
    db: AsyncSession,
    facility_id: uuid.UUID,
    version: TemplateVersion,
    people: dict[str, uuid.UUID],
    boards: dict[str, str],
) -> None:
    document = templates.document_of(version)
    groups = _GROUPS[document.family]
    spring = await demo_rounds.seed_round(
        db,
        facility_id=facility_id,
        version_id=version.id,
        document=document,
        label=SPRING_ROUND,
        phase="closed",
        groups=groups,
        level=0.35,
        held_on=date(2026, 4, 20),
        previous_cycle_id=None,
        people=people,
    )
    await demo_rounds.seed_round(
        db,
        facility_id=facility_id,
        version_id=version.id,
        document=document,
        label=DEMO_ROUND,
        phase="follow_up",
        groups=groups,
        level=0.6,
        held_on=date(2026, 10, 25),
        previous_cycle_id=spring.id,
        people=people,
        evidence=demo_evidence.evidence_for(document.family, boards),
        raise_indicators=True,
    )


async def _seed_cycles(
    db: AsyncSession, people: dict[str, uuid.UUID], boards: dict[str, str]
) -> int:
    """Two completed rounds at one facility per family; an open round at every other."""
    opened_by = people["coordinator"]
    versions = {
        key: version
        for key, version in await db.execute(
            select(Template.key, TemplateVersion)
            .join(TemplateVersion, TemplateVersion.template_id == Template.id)
            .where(TemplateVersion.status == "published")
            .order_by(TemplateVersion.number)
        )
    }
    opened = 0
    for fid, kind, *_ in DEMO_FACILITIES:
        facility_id = uuid.UUID(fid)
        family = _ROUND_FAMILIES[kind]
        exists = await db.scalar(select(Cycle.id).where(Cycle.facility_id == facility_id))
        if exists:
            continue
        if facility_id in _SHOWCASE:
            await _seed_showcase(db, facility_id, versions[_SHOWCASE[facility_id]], people, boards)
            opened += 2
            continue
        cycle = Cycle(
            id=demo_rounds.round_id(facility_id, DEMO_ROUND),
            facility_id=facility_id,
            template_version_id=versions[family].id,
            label=DEMO_ROUND.mn,
            label_en=DEMO_ROUND.en,
            phase="community_scoring",
            planned_groups=[{"type": group} for group in _GROUPS[family]],
            opened_by=opened_by,
        )
        db.add(cycle)
        await db.flush()
        db.add_all(
            CyclePhaseChange(
                cycle_id=cycle.id, from_phase=before, to_phase=after, changed_by=opened_by
            )
            for before, after in (
                (None, "preparation"),
                ("preparation", "input_tracking"),
                ("input_tracking", "community_scoring"),
            )
        )
        opened += 1
    await db.flush()
    return opened


async def seed(db: AsyncSession, *, password: str, store: Store | None = None) -> list[str]:
    """Load the demo programme; accounts that exist already are left as they are.

    With a store, the completed rounds carry evidence photos (demo_evidence.py)."""
    await _seed_areas(db)
    await _seed_facilities(db)
    report = [
        f"demo data: {len(DEMO_FACILITIES)} facilities in Uvs and Songinokhairkhan",
        "demo accounts:",
    ]
    for username, display_name, role, area_codes, facility_ids in DEMO_ACCOUNTS:
        exists = await db.scalar(select(User.id).where(User.username == username))
        if exists is None:
            await users.create(
                db,
                data=UserCreate(
                    username=username,
                    display_name=display_name,
                    role=role,
                    password=password,
                    area_codes=area_codes,
                    facility_ids=facility_ids,
                ),
                by=None,
            )
            report.append(f"  {username:<17} {role.value:<12} password: {password}")
        else:
            report.append(f"  {username:<17} {role.value:<12} (already there, unchanged)")
    found = {
        role: await db.scalar(select(User.id).where(User.username == f"demo_{role}"))
        for role in ("coordinator", "facilitator", "monitor", "provider")
    }
    people = {role: user_id for role, user_id in found.items() if user_id is not None}
    if len(people) == len(found):
        boards = (
            await demo_evidence.store_boards(db, store, people["monitor"])
            if store is not None
            else {}
        )
        opened = await _seed_cycles(db, people, boards)
        if opened:
            report.insert(
                1,
                f"demo data: {opened} cycles; two completed rounds (spring and autumn) at one "
                "school, one pharmacy and one health centre, open rounds at the others",
            )
    return report


async def has_accounts(db: AsyncSession) -> bool:
    return await db.scalar(select(User.id).limit(1)) is not None
