"""On an office network without internet the API documentation still opens: the page at
/schema names nothing outside the service, everything it loads is served by the service, and
/ leads a visitor there."""

from __future__ import annotations

import re

import pytest
from httpx import AsyncClient

pytestmark = pytest.mark.asyncio


async def test_the_documentation_loads_nothing_from_outside(client: AsyncClient) -> None:
    page = await client.get("/schema")
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"]
    loaded = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", page.text)
    assert loaded, page.text[:500]
    # every script and style sheet comes from the service itself
    assert [url for url in loaded if not url.startswith("/")] == []
    for url in loaded:
        asset = await client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 10_000, url
    assert any(url.endswith("swagger-ui-bundle.js") for url in loaded)
    # and the document it renders is the service's own
    document = await client.get("/schema/openapi.json")
    assert document.json()["info"]["title"] == "Community scorecard API"


async def test_the_front_door_leads_to_the_documentation(client: AsyncClient) -> None:
    door = await client.get("/", follow_redirects=False)
    assert door.status_code in (301, 302, 303, 307, 308)
    assert door.headers["location"] == "/schema"
