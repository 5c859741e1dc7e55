"""Tracer medicines: availability, stock-out days and median price ratio, counted by hand."""

import uuid

import pytest
from httpx import AsyncClient
from sqlalchemy import select

from backend.auth.models import Role
from backend.database.session import Database
from backend.templates.models import Template, TemplateVersion
from tests.support.field import Tablet, programme

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


async def test_basket_availability_stockouts_and_price_ratio(
    committed_client: AsyncClient, committed_database: Database
) -> None:
    field = await programme(committed_database)
    coordinator = await Tablet(committed_client, await field.user(Role.COORDINATOR)).sign_in()
    pharmacy = (
        await committed_client.post(
            "/facilities/v1",
            headers=coordinator.headers,
            json={
                "type": "pharmacy",
                "name_mn": "Эмийн сан",
                "name_en": "Pharmacy",
                "area_code": "MN-046",
            },
        )
    ).json()
    async with committed_database.sessionmaker() as db:
        version_id = await db.scalar(
            select(TemplateVersion.id)
            .join(Template, Template.id == TemplateVersion.template_id)
            .where(Template.key == "medicine_availability")
        )
    cycle = (
        await committed_client.post(
            "/cycles/v1",
            headers=coordinator.headers,
            json={
                "facility_id": pharmacy["id"],
                "template_version_id": str(version_id),
                "label": "2026 autumn",
            },
        )
    ).json()
    await committed_client.post(
        f"/cycles/v1/{cycle['id']}/advance",
        json={"to": "input_tracking"},
        headers=coordinator.headers,
    )
    empty = await committed_client.get(
        f"/reports/v1/cycles/{cycle['id']}/scorecard", headers=coordinator.headers
    )
    assert empty.status_code == 200, empty.text
    assert empty.json()["medicines"] == []  # no check yet: nothing to show, and no error
    monitor = await Tablet(committed_client, await field.user(Role.MONITOR)).sign_in()
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
    }
    assert (
        rows["insulin"]["available"],
        rows["insulin"]["stockout_days_30"],
        rows["insulin"]["median_price_ratio"],
    ) == (0.5, 5.0, 1.5)
    basket = rows[None]
    assert (basket["checks"], basket["available"], basket["median_price_ratio"]) == (4, 0.5, 1.5)
