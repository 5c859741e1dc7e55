"""The convergence property under hostile sequences: no acknowledged value is lost.

Three tablets (one facilitator on two tablets, another facilitator on a third) edit one
meeting, one action item and the first facilitator's submissions offline, batch several edits
from old versions with and without `base`, push counts and sets towards their bounds, delete
and edit deleted records, settle conflicts with any value (valid or not, as the author or not),
push at the same instant, lose answers and send again, and a coordinator may close the round
half-way. Every text and answer a tablet writes is unique, so the oracle can follow each one:

- a value a tablet was told was applied or merged is, at the end, the stored value, or was
  replaced by a write that started from it, or by a person settling that field, or is recorded
  in a conflict (or its record was deleted from its latest version);
- counts add up to the acknowledged differences, and a set holds exactly the items whose last
  acknowledged change added them (items a refused mutation touched aside: a tablet restates
  them in its later edits);
- a conflict exists only for a mutation answered `conflict` or `deleted`;
- every stored answer fits the template; no answer is a 500;
- nothing of a closed round changes; every tablet ends with what the server shows its user.
"""

from __future__ import annotations

import asyncio
import random
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend.app import create_app
from backend.auth.models import Role
from backend.database.session import open_database
from backend.settings import Settings
from tests.support import databases
from tests.support.field import Tablet, programme
from tests.support.hostile_season import SETS, TEXT, Pad, Season
from tests.support.http import serve
from tests.support.sync_data import action_item, meeting, submission

ACTIONS = (
    *("text",) * 6,
    *("count",) * 2,
    *("set",) * 2,
    *("answer",) * 3,
    "delete",
    *("sync",) * 2,
    "sync_lost",
    "race",
    *("settle",) * 2,
)


async def _play(
    url: str, app_settings: Settings, steps: list[tuple[int, str, int]], close_at: int | None
) -> None:
    database = open_database(url)
    try:
        async with serve(create_app(app_settings, database=database)) as client:
            prog = await programme(database)
            first, second = await prog.user(Role.FACILITATOR), await prog.user(Role.FACILITATOR)
            pads = [Pad(await Tablet(client, user).sign_in()) for user in (first, first, second)]
            coordinator = await Tablet(client, await prog.user(Role.COORDINATOR)).sign_in()
            season = Season(
                client=client,
                database=database,
                prog=prog,
                pads=pads,
                settler=[pads[0].tablet, pads[2].tablet],
                coordinator=coordinator,
                meeting_id=str(uuid.uuid4()),
                item_id=str(uuid.uuid4()),
                initial_counts={"community_female": 99_990, "community_male": 50},
            )
            near_full = [f"p{i}" for i in range(97)]
            created = {
                ("interface_meeting", season.meeting_id): meeting(
                    prog, attendance=season.initial_counts, priorities=near_full
                ),
                ("action_item", season.item_id): action_item(
                    prog, indicator_keys=near_full, resources="MNT 100,000"
                ),
            }
            for score in (2, 4):
                created[("submission", str(uuid.uuid4()))] = submission(prog, score=score)
            await pads[0].tablet.push(
                *(
                    pads[0].tablet.mutation(entity, "create", record_id, data)
                    for (entity, record_id), data in created.items()
                )
            )
            for (entity, record_id), data in created.items():
                for name in TEXT.get(entity, ()):
                    season.acked.append(
                        (
                            entity,
                            record_id,
                            1,
                            {"kind": "text", "field": name, "value": data[name], "base": None},
                        )
                    )
                if entity == "submission":
                    for indicator, answer in data["answers"].items():
                        meant = {
                            "kind": "text",
                            "field": f"answers.{indicator}",
                            "value": answer,
                            "base": None,
                        }
                        season.acked.append((entity, record_id, 1, meant))
                if entity in SETS:
                    for item in data[SETS[entity]]:
                        meant = {
                            "kind": "set",
                            "field": SETS[entity],
                            "item": item,
                            "present": True,
                        }
                        season.acked.append((entity, record_id, 1, meant))
            for pad in pads:
                await pad.pull()

            for number, (who, action, seed) in enumerate(steps):
                if number == close_at:
                    await season.close_round()
                pad = pads[who]
                if action in ("sync", "sync_lost"):
                    await season.push(pad, lose_answer=action == "sync_lost")
                    await pad.pull()
                elif action == "race":
                    others = [p for p in pads if p is not pad]
                    together = [pad, random.Random(seed).choice(others)]
                    await asyncio.gather(*(season.push(p, lose_answer=False) for p in together))
                    for p in together:
                        await p.pull()
                elif action == "settle":
                    await season.settle(who % 2, seed)
                else:
                    season.step(who, action, seed)

            for _ in range(2):  # everyone comes back online, in turn, twice
                for pad in pads:
                    await season.push(pad, lose_answer=False)
                    await pad.pull()
            await season.check()
            for pad in pads:
                fresh = Pad(await Tablet(client, pad.tablet.user).sign_in())
                await fresh.pull()
                assert pad.store == fresh.store, "a tablet diverged from the server's view"
    finally:
        await database.dispose()


steps = st.lists(
    st.tuples(st.integers(0, 2), st.sampled_from(ACTIONS), st.integers(0, 2**32)),
    min_size=6,
    max_size=30,
)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=steps, close_at=st.one_of(st.none(), st.none(), st.integers(0, 30)))
def test_no_acknowledged_value_is_lost_under_hostile_sequences(
    server_url: str,
    template_database: str,
    settings_for_apps: Settings,
    steps: list,
    close_at: int | None,
) -> None:
    name = databases.new_name("scorecard_hostile")
    url = databases.create_database(server_url, name, template=template_database)
    try:
        asyncio.run(_play(url, settings_for_apps, steps, close_at))
    finally:
        databases.drop_database(server_url, name)
