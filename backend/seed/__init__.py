"""Reference data every install needs, and the demo programme for trying the product."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas import service as areas
from backend.attachments.storage import open_store
from backend.database.session import in_transaction
from backend.scorecards import service as templates
from backend.seed import demo as demo_data
from backend.settings import Settings

# Printed at the end of every demo seed; demo data is never loaded in production.
DEMO_PASSWORD = "demo-password"  # noqa: S105


async def run(settings: Settings, *, demo: bool, password: str) -> list[str]:
    """Seed reference data, and the demo data when asked; returns lines to print."""
    assert settings.database_url is not None

    async def seed(db: AsyncSession) -> list[str]:
        report = await reference(db)
        if demo:
            report += await demo_data.seed(db, password=password, store=open_store(settings))
        return report

    return await in_transaction(settings.database_url, seed)


async def reference(db: AsyncSession) -> list[str]:
    """The geography, the tracer medicines and the three template families; safe to rerun."""
    levels = await areas.seed_reference(db)
    report = [
        f"reference data: {levels.total()} areas (the country, {levels['aimag']} aimags with "
        f"their {levels['soum']} soums, the capital and its {levels['district']} districts)"
    ]
    report += await templates.seed_families(db)
    return report


async def on_start(settings: Settings, *, demo: bool) -> list[str]:
    """What `serve` seeds: reference data always, demo data on a database with no accounts."""
    assert settings.database_url is not None
    fresh = not await in_transaction(settings.database_url, demo_data.has_accounts)
    return await run(settings, demo=demo and fresh, password=DEMO_PASSWORD)
