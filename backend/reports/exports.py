"""The scorecard to download: each of its tables as a CSV of its own, all of them as CSVs in a
ZIP, or as the sheets of one XLSX workbook; in the reader's language, named after the facility
and the round (README, "Results").

The tables are the scorecard's (`scorecard_tables.py`) and the action plan's
(`plan_table.py`), read through the same services and rules as the JSON and the page: the
reasons table only where the caller may read reasons, the plan's items only those the caller
may see."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from backend.action_plans import service as plans
from backend.action_plans.schemas import ActionItemOut
from backend.auth.policy import Principal
from backend.errors import InvalidInput
from backend.reports import scorecard_tables, spreadsheet, wording
from backend.reports import service as reports
from backend.reports.plan_table import plan
from backend.reports.schemas import ScorecardOut
from backend.reports.spreadsheet import Download
from backend.reports.tables import Table
from backend.web import downloads
from backend.web.pagination import PageRequest

TABLES = ("scores", "matrix", "reasons", "medicines", "inputs", "plan")
# every table but the plan is laid out from the scorecard alone
FROM_THE_SCORECARD: dict[str, Callable[[ScorecardOut, str], Table]] = {
    "scores": scorecard_tables.scores,
    "matrix": scorecard_tables.matrix,
    "reasons": scorecard_tables.reasons,
    "medicines": scorecard_tables.medicines,
    "inputs": scorecard_tables.inputs,
}
PLAN_PAGE = 500


class UnknownTable(InvalidInput):
    code = "report.unknown_table"


async def table_csv(
    db: AsyncSession,
    *,
    principal: Principal,
    cycle_id: uuid.UUID,
    table: str,
    language: str,
    today: date,
    timezone: str,
) -> Download:
    """One table as a CSV file."""
    if table not in TABLES:
        raise UnknownTable(f"table is one of {', '.join(TABLES)}", field="table")
    card = await reports.scorecard(db, principal=principal, cycle_id=cycle_id, timezone=timezone)
    items = await _plan(db, principal, card.cycle_id, today) if table == "plan" else []
    chosen = _table(table, card, items, language)
    return Download(
        spreadsheet.csv_file(chosen), spreadsheet.CSV, file_name(card, language, chosen, "csv")
    )


async def tables_zip(
    db: AsyncSession,
    *,
    principal: Principal,
    cycle_id: uuid.UUID,
    language: str,
    today: date,
    timezone: str,
) -> Download:
    """Every table the caller may read, each as the CSV file `table_csv` gives, in one ZIP."""
    card, tables = await _readable(db, principal, cycle_id, language, today, timezone)
    files = [(file_name(card, language, t, "csv"), spreadsheet.csv_file(t)) for t in tables]
    return Download(
        spreadsheet.zip_file(files), spreadsheet.ZIP, file_name(card, language, None, "zip")
    )


async def tables_xlsx(
    db: AsyncSession,
    *,
    principal: Principal,
    cycle_id: uuid.UUID,
    language: str,
    today: date,
    timezone: str,
) -> Download:
    """Every table the caller may read, a sheet each, in one workbook."""
    card, tables = await _readable(db, principal, cycle_id, language, today, timezone)
    book = spreadsheet.saved(spreadsheet.workbook(tables))
    return Download(book, spreadsheet.XLSX, file_name(card, language, None, "xlsx"))


async def _readable(
    db: AsyncSession,
    principal: Principal,
    cycle_id: uuid.UUID,
    language: str,
    today: date,
    timezone: str,
) -> tuple[ScorecardOut, list[Table]]:
    """The tables the caller may read: the scores, the matrix, the reasons (those the caller
    may read), the medicines and the input tracking where the round has them, and the action
    plan."""
    card = await reports.scorecard(db, principal=principal, cycle_id=cycle_id, timezone=timezone)
    items = await _plan(db, principal, card.cycle_id, today)
    names = ["scores", "matrix", "reasons"]
    names += ["medicines"] if card.medicines else []
    names += ["inputs"] if card.inputs else []
    names += ["plan"]
    return card, [_table(name, card, items, language) for name in names]


def _table(name: str, card: ScorecardOut, items: list[ActionItemOut], language: str) -> Table:
    if name == "plan":
        return plan(card, items, language)
    return FROM_THE_SCORECARD[name](card, language)


async def _plan(
    db: AsyncSession, principal: Principal, cycle_id: uuid.UUID, today: date
) -> list[ActionItemOut]:
    """Every action item of the round the caller may see, page by page: a download is whole."""
    items: list[ActionItemOut] = []
    while True:
        page = await plans.list_items(
            db,
            principal=principal,
            page=PageRequest(limit=PLAN_PAGE, offset=len(items)),
            cycle_id=cycle_id,
            area=None,
            overdue_only=False,
            today=today,
        )
        items += page.items
        if not page.items or len(items) >= page.total:
            return items


def file_name(card: ScorecardOut, language: str, table: Table | None, extension: str) -> str:
    """The facility and the round, and the table unless it is the scores (the default):
    Улаангом-1-р-сургууль_2026-оны-намрын-үе_Төлөвлөгөө.csv."""
    parts = [
        wording.pick(language, card.facility_name_mn, card.facility_name_en),
        wording.pick(language, card.label_mn or card.label, card.label_en),
    ]
    if table is not None and table.name != "scores":
        parts.append(table.title)
    return downloads.file_name(parts, extension, otherwise="scorecard")
