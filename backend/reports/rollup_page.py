"""The area page: one template's roll-up and the responsiveness index of its family, for the
rounds a period pools, to read and print.

It shows the figures of the roll-up and index services the API answers with (the same rounds
for both), laid out and worded like the scorecard page (`formatting.py`, `wording.py`)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.policy import Principal
from backend.reports import index as indexes
from backend.reports import rollup as rollups
from backend.reports import wording
from backend.reports.formatting import Figures
from backend.reports.page import css_string, environment
from backend.reports.rollup_page_words import WORDS
from backend.reports.rollup_queries import Period

# the index is per soum at the finest (a roll-up by facility reads its soums' index)
INDEX_LEVEL = {"facility": "soum", "soum": "soum", "aimag": "aimag", "nation": "nation"}


async def render(
    db: AsyncSession,
    *,
    principal: Principal,
    area: str,
    template: str,
    by: str,
    period: Period,
    language: str,
    today: date,
    timezone: str,
    nonce: str,
    approved_only: bool = False,
) -> str:
    rollup = await rollups.rollup(
        db,
        principal=principal,
        area=area,
        template=template,
        level=by,
        period=period,
        today=today,
        timezone=timezone,
        approved_only=approved_only,
    )
    rounds = await rollups.pooled(
        db, principal=principal, area=area, template=template, period=period, timezone=timezone
    )
    document = await rollups.newest_document(db, template)
    index = await indexes.responsiveness(
        db,
        principal=principal,
        area=area,
        by=INDEX_LEVEL[by],
        since=date.min,
        until=date.max,
        today=today,
        timezone=timezone,
        family=document.family,
        among=rounds.ids,
    )
    units = {unit.unit: unit for unit in rollup.units}
    asked: dict[str, object] = {
        "area": rollup.area,
        "template": template,
        "by": by,
        "since": period.since,
        "until": period.until,
        "campaign": period.campaign,
        "lang": language,
        "approved_only": "true" if approved_only else None,
    }

    def query(**changes: object) -> str:
        """This page's query string with some parameters changed (None: left out)."""
        wanted = asked | changes
        return urlencode({key: str(value) for key, value in wanted.items() if value is not None})

    return (
        environment()
        .get_template("rollup.html")
        .render(
            nonce=nonce,
            language=language,
            other="en" if language == "mn" else "mn",
            words=WORDS[language],
            fig=Figures(language),
            say=wording,
            rollup=rollup,
            index=index,
            units=units,
            index_names=await rollups.area_names(db, [row.unit for row in index.rows]),
            components=indexes.COMPONENTS,
            family=document.family,
            query=query,
            css_string=css_string,
            today=today,
        )
    )
