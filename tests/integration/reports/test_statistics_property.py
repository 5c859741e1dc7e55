"""The per-cycle statistics as a property: after every push of random creates, edits and
deletes of submissions (community groups of 1 to 8 people around MIN_GROUP_SIZE, provider
self-assessments, soft deletes, group sizes edited across the threshold), the statistics
table equals a recomputation from the submissions' answers, and the roll-up a provider (an
outsider) reads equals one recomputed from the publishable submissions only, the one a
coordinator reads one from all of them.

Every example pushes through the real push API into a database of the test's own, where each
push commits, so the triggers run as they do in the field. The recomputation is plain Python
over the stored rows, not the SQL under test.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.app import create_app
from backend.auth import access
from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.cycles.models import Cycle
from backend.database.session import Database, open_database
from backend.reports import rollup_queries
from backend.reports import rounds as facts
from backend.reports.models import CycleStatistic
from backend.settings import Settings
from backend.submissions.models import Submission
from tests.support.field import Programme, Tablet, programme, school_answers
from tests.support.http import serve
from tests.support.sync_data import submission

FIGURES = tuple(
    column.name
    for column in CycleStatistic.__table__.columns
    if column.name not in ("cycle_id", "facility_id", "indicator")
)
SCALES = ("teacher_attendance", "inclusion", "consulted_on_plan", "complaints_answered")
ACTIONS = ("create", "create", "provider", "edit_answers", "edit_group", "move_session", "delete")

step = st.tuples(
    st.sampled_from(ACTIONS),
    st.integers(0, 50),  # which earlier submission
    st.integers(0, 5),  # female
    st.integers(1, 3),  # male: groups of 1 to 8, around MIN_GROUP_SIZE = 5
    st.integers(1, 5),  # a score
    st.booleans(),  # yes/no; and whether two groups go in one push
)


# -- the recomputation, in Python over the stored rows ------------------------------------


def _score(answer: Any) -> int | float | None:
    """A numeric answer as the statistics count it: numbers as they are, yes/no as 1/0."""
    value = answer.get("value") if isinstance(answer, dict) else None
    if isinstance(value, bool):
        return int(value)
    return value if isinstance(value, int | float) else None


async def _live(db: AsyncSession) -> list[Any]:
    return list(
        await db.execute(
            select(
                Submission.cycle_id,
                Submission.facility_id,
                Submission.respondent,
                Submission.participants,
                Submission.answers,
            ).where(Submission.deleted_at.is_(None))
        )
    )


async def recomputed(db: AsyncSession) -> dict[tuple[Any, ...], dict[str, Any]]:
    cells: dict[tuple[Any, ...], dict[str, Any]] = defaultdict(lambda: dict.fromkeys(FIGURES, 0))
    for row in await _live(db):
        small = row.respondent == "community" and row.participants < access.MIN_GROUP_SIZE
        kind = "small" if small else row.respondent
        for key, answer in row.answers.items():
            score = _score(answer)
            if score is None:
                continue
            cell = cells[(row.cycle_id, row.facility_id, key)]
            cell[f"{kind}_n"] += 1
            cell[f"{kind}_total"] += Decimal(str(score))
            if f"{kind}_participants" in cell:
                cell[f"{kind}_participants"] += row.participants
    return dict(cells)


async def stored(db: AsyncSession) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {
        (row.cycle_id, row.facility_id, row.indicator): {
            name: getattr(row, name) for name in FIGURES
        }
        for row in await db.scalars(select(CycleStatistic))
    }


async def assert_statistics_current(db: AsyncSession) -> None:
    assert await stored(db) == await recomputed(db), "the statistics differ from the answers"


async def expected_rollup(
    db: AsyncSession, facility_id: uuid.UUID, *, outsider: bool
) -> dict[str, tuple[Any, ...]]:
    """Per indicator of one facility with one round: (facilities, community scores, community
    mean, provider mean), over what the reader may count."""
    community: dict[str, list[float]] = defaultdict(list)
    provider: dict[str, list[float]] = defaultdict(list)
    counted: set[str] = set()
    live = [row for row in await _live(db) if row.facility_id == facility_id]
    phases = set(await db.scalars(select(Cycle.phase).where(Cycle.facility_id == facility_id)))
    # the provider scores blind: the community's scores reach it once its own are in, or the
    # round has reached the interface meeting
    blind = outsider and not (
        any(row.respondent == "provider" for row in live)
        or phases & {"interface_meeting", "action_plan", "follow_up", "closed"}
    )
    for row in live:
        if outsider and row.respondent == "community" and row.participants < 5:
            continue  # a group under 5 people is never in an outsider's figure
        if blind and row.respondent == "community":
            continue
        for key, answer in row.answers.items():
            score = _score(answer)
            if score is None:
                continue
            counted.add(key)
            if row.respondent == "community":
                community[key].append(score)
            elif row.respondent == "provider":
                provider[key].append(score)

    def mean(values: list[float]) -> float | None:
        return round(sum(values) / len(values), 2) if values else None

    return {
        key: (1, len(community[key]), mean(community[key]), mean(provider[key])) for key in counted
    }


# -- the field: tablets pushing random changes ----------------------------------------------


@dataclass
class Record:
    tablet: Tablet
    version: int
    respondent: str


@dataclass
class Scene:
    client: Any
    database: Database
    prog: Programme
    team: Tablet
    provider: Tablet
    coordinator: Tablet
    records: dict[str, Record] = field(default_factory=dict)

    async def push(self, tablet: Tablet, *mutations: dict[str, Any]) -> None:
        result = await tablet.push(*mutations)
        for sent, got in zip(mutations, result["results"], strict=True):
            assert got["status"] == "applied", (sent["op"], sent["data"], got["error"])
            if sent["op"] == "delete":
                del self.records[sent["id"]]
            else:
                self.records.setdefault(
                    sent["id"], Record(tablet, 0, sent["data"].get("respondent", ""))
                ).version = got["version"]

    async def check(self) -> None:
        async with self.database.sessionmaker() as db:
            await assert_statistics_current(db)
        await self.check_rollups()

    async def check_rollups(self) -> None:
        async with self.database.sessionmaker() as db:
            for reader, outsider in ((self.provider, True), (self.coordinator, False)):
                response = await self.client.get(
                    "/reports/v1/rollup",
                    params={
                        "area": "MN-046",
                        "template": "parent_engagement",
                        "since": "2000-01-01",
                    },
                    headers=reader.headers,
                )
                assert response.status_code == 200, response.text
                seen = {
                    row["indicator"]: (
                        row["facilities"],
                        row["community_scores"],
                        row["community"],
                        row["provider"],
                    )
                    for row in response.json()["rows"]
                    if row["unit"] == str(self.prog.facility_id)
                }
                expected = await expected_rollup(db, self.prog.facility_id, outsider=outsider)
                assert seen == expected, f"outsider={outsider}: the roll-up differs"
            # the per-round means the index, trends and "did it work?" read, both ways
            for principal in self.principals():
                from_answers = await facts.round_means(db, principal, [self.prog.cycle_id])
                from_statistics = await rollup_queries.round_means(
                    db, principal, [self.prog.cycle_id]
                )
                assert from_answers == {
                    (row.cycle_id, row.indicator): facts.Means(row.community, row.provider)
                    for row in from_statistics
                }, f"{principal.role}: the round means differ"

    def principals(self) -> list[Principal]:
        return [
            Principal(
                user_id=uuid.uuid4(),
                username=role.value,
                role=role,
                device_id=None,
                session_id=uuid.uuid4(),
                area_codes=areas,
                facility_ids=facilities,
            )
            for role, areas, facilities in (
                (Role.PROVIDER, (), (self.prog.facility_id,)),
                (Role.COORDINATOR, ("MN-046",), ()),
            )
        ]


def _group(female: int, male: int) -> dict[str, Any]:
    return {"type": "parents", "participants": {"female": female, "male": male}}


async def _step(
    scene: Scene, action: str, pick: int, female: int, male: int, score: int, flag: bool
) -> None:
    if action == "create":
        # one group, or two in one push (the second one person larger)
        mutations = []
        for extra in range(2 if flag else 1):
            answers = school_answers(score)
            answers["toilets_and_water"] = {"value": flag, "reason": None, "suggestion": None}
            data = submission(scene.prog, group=_group(female + extra, male), answers=answers)
            mutations.append(scene.team.mutation("submission", "create", uuid.uuid4(), data))
        await scene.push(scene.team, *mutations)
        return
    if action == "provider":
        own = submission(scene.prog, respondent="provider", group=None)
        own["answers"] = {
            k: v for k, v in school_answers(score).items() if k != "informal_contributions"
        }
        # an answer that is no number: counted nowhere
        own["answers"]["textbooks_per_pupil"] = {"value": {"entitled": 12, "actual": 9}}
        await scene.push(
            scene.provider, scene.provider.mutation("submission", "create", uuid.uuid4(), own)
        )
        return
    # a provider's self-assessment is final once in (it reads the comparison from then on):
    # only the team's records change afterwards
    changeable = sorted(r for r, record in scene.records.items() if record.respondent != "provider")
    if not changeable:
        return
    record_id = changeable[pick % len(changeable)]
    record = scene.records[record_id]
    if action == "delete":
        changes = None
    elif action == "edit_answers":
        key = SCALES[pick % len(SCALES)]
        changes = {"answers": {key: {"value": score, "reason": None, "suggestion": None}}}
    elif action == "edit_group" and record.respondent == "community":
        changes = {"group": _group(female, male)}
    elif action == "move_session":
        changes = {"collected_at": f"2026-11-{10 + score:02d}T09:00:00+08:00"}
    else:
        return
    await scene.push(
        record.tablet,
        record.tablet.mutation(
            "submission",
            "delete" if changes is None else "update",
            record_id,
            changes,
            base_version=record.version,
        ),
    )


async def _play(url: str, app_settings: Settings, steps: list[tuple[Any, ...]]) -> None:
    database = open_database(url)
    try:
        async with serve(create_app(app_settings, database=database)) as client:
            scene = await _scene(database, client)
            for action, pick, female, male, score, flag in steps:
                await _step(scene, action, pick, female, male, score, flag)
                await scene.check()
    finally:
        await database.dispose()


@pytest.mark.slow
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(steps=st.lists(step, min_size=3, max_size=10))
def test_statistics_equal_a_recomputation_after_every_push(
    committed_database_url: str, settings_for_apps: Settings, steps: list[tuple[Any, ...]]
) -> None:
    asyncio.run(_play(committed_database_url, settings_for_apps, steps))


async def _scene(database: Database, client: Any) -> Scene:
    prog = await programme(database)
    return Scene(
        client=client,
        database=database,
        prog=prog,
        team=await Tablet(client, await prog.user(Role.FACILITATOR)).sign_in(),
        provider=await Tablet(client, await prog.user(Role.PROVIDER)).sign_in(),
        coordinator=await Tablet(client, await prog.user(Role.COORDINATOR)).sign_in(),
    )


@pytest.mark.asyncio
async def test_the_checks_catch_a_wrong_statistic(
    committed_client: Any, committed_database: Database
) -> None:
    scene = await _scene(committed_database, committed_client)
    await _step(scene, "create", 0, 2, 1, 4, False)  # 3 people: too few for an outsider
    await _step(scene, "create", 0, 4, 2, 2, False)  # 6 people
    await scene.check()

    cell = (CycleStatistic.cycle_id == scene.prog.cycle_id) & (
        CycleStatistic.indicator == "inclusion"
    )
    # one answer too many in one cell
    async with committed_database.sessionmaker() as db, db.begin():
        await db.execute(
            update(CycleStatistic).where(cell).values(community_n=CycleStatistic.community_n + 1)
        )
    async with committed_database.sessionmaker() as db:
        with pytest.raises(AssertionError, match="the statistics differ"):
            await assert_statistics_current(db)
    # the small group counted as a publishable one: the provider's roll-up shows it (at the
    # interface meeting, when the provider reads the comparison)
    await scene.prog.cycle_phase("interface_meeting")
    async with committed_database.sessionmaker() as db, db.begin():
        await db.execute(
            update(CycleStatistic)
            .where(cell)
            .values(
                community_n=CycleStatistic.community_n - 1 + CycleStatistic.small_n,
                community_total=CycleStatistic.community_total + CycleStatistic.small_total,
                community_participants=CycleStatistic.community_participants
                + CycleStatistic.small_participants,
                small_n=0,
                small_total=0,
                small_participants=0,
            )
        )
    with pytest.raises(AssertionError, match="outsider=True: the roll-up differs"):
        await scene.check_rollups()


@pytest.mark.asyncio
async def test_two_writers_of_the_same_cell_both_count(committed_database: Database) -> None:
    """Two transactions add to the same cells at once: the second, committing, waits for the
    first's rows and adds its own deltas to what the first committed; a hard delete takes its
    answers away."""
    prog = await programme(committed_database)
    author = await prog.user(Role.FACILITATOR)

    def scorecard(score: int) -> Submission:
        return Submission(
            id=uuid.uuid4(),
            cycle_id=prog.cycle_id,
            facility_id=prog.facility_id,
            template_version_id=prog.template_version_id,
            respondent="community",
            group=_group(4, 3),
            answers=school_answers(score),
            collected_at=datetime(2026, 11, 20, 2, tzinfo=UTC),
            content_hash=f"h{score}",
            created_by=author.id,
        )

    first, second = scorecard(2), scorecard(5)
    async with (
        committed_database.sessionmaker() as one,
        committed_database.sessionmaker() as other,
    ):
        for session, record in ((one, first), (other, second)):
            await session.begin()
            session.add(record)
            await session.flush()  # its deltas wait in the transaction until commit
        # the first adds its deltas now and holds the cells until it commits
        await one.execute(select(func.cycle_statistic_apply()))
        committing = asyncio.create_task(other.commit())
        await asyncio.sleep(0.2)
        assert not committing.done(), "the second writer should wait for the first's cells"
        await one.commit()
        await committing
    async with committed_database.sessionmaker() as db:
        await assert_statistics_current(db)
        row = await db.get_one(
            CycleStatistic, (prog.cycle_id, prog.facility_id, "teacher_attendance")
        )
        assert (row.community_n, row.community_total) == (2, 7)
    async with committed_database.sessionmaker() as db, db.begin():
        await db.execute(delete(Submission).where(Submission.id == first.id))
    async with committed_database.sessionmaker() as db:
        await assert_statistics_current(db)
