"""The web console for the people who run a programme, under /console/: server-rendered
screens (Jinja2, htmx for partial updates), every form protected by a CSRF token, every screen
asking the same access declarations and area scope as the API."""

from __future__ import annotations

import hashlib
from pathlib import Path

from litestar import Router
from litestar.config.csrf import CSRFConfig
from litestar.middleware.base import DefineMiddleware
from litestar.middleware.csrf import CSRFMiddleware
from litestar.plugins.htmx import HTMXRequest
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from backend.auth.keys import KeySet
from backend.console import conflicts, home, paper, plans, results, review, setup, signin
from backend.console.errors import EXCEPTION_HANDLERS
from backend.console.forms import FORM_BYTES
from backend.settings import Settings

HERE = Path(__file__).parent
CSRF_COOKIE = "scorecard_csrf"

TEMPLATES = TemplateConfig(directory=HERE / "templates", engine=JinjaTemplateEngine)

assets = create_static_files_router(
    path="/console/static",
    directories=[HERE / "static"],
    name="console-assets",
    include_in_schema=False,
    opt={"access": "public"},
)


def csrf_config(settings: Settings, keys: KeySet) -> CSRFConfig:
    """Litestar's double-submit token; its secret is derived from the signing key, so every
    worker and node of one deployment checks the same tokens."""
    secret = hashlib.sha256(b"console-csrf:" + keys.signing_pem.encode()).hexdigest()
    return CSRFConfig(
        secret=secret,
        cookie_name=CSRF_COOKIE,
        cookie_path="/console",
        cookie_secure=settings.production,
        cookie_httponly=True,
        cookie_samesite="lax",
        header_name="x-csrftoken",
    )


def router(settings: Settings, keys: KeySet) -> Router:
    return Router(
        path="/",
        route_handlers=[
            *signin.ROUTES,
            *home.ROUTES,
            *setup.ROUTES,
            *review.ROUTES,
            *conflicts.ROUTES,
            *paper.ROUTES,
            *results.ROUTES,
            *plans.ROUTES,
        ],
        middleware=[DefineMiddleware(CSRFMiddleware, config=csrf_config(settings, keys))],
        request_class=HTMXRequest,
        request_max_body_size=FORM_BYTES,
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]  # narrower map type
        include_in_schema=False,
    )
