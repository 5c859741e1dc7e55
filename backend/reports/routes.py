"""Results (API.md, "Results")."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from litestar import MediaType, Request, Response, get
from litestar.datastructures import State
from litestar.params import FromPath, FromQuery, QueryParameter

from backend.areas import service as areas
from backend.auth.policy import SIGNED_IN, CurrentPrincipal
from backend.database.session import DbSession
from backend.reports import exports, page, spreadsheet
from backend.reports import rollup as rollups
from backend.reports import service as reports
from backend.reports.rollup_queries import Period
from backend.reports.schemas import RollupOut, ScorecardOut
from backend.reports.spreadsheet import Download
from backend.web.downloads import attachment
from backend.web.headers import nonce_of

Language = Literal["mn", "en"]
# figures from the submissions a coordinator approved (as they read now) only
ApprovedOnly = Annotated[
    bool,
    QueryParameter(
        description="Count only the submissions a coordinator approved, as they read now "
        "(one edited since its approval waits for a new look)."
    ),
]
# a table's name is checked by the export, which answers an unknown one with its own code
# (report.unknown_table); the schema still lists the names
TableName = Annotated[
    str,
    QueryParameter(
        description="Which table: scores (the default), matrix, reasons, medicines, inputs, plan.",
        schema_extra={"enum": list(exports.TABLES)},
    ),
]


@get("/reports/v1/cycles/{cycle_id:uuid}/scorecard", opt=SIGNED_IN, tags=["reports"])
async def scorecard(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    approved_only: ApprovedOnly = False,
) -> ScorecardOut:
    """Per indicator: community scores by group and overall (n, mean, median, min, max), the
    provider's score, the gap, the change since the previous round, and suppressed cells.
    Viewers see published cycles only; providers and viewers see small groups hidden."""
    return await reports.scorecard(
        db,
        principal=principal,
        cycle_id=cycle_id,
        timezone=state.settings.timezone,
        approved_only=approved_only,
    )


@get(
    "/reports/v1/cycles/{cycle_id:uuid}/scorecard.html",
    opt=SIGNED_IN,
    tags=["reports"],
    media_type=MediaType.HTML,
)
async def scorecard_page(
    db: DbSession,
    state: State,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    lang: FromQuery[Language | None] = None,
    approved_only: ApprovedOnly = False,
) -> str:
    """The scorecard as a page to project at the interface meeting and print on A4, in the
    reader's own language unless `lang` asks for the other."""
    return await page.render(
        db,
        state.attachments,
        principal=principal,
        cycle_id=cycle_id,
        language=lang or principal.language,
        today=state.settings.today(),
        timezone=state.settings.timezone,
        nonce=nonce_of(request.scope),
        approved_only=approved_only,
    )


def _download(download: Download) -> Response[bytes]:
    return Response(
        download.content, media_type=download.media_type, headers=attachment(download.name)
    )


@get(
    "/reports/v1/cycles/{cycle_id:uuid}/scorecard.csv",
    opt=SIGNED_IN,
    tags=["reports"],
    media_type=spreadsheet.CSV,
)
async def scorecard_csv(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    table: TableName = "scores",
    lang: FromQuery[Language] = "mn",
) -> Response[bytes]:
    """One table of the scorecard as CSV (UTF-8 with a byte-order mark), under the same
    privacy rules as the JSON, headers and names in `lang`: `table` is `scores` (a row per
    indicator, respondent and group), `matrix`, `reasons` (for providers and viewers, the
    pieces a coordinator passed), `medicines`, `inputs` or `plan` (the action plan); another
    value is 400 `report.unknown_table`."""
    return _download(
        await exports.table_csv(
            db,
            principal=principal,
            cycle_id=cycle_id,
            table=table,
            language=lang,
            today=state.settings.today(),
            timezone=state.settings.timezone,
        )
    )


@get(
    "/reports/v1/cycles/{cycle_id:uuid}/scorecard.zip",
    opt=SIGNED_IN,
    tags=["reports"],
    media_type=spreadsheet.ZIP,
)
async def scorecard_zip(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    lang: FromQuery[Language] = "mn",
) -> Response[bytes]:
    """Every table of the scorecard the caller may read, each as the CSV `scorecard.csv`
    gives, in one ZIP."""
    return _download(
        await exports.tables_zip(
            db,
            principal=principal,
            cycle_id=cycle_id,
            language=lang,
            today=state.settings.today(),
            timezone=state.settings.timezone,
        )
    )


@get(
    "/reports/v1/cycles/{cycle_id:uuid}/scorecard.xlsx",
    opt=SIGNED_IN,
    tags=["reports"],
    media_type=spreadsheet.XLSX,
)
async def scorecard_xlsx(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    cycle_id: FromPath[uuid.UUID],
    lang: FromQuery[Language] = "mn",
) -> Response[bytes]:
    """The scorecard as an Excel workbook, a sheet per table the caller may read, under the
    same privacy rules as the JSON."""
    return _download(
        await exports.tables_xlsx(
            db,
            principal=principal,
            cycle_id=cycle_id,
            language=lang,
            today=state.settings.today(),
            timezone=state.settings.timezone,
        )
    )


@get("/reports/v1/rollup", opt=SIGNED_IN, tags=["reports"])
async def rollup(
    db: DbSession,
    state: State,
    principal: CurrentPrincipal,
    area: FromQuery[str],
    template: FromQuery[str],
    by: FromQuery[Literal["facility", "soum", "aimag", "nation"]] = "facility",
    since: FromQuery[date | None] = None,
    until: FromQuery[date | None] = None,
    campaign: FromQuery[uuid.UUID | None] = None,
    approved_only: ApprovedOnly = False,
) -> RollupOut:
    """One template's indicators across an area's facilities, by facility, soum, aimag or the
    nation, with action-plan completion and overdue rates per unit and, for medicines, the
    tracers' availability, stock-outs and price ratios. Which rounds are pooled (`period` in
    the answer): one campaign's (`campaign`), those held in [since, until) (either given), or
    by default each facility's latest published round. A round is held on the
    programme-local date (SCORECARD_TIMEZONE) of its first community scoring session, or on
    the date it was opened while it has none."""
    return await rollups.rollup(
        db,
        principal=principal,
        area=(await areas.resolve(db, area)).code,
        template=template,
        level=by,
        period=Period(since=since, until=until, campaign=campaign),
        today=state.settings.today(),
        timezone=state.settings.timezone,
        approved_only=approved_only,
    )


ROUTES = [scorecard, scorecard_page, scorecard_csv, scorecard_zip, scorecard_xlsx, rollup]
