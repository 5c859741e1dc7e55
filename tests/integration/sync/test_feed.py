"""SYNC.md cases 7, 8, 13 and 15: a feed that skips nothing, pages, scope and resets."""

import uuid

import msgspec
import pytest
from httpx import AsyncClient
from sqlalchemy import text

from backend.auth.models import Role
from backend.database.session import Database
from backend.settings import Settings
from backend.sync import cursor as cursors
from tests.support.field import Tablet, programme
from tests.support.identity import headers_for
from tests.support.sync_data import submission

pytestmark = pytest.mark.asyncio

INSERT_SCHOOL = text(
    "INSERT INTO facility (id, type, name_mn, name_en, area_code) "
    "VALUES (:id, 'school', 'Сургууль', :name, 'MN-046')"
)


def _ids(changes: list[dict], entity: str) -> list[str]:
    return [c["id"] for c in changes if c["entity"] == entity]


async def test_case_7_a_late_commit_is_not_skipped(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    await tablet.pull_all()
    n, n_plus_1 = uuid.uuid4(), uuid.uuid4()
    engine = committed_database.engine
    async with engine.connect() as t1:
        await t1.begin()
        await t1.execute(INSERT_SCHOOL, {"id": n, "name": "written first, committed last"})
        async with engine.connect() as t2:
            await t2.execute(INSERT_SCHOOL, {"id": n_plus_1, "name": "written second"})
            await t2.commit()
        during = await tablet.pull_all()
        # N+1 is committed but waits behind the open N: handing it out now would move the
        # cursor past N for good
        assert str(n) not in _ids(during, "facility")
        assert str(n_plus_1) not in _ids(during, "facility")
        await t1.commit()
    after = await tablet.pull_all()
    assert sorted(_ids(after, "facility")) == sorted([str(n), str(n_plus_1)])
    assert await tablet.pull_all() == []


async def test_case_8_one_transaction_of_5000_changes_pages_without_gaps(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    async with committed_database.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO facility (type, name_mn, name_en, area_code) "
                "SELECT 'pharmacy', 'Эмийн сан ' || n, 'Pharmacy ' || n, 'MN-046' "
                "FROM generate_series(1, 5000) AS n"
            )
        )
    pages, changes = 0, []
    while True:
        page = await tablet.pull(limit=1000)
        pages += 1
        assert len(page["changes"]) <= 1000
        changes += page["changes"]
        if not page["has_more"]:
            break
    facilities = _ids(changes, "facility")
    assert len(facilities) == len(set(facilities)) == 5001  # the school and the 5000 pharmacies
    assert pages >= 6


async def test_case_13_a_pull_never_acknowledges_a_mutation_before_its_data(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    await tablet.pull_all()
    record_id = uuid.uuid4()
    async with committed_database.engine.connect() as older:
        await older.begin()
        await older.execute(INSERT_SCHOOL, {"id": uuid.uuid4(), "name": "slow import"})
        pushed = await tablet.push(
            tablet.mutation("submission", "create", record_id, submission(field))
        )
        assert pushed["last_mutation_id"] == 1  # the push itself is settled and committed
        page = await tablet.pull()
        assert str(record_id) not in _ids(page["changes"], "submission")
        assert page["last_mutation_id"] == 0  # so the tablet keeps its copy for now
        await older.rollback()
    page = await tablet.pull()
    assert str(record_id) in _ids(page["changes"], "submission")
    assert page["last_mutation_id"] == 1


async def test_case_15_a_revoked_scope_arrives_as_removals(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    monitor = await field.user(Role.MONITOR)
    facilitator = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    record_id = uuid.uuid4()
    await facilitator.push(
        facilitator.mutation("submission", "create", record_id, submission(field))
    )
    tablet = await Tablet(committed_client, monitor).sign_in()
    first = await tablet.pull_all()
    assert str(record_id) in _ids(first, "submission")

    async with committed_database.sessionmaker() as db:
        admin = await headers_for(committed_client, db, Role.ADMIN)
    moved = await committed_client.patch(
        f"/admin/v1/users/{monitor.id}", json={"area_codes": ["MN-043"]}, headers=admin
    )
    assert moved.status_code == 200
    after = await tablet.pull_all()
    removals = {(c["entity"], c["id"]) for c in after if c["reason"] == "out_of_scope"}
    assert ("submission", str(record_id)) in removals
    assert ("facility", str(field.facility_id)) in removals
    assert ("cycle", str(field.cycle_id)) in removals
    assert all(c["op"] == "delete" and c["data"] is None for c in after if c["reason"])

    back = await committed_client.patch(
        f"/admin/v1/users/{monitor.id}", json={"area_codes": ["MN-046"]}, headers=admin
    )
    assert back.status_code == 200
    returned = await tablet.pull_all()
    assert str(record_id) in _ids([c for c in returned if c["op"] == "upsert"], "submission")


async def test_tombstones_reach_every_device(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    author = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    other = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    record_id = uuid.uuid4()
    await author.push(author.mutation("submission", "create", record_id, submission(field)))
    assert str(record_id) in _ids(await other.pull_all(), "submission")
    await author.push(author.mutation("submission", "delete", record_id, base_version=1))
    gone = [c for c in await other.pull_all() if c["id"] == str(record_id)]
    assert gone == [
        {
            "entity": "submission",
            "id": str(record_id),
            "op": "delete",
            "version": 2,
            "data": None,
            "reason": "deleted",
            "attachments": [],
        }
    ]


async def test_providers_never_receive_community_answers(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    facilitator = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    provider = await Tablet(committed_client, await field.user(Role.PROVIDER)).sign_in()
    community_id, self_id = uuid.uuid4(), uuid.uuid4()
    await facilitator.push(
        facilitator.mutation("submission", "create", community_id, submission(field))
    )
    own = submission(field, respondent="provider", group=None)
    own["answers"] = {k: v for k, v in own["answers"].items() if k != "informal_contributions"}
    own["answers"]["textbooks_per_pupil"] = {"value": {"entitled": 12, "actual": 12}}
    pushed = await provider.push(provider.mutation("submission", "create", self_id, own))
    assert pushed["results"][0]["status"] == "applied", pushed
    seen = _ids(await provider.pull_all(), "submission")
    assert seen == [str(self_id)]
    assert str(community_id) in _ids(await facilitator.pull_all(), "submission")


async def test_unusable_cursors_get_a_reset(
    committed_client: AsyncClient, committed_database: Database, settings: Settings
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    await tablet.pull_all()
    # cursors this server did sign, for this very device, but cannot continue from
    signer = cursors.Signer(
        key=cursors.key_for(settings), user_id=tablet.user.id, device_id=tablet.device_id
    )
    good = signer.decode(tablet.cursor or "")
    for cursor in (
        "not-a-cursor",
        signer.encode(msgspec.structs.replace(good, epoch=uuid.uuid4())),  # a restored database
        signer.encode(msgspec.structs.replace(good, xid=good.xid + 10**9, id=1)),
        signer.encode(msgspec.structs.replace(good, xid=2**63 - 1, id=2**63 - 1)),
        signer.encode(msgspec.structs.replace(good, delta=(0, 0), old_scope="0" * 24)),
    ):
        tablet.cursor = cursor
        page = await tablet.pull()
        assert page["reset"] is True
        assert page["changes"] == []
    # after a reset the device bootstraps again from the cursor it was given
    again = await tablet.pull_all()
    assert str(field.facility_id) in _ids(again, "facility")


async def test_page_size_over_the_limit_is_refused(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
    response = await committed_client.post(
        "/sync/v1/pull",
        json={"protocol": 1, "device_id": str(tablet.device_id), "cursor": None, "limit": 5000},
        headers=tablet.headers,
    )
    assert response.status_code == 400
    assert (response.json()["code"], response.json()["field"]) == (
        "request.page_too_large",
        "limit",
    )


async def test_integrity_names_deleted_ids_and_answers_foreign_ones_as_unknown(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    tablet = await Tablet(committed_client, await field.user(Role.FACILITATOR)).sign_in()
    kept, deleted = uuid.uuid4(), uuid.uuid4()
    await tablet.push(
        tablet.mutation("submission", "create", kept, submission(field)),
        tablet.mutation("submission", "create", deleted, submission(field)),
    )
    await tablet.push(tablet.mutation("submission", "delete", deleted, base_version=1))
    other = await programme(committed_database, area_code="MN-043")
    stranger = await Tablet(
        committed_client, await other.user(Role.FACILITATOR, areas=["MN-043"])
    ).sign_in()
    foreign = uuid.uuid4()
    await stranger.push(stranger.mutation("submission", "create", foreign, submission(other)))
    never = str(uuid.uuid4())
    response = await committed_client.post(
        "/sync/v1/integrity",
        json={"entity": "submission", "ids": [str(kept), str(deleted), str(foreign), never]},
        headers=tablet.headers,
    )
    # another area's record answers exactly like one that was never stored
    assert response.json() == {
        "deleted": [str(deleted)],
        "out_of_scope": [],
        "unknown": [str(foreign), never],
    }
