"""Every route that takes an area understands the spellings people write: a code in any case,
a Cyrillic or Latin name, an alias; an unknown one is a 404 that suggests, an ambiguous one a
400 that lists the areas meant."""

import pytest
import pytest_asyncio
from httpx import AsyncClient
from litestar import Litestar
from litestar.handlers import HTTPRouteHandler
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas import service as areas
from backend.auth.models import Role
from tests.support.identity import headers_for

pytestmark = pytest.mark.asyncio

ROLLUP = "/reports/v1/rollup"
TEMPLATE = {"template": "parent_engagement"}
# every route with an `area=` query, and what else it needs
AREA_ROUTES = [
    ("/cycles/v1", {}),
    ("/action-plans/v1/items", {}),
    ("/facilities/v1", {}),
    (ROLLUP, TEMPLATE),
    ("/reports/v1/rollup.html", TEMPLATE),
    ("/reports/v1/outcomes", {}),
    ("/reports/v1/index", {}),
    ("/reports/v1/index.xlsx", {}),
    ("/reports/v1/trend", TEMPLATE),
]


@pytest_asyncio.fixture(loop_scope="session")
async def coordinator(client: AsyncClient, db: AsyncSession) -> dict[str, str]:
    return await headers_for(client, db, Role.COORDINATOR, areas=["MN-046", "MN-041", "MN-057"])


async def test_the_rollup_takes_codes_names_and_aliases_of_an_area(
    client: AsyncClient, coordinator: dict[str, str]
) -> None:
    spellings = {
        "MN-046": ["Uvs", "Увс", "uvs", "UVS", "MN-046", "mn-046", " Uvs "],
        "MN-041": ["Khuvsgul", "Хөвсгөл", "Khövsgöl", "khovsgol"],
    }
    for code, written in spellings.items():
        for spelling in written:
            answer = await client.get(
                ROLLUP, params={"area": spelling} | TEMPLATE, headers=coordinator
            )
            assert answer.status_code == 200, (spelling, answer.text)
            assert answer.json()["area"] == code, spelling


async def test_an_unknown_area_is_404_naming_close_matches(
    client: AsyncClient, coordinator: dict[str, str]
) -> None:
    answer = await client.get(ROLLUP, params={"area": "Uvss"} | TEMPLATE, headers=coordinator)
    assert answer.status_code == 404
    problem = answer.json()
    assert (problem["code"], problem["field"]) == ("area.unknown", "area")
    assert "Uvs (MN-046)" in problem["detail"]
    nothing_close = await client.get(
        ROLLUP, params={"area": "Atlantis"} | TEMPLATE, headers=coordinator
    )
    assert nothing_close.json()["code"] == "area.unknown"
    assert "Did you mean" not in nothing_close.json()["detail"]


async def test_a_soum_name_two_aimags_share_is_400_listing_both(
    client: AsyncClient, coordinator: dict[str, str]
) -> None:
    answer = await client.get(ROLLUP, params={"area": "Tes"} | TEMPLATE, headers=coordinator)
    assert answer.status_code == 400
    problem = answer.json()
    assert (problem["code"], problem["field"]) == ("area.ambiguous", "area")
    assert "MN-046-18546 Тэс / Tes in Uvs (MN-046)" in problem["detail"]
    assert "MN-057-18149 Тэс / Tes in Zavkhan (MN-057)" in problem["detail"]
    one = await client.get(ROLLUP, params={"area": "MN-057-18149"} | TEMPLATE, headers=coordinator)
    assert one.json()["area"] == "MN-057-18149"


async def test_a_name_of_several_levels_means_the_highest(db: AsyncSession) -> None:
    # an aimag, a district of the capital and soums in Selenge and Sükhbaatar
    assert (await areas.resolve(db, "Sükhbaatar")).code == "MN-051"
    assert (await areas.resolve(db, "Сүхбаатар")).code == "MN-051"
    # an aimag and a soum of Uvs
    assert (await areas.resolve(db, "Khovd")).code == "MN-043"
    # a district and soums of Selenge and Övörkhangai
    assert (await areas.resolve(db, "Bayangol")).code == "MN-1-BG"
    # a soum's name, given once
    assert (await areas.resolve(db, "Ulaangom")).code == "MN-046-18501"
    assert (await areas.resolve(db, "Бөхмөрөн")).code == "MN-046-18507"
    assert (await areas.resolve(db, "Bokhmoron")).code == "MN-046-18507"


async def test_every_route_with_an_area_resolves_it(
    client: AsyncClient, coordinator: dict[str, str]
) -> None:
    for path, params in AREA_ROUTES:
        named = await client.get(path, params={"area": "Увс"} | params, headers=coordinator)
        assert named.status_code == 200, (path, named.text)
        unknown = await client.get(path, params={"area": "Uvss"} | params, headers=coordinator)
        assert unknown.status_code == 404, path
        assert unknown.json()["code"] == "area.unknown", path
    area = await client.get("/areas/v1/uvs", headers=coordinator)
    assert (area.json()["code"], area.json()["nso_code"], area.json()["pcode"]) == (
        "MN-046",
        "185",
        "MN85",
    )
    missing = await client.get("/areas/v1/Uvss", headers=coordinator)
    assert (missing.status_code, missing.json()["code"]) == (404, "area.unknown")


async def test_the_routes_above_are_every_route_with_an_area(app: Litestar) -> None:
    # console screens take the same spellings through the same resolver, and show an unknown
    # one on the page beside its filter rather than as a 404 (tests/integration/console)
    taking = {
        route.path
        for route in app.routes
        for handler in route.route_handlers
        if isinstance(handler, HTTPRouteHandler)
        and "area" in handler.parsed_fn_signature.parameters
        and not route.path.startswith("/console/")
    }
    assert taking == {path for path, _ in AREA_ROUTES}
