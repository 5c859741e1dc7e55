"""Tracer medicines: availability, stock-out days and median price ratio, counted by hand."""

import uuid

import pytest
from httpx import AsyncClient

from backend.auth.models import Role
from backend.database.session import Database
from tests.support.field import Tablet, programme
from tests.support.rounds import open_round

pytestmark = pytest.mark.asyncio


def _check(in_stock: bool, expired: bool, d30: int, d90: int, price: int | None) -> dict:
    return {
        "in_stock": in_stock,
        "expired": expired,
        "stockout_days_30": d30,
        "stockout_days_90": d90,
        "discounted_available": True,
        "generic_price": price,
        "originator_price": None,
        "price_displayed": True,
    }


def _visit(cycle_id: str, checks: dict) -> dict:
    def a(value):  # type: ignore[no-untyped-def]
        return {"value": value, "reason": None, "suggestion": None}

    return {
        "cycle_id": cycle_id,
        "respondent": "monitor",
        "collected_at": "2026-11-20T10:00:00Z",
        "answers": {
            "tracer_check": a(checks),
            "price_list_displayed": a(True),
            "discount_list_displayed": a(True),
            "sold_above_ceiling": a(False),
        },
    }


async def _medicine_round(client: AsyncClient, database: Database):  # type: ignore[no-untyped-def]
    """A pharmacy's round on the medicine template, in input tracking, and who checks it."""
    field = await programme(database)
    coordinator = await Tablet(client, await field.user(Role.COORDINATOR)).sign_in()
    cycle_id = await open_round(
        client,
        database,
        coordinator,
        facility_type="pharmacy",
        template="medicine_availability",
        phase="input_tracking",
    )
    monitor = await Tablet(client, await field.user(Role.MONITOR)).sign_in()
    return cycle_id, coordinator, monitor


async def test_basket_availability_stockouts_and_price_ratio(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    cycle_id, coordinator, monitor = await _medicine_round(committed_client, committed_database)
    cycle = {"id": cycle_id}
    empty = await committed_client.get(
        f"/reports/v1/cycles/{cycle['id']}/scorecard", headers=coordinator.headers
    )
    assert empty.status_code == 200, empty.text
    assert empty.json()["medicines"] == []  # no check yet: nothing to show, and no error
    result = await monitor.push(
        monitor.mutation(
            "submission",
            "create",
            uuid.uuid4(),
            _visit(
                cycle["id"],
                {
                    # metformin reference 90 MNT, insulin 28,000 MNT
                    "metformin": _check(True, False, 0, 2, 180),
                    "insulin": _check(False, False, 10, 30, None),
                },
            ),
        ),
        monitor.mutation(
            "submission",
            "create",
            uuid.uuid4(),
            _visit(
                cycle["id"],
                {
                    "metformin": _check(True, True, 4, 6, 90),
                    "insulin": _check(True, False, 0, 0, 42000),
                },
            ),
        ),
    )
    assert {r["status"] for r in result["results"]} == {"applied"}, result
    card = (
        await committed_client.get(
            f"/reports/v1/cycles/{cycle['id']}/scorecard", headers=coordinator.headers
        )
    ).json()
    rows = {m["key"]: m for m in card["medicines"]}
    assert rows["metformin"] | {"name_mn": None} == {
        "key": "metformin",
        "name_mn": None,
        "name_en": "Metformin",
        "checks": 2,
        "available": 0.5,
        "stockout_days_30": 2.0,
        "stockout_days_90": 4.0,
        "median_price_ratio": 1.5,
        "originator_price_ratio": None,
        "form_mn": "шахмал 500 мг",
        "form_en": "tablet 500 mg",
    }
    assert (
        rows["insulin"]["available"],
        rows["insulin"]["stockout_days_30"],
        rows["insulin"]["median_price_ratio"],
    ) == (0.5, 5.0, 1.5)
    basket = rows[None]
    assert (basket["checks"], basket["available"], basket["median_price_ratio"]) == (2, 0.5, 1.5)


async def test_prices_off_the_shelf_only_and_every_medicine_weighing_the_same(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    cycle_id, coordinator, monitor = await _medicine_round(committed_client, committed_database)
    visits = [
        # metformin (reference 90) found three times at 1, 2 and 3 times the reference
        {"metformin": _check(True, False, 0, 0, 90), "insulin": _check(False, False, 9, 20, 1)},
        {"metformin": _check(True, False, 0, 0, 180), "insulin": _check(False, False, 9, 20, 1)},
        {"metformin": _check(True, False, 0, 0, 270), "insulin": _check(True, False, 0, 0, 56000)},
    ]
    pushed = await monitor.push(
        *(
            monitor.mutation("submission", "create", uuid.uuid4(), _visit(cycle_id, checks))
            for checks in visits
        )
    )
    assert {r["status"] for r in pushed["results"]} == {"applied"}, pushed
    card = (
        await committed_client.get(
            f"/reports/v1/cycles/{cycle_id}/scorecard", headers=coordinator.headers
        )
    ).json()
    rows = {m["key"]: m for m in card["medicines"]}
    # insulin's price of 1 MNT was written where it was out of stock: not a price at all
    assert (rows["metformin"]["median_price_ratio"], rows["insulin"]["median_price_ratio"]) == (
        2.0,
        2.0,
    )
    # the basket: availability (1 + 1/3) / 2 per medicine, not 4 of 6 checks pooled; the price
    # ratio the median of the two medicines' ratios
    basket = rows[None]
    assert (basket["available"], basket["median_price_ratio"]) == (0.667, 2.0)
    assert basket["stockout_days_30"] == 3.0  # (0 + 6) / 2
    page = await committed_client.get(
        f"/reports/v1/cycles/{cycle_id}/scorecard.html",
        params={"lang": "en"},
        headers=coordinator.headers,
    )
    assert 'data-medicine="metformin"' in page.text
    assert "Price ratio, lowest generic" in page.text
