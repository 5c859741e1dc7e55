"""The API documentation, readable on an office network without internet: Swagger UI served by
the service itself (vendored from the `swagger-ui-dist` npm package, version 5.36.0, with its
licence beside it); `/` leads an API client to it and a browser to the console."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from litestar import Request, get
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.response import Redirect
from litestar.static_files import create_static_files_router

ASSETS = Path(__file__).parent / "static" / "swagger-ui"
ASSETS_PATH = "/schema/assets"

# the viewer at /schema, its scripts and styles from this service, never from a CDN
DOCS_VIEWER = SwaggerRenderPlugin(
    js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
    css_url=f"{ASSETS_PATH}/swagger-ui.css",
    standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
    path="/",
    favicon="",
)

docs_assets = create_static_files_router(
    path=ASSETS_PATH,
    directories=[ASSETS],
    name="docs-assets",
    include_in_schema=False,
    opt={"access": "public"},
)


@get("/", include_in_schema=False, opt={"access": "public"})
async def front_door(request: Request[Any, Any, Any]) -> Redirect:
    """The service's front door: a browser is led to the console, an API client to the docs."""
    accept = request.headers.get("accept", "")
    return Redirect(path="/console/" if "text/html" in accept else "/schema")
