"""Every figure of every demo scorecard, recomputed from the raw records by the definitions in
README "Results" and PRIVACY.md, in plain Python: what a coordinator sees, and what a viewer
sees with the disclosure rule applied (small community groups in no figure at all).

Nothing here calls the service's helpers: the rows come from SQL on `submission`,
`cycle_indicator`, `template_version` and `tracer_medicine`, the arithmetic is written out."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pytest
from httpx import AsyncClient
from sqlalchemy import text

from backend.attachments.storage import open_store
from backend.database.session import Database
from backend.seed import demo, demo_rounds
from backend.settings import Settings

pytestmark = pytest.mark.asyncio
SMALLEST_SHOWN = 5  # PRIVACY.md: a group of fewer people is in no outsider's figure
NUMERIC = {"scale", "yes_no", "count", "number", "money"}
CHOICE = {"single_choice", "multi_choice"}
UNITS = {"scale": "scale", "yes_no": "share", "count": "count", "number": "number"}
UNITS |= {"money": "mnt", "single_choice": "choices", "multi_choice": "choices"}


@dataclass
class Round:
    id: Any
    previous: Any
    published: bool
    reviewed: bool
    planned: list[str]
    document: dict[str, Any]
    submissions: list[dict[str, Any]]
    raised: list[dict[str, Any]]


def _near(shown: float | None, exact: float | None, digits: int) -> bool:
    """A shown figure is the exact one rounded once to `digits` places."""
    if shown is None or exact is None:
        return shown is exact
    return abs(shown - exact) <= 0.5 * 10**-digits + 1e-9


def _size(group: dict[str, Any] | None) -> int:
    """The group's size (the sum by sex; otherwise its largest count)."""
    counts = (group or {}).get("participants") or {}
    by_sex = [v for k, v in counts.items() if k in ("female", "male", "other")]
    if any(k in counts for k in ("female", "male", "other")):
        return sum(by_sex)
    return max(counts.values(), default=0)


def _score(value: Any) -> float | None:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    return None


async def _load(database: Database) -> tuple[dict[Any, Round], dict[str, int]]:
    async with database.sessionmaker() as db:
        cycles = (
            await db.execute(
                text(
                    "SELECT c.id, c.previous_cycle_id, c.published_at, c.reasons_reviewed_at,"
                    " c.planned_groups, v.document FROM cycle c"
                    " JOIN template_version v ON v.id = c.template_version_id"
                )
            )
        ).all()
        submissions = (
            await db.execute(
                text(
                    'SELECT cycle_id, respondent, "group", participants, answers'
                    " FROM submission WHERE deleted_at IS NULL"
                )
            )
        ).all()
        raised = (
            await db.execute(
                text(
                    "SELECT id, cycle_id, key, kind, origin, status, raised_by, merged_into, label"
                    " FROM cycle_indicator WHERE deleted_at IS NULL ORDER BY created_at, id"
                )
            )
        ).all()
        prices = dict(
            (await db.execute(text("SELECT key, reference_price_mnt FROM tracer_medicine"))).all()
        )
    rounds = {
        c.id: Round(
            c.id,
            c.previous_cycle_id,
            c.published_at is not None,
            c.reasons_reviewed_at is not None,
            [g["type"] for g in c.planned_groups],
            c.document,
            [],
            [],
        )
        for c in cycles
    }
    for s in submissions:
        assert s.participants == _size(s.group)  # the stored size is the documented one
        rounds[s.cycle_id].submissions.append(s._asdict())
    for r in raised:
        rounds[r.cycle_id].raised.append(r._asdict())
    return rounds, prices


def _counted(round_: Round, outsider: bool) -> list[dict[str, Any]]:
    """The submissions whose answers may enter the caller's figures."""
    return [
        s
        for s in round_.submissions
        if not outsider or s["respondent"] != "community" or s["participants"] >= SMALLEST_SHOWN
    ]


def _indicators(round_: Round, text_shown: bool, outsider: bool) -> list[dict[str, Any]]:
    """The template's indicators, then the round's selected raised ones on the template's
    scale, with every group that raised them (merged ones included); an outsider reads only
    group types, and only where no community group of the round was smaller than may be shown
    and the issue's words were reviewed (else "raised by the community")."""
    small = any(
        s["respondent"] == "community" and s["participants"] < SMALLEST_SHOWN
        for s in round_.submissions
    )
    document = round_.document
    out = [
        {**i, "kind": i["answer"]["type"], "origin": "template", "raised_by": []}
        for i in document["indicators"]
    ]
    stated = {"faces_1_5": (1, 5), "points_1_10": (1, 10), "percent_0_100": (0, 100)}
    scales = [i["answer"] for i in document["indicators"] if i["answer"]["type"] == "scale"]
    scale = scales[0] if scales else {"min": 1, "max": 5}
    if document.get("scale") in stated:
        scale = dict(zip(("min", "max"), stated[document["scale"]], strict=True))
    by_id = {r["id"]: r for r in round_.raised}

    def root(r: dict[str, Any]) -> Any:
        while r["merged_into"] in by_id:
            r = by_id[r["merged_into"]]
        return r["id"]

    for r in round_.raised:
        if r["status"] != "selected":
            continue
        merged = [m for m in round_.raised if m["status"] == "merged" and root(m) == r["id"]]
        groups = list(
            dict.fromkeys([*r["raised_by"], *(g for m in merged for g in m["raised_by"])])
        )
        answer = {"type": "scale", **scale} if r["kind"] == "scale" else {"type": r["kind"]}
        respondents = ["community", "monitor"] if r["origin"] == "community" else ["provider"]
        out.append(
            {
                "key": r["key"],
                "kind": r["kind"],
                "answer": answer,
                "better": "higher",
                "respondents": respondents,
                "origin": r["origin"],
                "raised_by": groups
                if not outsider or (text_shown and not small and groups)
                else ["community"],
            }
        )
    return [i for i in out if i["kind"] in NUMERIC | CHOICE]


def _stats(scores: list[tuple[float, int]]) -> dict[str, Any] | None:
    if not scores:
        return None
    values = [v for v, _ in scores]
    return {
        "n": len(values),
        "participants": sum(p for _, p in scores),
        "mean": sum(values) / len(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def _on_100(value: float | None, indicator: dict[str, Any]) -> float | None:
    if value is None:
        return None
    if indicator["kind"] == "yes_no":
        return value * 100
    if indicator["kind"] == "scale":
        low, high = indicator["answer"]["min"], indicator["answer"]["max"]
        return (value - low) / (high - low) * 100
    return None


def _figures(rows: list[dict[str, Any]], key: str) -> dict[str, Any]:
    """Per respondent and group type, the scores of one indicator with each group's size."""
    found: dict[Any, list[tuple[float, int]]] = defaultdict(list)
    for s in rows:
        score = _score((s["answers"].get(key) or {}).get("value"))
        if score is None:
            continue
        found[(s["respondent"], None)].append((score, s["participants"]))
        if s["respondent"] == "community":
            found[("community", s["group"]["type"])].append((score, s["participants"]))
    return {k: _stats(v) for k, v in found.items()}


def _assert_cell(shown: dict[str, Any] | None, exact: dict[str, Any] | None, where: str) -> None:
    assert (shown is None) == (exact is None), where
    if shown is None or exact is None:
        return
    assert (shown["n"], shown["participants"]) == (exact["n"], exact["participants"]), where
    assert _near(shown["mean"], exact["mean"], 2), where
    for name in ("median", "min", "max"):
        if name in shown:
            assert shown[name] == pytest.approx(exact[name]), (where, name)


def _check_indicators(
    card: dict[str, Any], round_: Round, before: Round | None, outsider: bool
) -> None:
    text_shown = not outsider or round_.reviewed
    rows = _counted(round_, outsider)
    previous = _counted(before, outsider) if before is not None else []
    expected = _indicators(round_, text_shown, outsider)
    assert [i["key"] for i in card["indicators"]] == [i["key"] for i in expected]
    matrix = card["matrix"]
    columns = [g["group"] for g in matrix["groups"]]
    in_matrix = {row["indicator"]: row for row in matrix["rows"]}
    for shown, indicator in zip(card["indicators"], expected, strict=True):
        key, where = indicator["key"], f"{card['label']} {indicator['key']}"
        figures = _figures(rows, key)
        overall = figures.get(("community", None))
        provider = figures.get(("provider", None))
        monitor = figures.get(("monitor", None))
        assert (shown["origin"], shown["raised_by"]) == (
            indicator["origin"],
            indicator["raised_by"],
        )
        assert shown["unit"] == UNITS[indicator["kind"]], where
        _assert_cell(shown["community"], overall, where)
        groups = {c["group"]: c for c in shown["community_groups"]}
        exact_groups = {g: v for (r, g), v in figures.items() if r == "community" and g}
        assert set(groups) == set(exact_groups), where
        for group, cell in groups.items():
            _assert_cell(cell, exact_groups[group], f"{where} {group}")
            assert _near(cell["mean_100"], _on_100(exact_groups[group]["mean"], indicator), 1)
        for name, exact in (("provider", provider), ("monitor", monitor)):
            assert shown[f"{name}_n"] == (exact["n"] if exact else 0), where
            assert _near(shown[f"{name}_mean"], exact and exact["mean"], 2), where
            assert _near(shown[f"{name}_100"], _on_100(exact and exact["mean"], indicator), 1)
        mean = overall and overall["mean"]
        assert _near(shown["community_100"], _on_100(mean, indicator), 1), where
        gap = None if mean is None or provider is None else mean - provider["mean"]
        assert _near(shown["gap"], gap, 2), where
        earlier = _figures(previous, key).get(("community", None))
        change = None if mean is None or earlier is None else mean - earlier["mean"]
        assert _near(shown["previous_mean"], earlier and earlier["mean"], 2), where
        assert _near(shown["change"], change, 2), where
        if indicator["kind"] in CHOICE:
            chosen: dict[str, int] = defaultdict(int)
            for s in rows:
                value = (s["answers"].get(key) or {}).get("value")
                for option in value if isinstance(value, list) else [value]:
                    if isinstance(option, str):
                        chosen[option] += 1
            assert {c["option"]: c["count"] for c in shown["choices"]} == {
                o["key"]: chosen[o["key"]] for o in indicator["answer"]["options"]
            }, where
        reasons = sorted(
            (s["group"]["type"], a.get("reason"), a.get("suggestion"))
            for s in rows
            if s["respondent"] == "community"
            for a in [s["answers"].get(key) or {}]
            if a.get("reason") or a.get("suggestion")
        )
        if text_shown:
            got = sorted((r["group"], r["reason"], r["suggestion"]) for r in shown["reasons"])
            assert got == reasons, where
        else:
            assert shown["reasons"] is None, where
        # the matrix: the same cells by group, the overall, the provider and the gap
        row = in_matrix.get(key)
        if indicator["kind"] in CHOICE or not {"community", "provider"} & set(
            indicator["respondents"]
        ):
            assert row is None, where
            continue
        assert row is not None, where
        for group, cell in zip(columns, row["cells"], strict=True):
            _assert_cell(cell, exact_groups.get(group), f"{where} matrix {group}")
            if cell is not None and text_shown:
                assert sorted((group, r["reason"], r["suggestion"]) for r in cell["reasons"]) == [
                    r for r in reasons if r[0] == group
                ]
        _assert_cell(row["community"], overall, f"{where} matrix overall")
        assert _near(row["provider_mean"], provider and provider["mean"], 2), where
        assert _near(row["gap"], gap, 2), where
    # columns: the group types the caller may count, in the round's planned order
    counted = {s["group"]["type"] for s in rows if s["respondent"] == "community"}
    assert columns == [g for g in round_.planned if g in counted], card["label"]


def _check_inputs(card: dict[str, Any], round_: Round, outsider: bool) -> None:
    tracked = [
        i["key"] for i in round_.document["indicators"] if i["answer"]["type"] == "entitlement"
    ]
    found: dict[tuple[str, str], list[dict[str, float]]] = defaultdict(list)
    for s in _counted(round_, outsider):
        for key in tracked:
            value = (s["answers"].get(key) or {}).get("value")
            if isinstance(value, dict):
                found[(key, s["respondent"])].append(value)
    shown = {(i["key"], i["respondent"]): i for i in card["inputs"]}
    assert set(shown) == set(found)
    for at, values in found.items():
        entitled = statistics.median(v["entitled"] for v in values)
        actual = statistics.median(v["actual"] for v in values)
        item = shown[at]
        assert item["n"] == len(values)
        assert _near(item["entitled"], entitled, 2)
        assert _near(item["actual"], actual, 2)
        assert _near(item["shortfall"], entitled - actual, 2)
        share = (entitled - actual) / entitled if entitled else None
        assert _near(item["shortfall_share"], share, 3), at


def _check_medicines(
    card: dict[str, Any], round_: Round, prices: dict[str, int], outsider: bool
) -> None:
    checks = [
        i["key"] for i in round_.document["indicators"] if i["answer"]["type"] == "medicine_check"
    ]
    seen: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in _counted(round_, outsider):
        if s["respondent"] != "monitor":
            continue
        for key in checks:
            value = (s["answers"].get(key) or {}).get("value")
            for medicine, check in (value if isinstance(value, dict) else {}).items():
                seen[medicine].append(check)
    shown = {m["key"]: m for m in card["medicines"]}
    if not seen:
        assert not shown
        return
    assert set(shown) == {*seen, None}
    per: list[dict[str, Any]] = []
    for medicine, found in seen.items():
        on_shelf = [c for c in found if c["in_stock"]]

        def ratio(name: str, shelf: list[dict[str, Any]] = on_shelf, key: str = medicine) -> Any:
            ratios = [c[name] / prices[key] for c in shelf if c.get(name) is not None]
            return statistics.median(ratios) if ratios else None

        figures = {
            "checks": len(found),
            "available": sum(c["in_stock"] and not c["expired"] for c in found) / len(found),
            "stockout_days_30": statistics.fmean(c["stockout_days_30"] for c in found),
            "stockout_days_90": statistics.fmean(c["stockout_days_90"] for c in found),
            "median_price_ratio": ratio("generic_price"),
            "originator_price_ratio": ratio("originator_price"),
        }
        per.append(figures)
        _check_medicine(shown[medicine], figures, medicine)

    def basket(name: str, of: Any) -> Any:
        present = [f[name] for f in per if f[name] is not None]
        return of(present) if present else None

    _check_medicine(
        shown[None],
        {
            "checks": max(f["checks"] for f in per),
            "available": statistics.fmean(f["available"] for f in per),
            "stockout_days_30": basket("stockout_days_30", statistics.fmean),
            "stockout_days_90": basket("stockout_days_90", statistics.fmean),
            "median_price_ratio": basket("median_price_ratio", statistics.median),
            "originator_price_ratio": basket("originator_price_ratio", statistics.median),
        },
        "basket",
    )


def _check_medicine(shown: dict[str, Any], exact: dict[str, Any], where: str) -> None:
    assert shown["checks"] == exact["checks"], where
    assert _near(shown["available"], exact["available"], 3), where
    for name in ("stockout_days_30", "stockout_days_90", "median_price_ratio"):
        assert _near(shown[name], exact[name], 2), (where, name)
    assert _near(shown["originator_price_ratio"], exact["originator_price_ratio"], 2), where


async def _sign_in(client: AsyncClient, username: str) -> dict[str, str]:
    login = await client.post(
        "/auth/v1/login", json={"username": username, "password": "demo-password"}
    )
    assert login.status_code == 200, login.text
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def test_every_demo_figure_recomputes_from_the_raw_records(
    committed_client: AsyncClient, committed_database: Database, settings: Settings
) -> None:
    async with committed_database.sessionmaker() as db, db.begin():
        await demo.seed(db, password="demo-password", store=open_store(settings))
    rounds, prices = await _load(committed_database)
    coordinator = await _sign_in(committed_client, "demo_coordinator")
    viewer = await _sign_in(committed_client, "demo_viewer")
    seen_by_viewer = 0
    exercised: dict[str, int] = defaultdict(int)
    for round_ in rounds.values():
        path = f"/reports/v1/cycles/{round_.id}/scorecard"
        for headers, outsider in ((coordinator, False), (viewer, True)):
            response = await committed_client.get(path, headers=headers)
            if outsider and not round_.published:
                assert response.status_code == 404
                continue
            if outsider and response.status_code == 404:
                continue  # a published round outside the viewer's aimag
            assert response.status_code == 200, response.text
            card = response.json()
            before = rounds.get(round_.previous)
            if before is not None and outsider and not before.published:
                before = None  # a hidden round gives no "previous mean"
            _check_indicators(card, round_, before, outsider)
            _check_inputs(card, round_, outsider)
            _check_medicines(card, round_, prices, outsider)
            small = sum(
                s["respondent"] == "community" and s["participants"] < SMALLEST_SHOWN
                for s in round_.submissions
            )
            assert card["suppressed_cells"] == (small if outsider else 0)
            exercised["rows"] += len(card["matrix"]["rows"])
            exercised["changes"] += sum(i["change"] is not None for i in card["indicators"])
            exercised["raised"] += sum(i["origin"] != "template" for i in card["indicators"])
            exercised["choices"] += sum(bool(i["choices"]) for i in card["indicators"])
            exercised["reasons"] += sum(bool(i["reasons"]) for i in card["indicators"])
            exercised["inputs"] += len(card["inputs"])
            exercised["medicines"] += len(card["medicines"])
            if outsider:
                seen_by_viewer += 1
                columns = [g["group"] for g in card["matrix"]["groups"]]
                assert demo_rounds.SMALL_GROUP not in columns
    assert seen_by_viewer >= 3  # the published rounds in Uvs
    # every kind of figure was there to recompute
    assert len(exercised) == 7
    assert all(exercised.values()), exercised
    assert any(
        s["participants"] < SMALLEST_SHOWN for r in rounds.values() for s in r.submissions
    )  # the demo has a small group for the rule to act on
