"""The Litestar application: routers, plugins, error mapping."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.types import ControllerRouterHandler

from backend import __version__, console, entities  # noqa: F401 (registers the synced records)
from backend.action_plans import routes as action_plan_routes
from backend.areas import routes as area_routes
from backend.attachments import routes as attachment_routes
from backend.attachments.storage import open_store
from backend.auth import routes as auth_routes
from backend.auth.keys import KeySet, load_keys
from backend.auth.policy import provide_principal
from backend.auth.sessions import enforce_access
from backend.auth.tokens import TokenIssuer
from backend.cycles import routes as cycle_routes
from backend.database.session import Database, open_database, provide_db
from backend.errors import EXCEPTION_HANDLERS
from backend.facilities import routes as facility_routes
from backend.reports import followthrough_routes
from backend.reports import routes as report_routes
from backend.reviews import routes as review_routes
from backend.scorecards import routes as template_routes
from backend.settings import Settings
from backend.sync import routes as sync_routes
from backend.system import metrics
from backend.system.routes import health, ready
from backend.users import routes as user_routes
from backend.web import docs
from backend.web.admission import AllowedHosts, PushAdmission
from backend.web.headers import SecurityHeaders
from backend.web.logs import RequestContext
from backend.web.openapi import document_problems, document_security

ROUTE_HANDLERS: list[ControllerRouterHandler] = [
    docs.front_door,
    docs.docs_assets,
    health,
    ready,
    metrics.Metrics,
    *auth_routes.ROUTES,
    *user_routes.ROUTES,
    *area_routes.ROUTES,
    *facility_routes.ROUTES,
    *template_routes.ROUTES,
    *cycle_routes.ROUTES,
    *sync_routes.ROUTES,
    *attachment_routes.ROUTES,
    *report_routes.ROUTES,
    *followthrough_routes.ROUTES,
    *action_plan_routes.ROUTES,
    *review_routes.ROUTES,
]


def create_app(settings: Settings, *, database: Database | None = None) -> Litestar:
    """Build the app; the database is opened at startup unless one is handed in (tests)."""

    @asynccontextmanager
    async def open_database_for_lifespan(app: Litestar) -> AsyncIterator[None]:
        if settings.database_url is None:
            raise RuntimeError("create_app needs a database URL; the CLI starts the embedded one")
        owned = open_database(settings.database_url)
        metrics.watch_pool(owned.engine)
        app.state.database = owned
        try:
            yield
        finally:
            await owned.dispose()

    keys = load_keys(settings)
    app = Litestar(
        route_handlers=[*ROUTE_HANDLERS, console.assets, console.router(settings, keys)],
        template_config=console.TEMPLATES,
        lifespan=[] if database is not None else [open_database_for_lifespan],
        dependencies={
            "db": Provide(provide_db),
            "principal": Provide(provide_principal, sync_to_thread=False),
        },
        guards=[enforce_access],
        middleware=[metrics.middleware()],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]  # Litestar's map type is narrower than its handlers
        request_max_body_size=settings.limits.max_body_bytes,
        cors_config=CORSConfig(
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Content-Range", "X-Request-Id"],
            expose_headers=["Retry-After", "Upload-Offset", "X-Request-Id", "Server-Timing"],
        )
        if settings.cors_origins
        else None,
        compression_config=CompressionConfig(
            backend="gzip", minimum_size=1024, gzip_compress_level=5
        ),
        openapi_config=OpenAPIConfig(
            title="Community scorecard API",
            version=__version__,
            path="/schema",
            render_plugins=[docs.DOCS_VIEWER],
        ),
        state=State(
            {
                "settings": settings,
                "database": database,
                "tokens": _token_issuer(settings, keys),
                "attachments": open_store(settings),
            }
        ),
        logging_config=None,
        debug=False,
    )
    if database is not None:
        metrics.watch_pool(database.engine)
    # Outermost layer, so that 404s and errors raised before routing carry a request id too.
    document_problems(app)
    document_security(app)
    pushes = PushAdmission(app.asgi_handler, concurrency=settings.limits.push_concurrency)
    app.asgi_handler = RequestContext(SecurityHeaders(AllowedHosts(pushes, settings.allowed_hosts)))
    return app


def _token_issuer(settings: Settings, keys: KeySet) -> TokenIssuer:
    return TokenIssuer(
        keys=keys,
        issuer=settings.jwt_issuer,
        audience=settings.jwt_audience,
        lifetime=timedelta(minutes=settings.access_token_minutes),
    )
