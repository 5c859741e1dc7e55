"""Operators' view of the running service: `/metrics` in the Prometheus text format.

Requests and latency by route come from Litestar's Prometheus middleware, labelled with the
route's template (never a raw path, so no record id reaches a label); the sync counters and
the database pool gauge are declared here. No label carries a user, device or record id.
The figures still tell when and how much the programme's tablets sync, so they are for the
operator's scraper only: it sends the token of SCORECARD_METRICS_TOKEN.
With several workers, `scorecard serve` points PROMETHEUS_MULTIPROC_DIR at a folder of the
data dir so that every worker's figures are added up in each scrape.
"""

from __future__ import annotations

import hmac
import os
import shutil
from pathlib import Path
from typing import Any

from litestar.exceptions import NotFoundException
from litestar.handlers.base import BaseRouteHandler
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from prometheus_client import Counter, Gauge
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from backend.auth.policy import PUBLIC, Connection, Unauthenticated
from backend.auth.sessions import bearer_token

PUSH_MUTATIONS = Counter(
    "scorecard_push_mutations", "Pushed mutations answered, by result", ["result"]
)
PULLED_RECORDS = Counter(
    "scorecard_pull_records", "Records handed out by pulls, by operation", ["op"]
)
CONFLICTS_OPENED = Counter("scorecard_conflicts_opened", "Conflicts opened by a push")
CONFLICTS_RESOLVED = Counter(
    "scorecard_conflicts_resolved", "Conflicts settled, by choice", ["choice"]
)
POOL_IN_USE = Gauge(
    "scorecard_db_connections_in_use",
    "Database connections checked out of the pools",
    multiprocess_mode="livesum",
)
POOL_OPENED = Gauge(
    "scorecard_db_connections_open",
    "Database connections the pools hold open",
    multiprocess_mode="livesum",
)


def scraper_only(connection: Connection, _: BaseRouteHandler) -> None:
    """The scraper's bearer token, compared in constant time. Without a token configured the
    route is off and answers like a path nobody routes."""
    expected: str | None = connection.app.state.settings.metrics_token
    if expected is None:
        raise NotFoundException()
    given = bearer_token(connection)
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthenticated("The metrics token is missing or wrong.")


class Metrics(PrometheusController):
    """GET /metrics: no user signs in here (so no role is declared); `scraper_only` asks for
    the operator's token instead."""

    path = "/metrics"
    opt = PUBLIC
    guards = [scraper_only]
    include_in_schema = False


def middleware() -> Any:
    config = PrometheusConfig(
        app_name="scorecard",
        prefix="scorecard",
        group_path=True,
        exclude_unhandled_paths=True,
        exclude=["/metrics"],
    )
    return config.middleware


def _checked_out(*_: Any) -> None:
    POOL_IN_USE.inc()


def _checked_in(*_: Any) -> None:
    POOL_IN_USE.dec()


def _connected(*_: Any) -> None:
    POOL_OPENED.inc()


def _closed(*_: Any) -> None:
    POOL_OPENED.dec()


def watch_pool(engine: AsyncEngine) -> None:
    """Keep the pool gauges current from the pool's own events."""
    pool = engine.sync_engine.pool
    for name, listener in (
        ("checkout", _checked_out),
        ("checkin", _checked_in),
        ("connect", _connected),
        ("close", _closed),
        ("close_detached", _closed),
    ):
        if not event.contains(pool, name, listener):
            event.listen(pool, name, listener)


def share_between_workers(data_dir: Path) -> None:
    """Before uvicorn starts its workers: one folder where each writes its figures."""
    folder = data_dir / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
