"""The area page: one template's roll-up and the responsiveness index, to read and print."""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.areas.models import Area
from backend.auth.policy import Principal
from backend.reports import index as indexes
from backend.reports import rollup as rollups
from backend.reports import trend as trends

WORDS = {
    "mn": {
        "title": "Нэгтгэл",
        "unit": "Нэгж",
        "indicator": "Шалгуур үзүүлэлт",
        "facilities": "Байгууллага",
        "community": "Иргэд",
        "provider": "Үйлчилгээ үзүүлэгч",
        "gap": "Зөрүү",
        "completion": "Биелэлт",
        "overdue": "Хугацаа хэтэрсэн",
        "index": "Хариу үйлдлийн индекс",
        "rounds": "Үе",
        "hidden": "суурь 5-аас бага",
        "components": {
            "on_time": "Хугацаандаа биелсэн",
            "money": "Зарцуулсан / төлөвлөсөн мөнгө",
            "gap_closed": "Зөрүү багассан",
            "participation": "Эмзэг бүлгийн оролцоо",
        },
        "note": (
            "Индекс (хувилбар {version}): харагдаж буй бүрэлдэхүүнүүдийн дундаж × 100; "
            "гурваас цөөн бүрэлдэхүүн харагдвал индекс гарахгүй."
        ),
    },
    "en": {
        "title": "Roll-up",
        "unit": "Unit",
        "indicator": "Indicator",
        "facilities": "Facilities",
        "community": "Community",
        "provider": "Provider",
        "gap": "Gap",
        "completion": "Completion",
        "overdue": "Overdue",
        "index": "Responsiveness index",
        "rounds": "Rounds",
        "hidden": "base under 5",
        "components": {
            "on_time": "Done on time",
            "money": "Money spent / committed",
            "gap_closed": "Gap closed",
            "participation": "Priority groups heard",
        },
        "note": (
            "Index (version {version}): 100 × the mean of the components shown; none when "
            "fewer than three are shown."
        ),
    },
}


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


async def render(
    db: AsyncSession,
    *,
    principal: Principal,
    area: str,
    template: str,
    by: str,
    since: date,
    until: date,
    language: str,
    today: date,
    timezone: str,
) -> str:
    rollup = await rollups.rollup(
        db,
        principal=principal,
        area=area,
        template=template,
        level=by,
        since=since,
        until=until,
        today=today,
        timezone=timezone,
    )
    index = await indexes.responsiveness(
        db,
        principal=principal,
        area=area,
        by=by if by in indexes.LEVELS else "soum",
        since=since,
        until=until,
        today=today,
        timezone=timezone,
    )
    labels = await trends.indicator_labels(db, template)
    names = {
        code: (name_mn if language == "mn" else name_en)
        for code, name_mn, name_en in await db.execute(
            select(Area.code, Area.name_mn, Area.name_en)
        )
    }
    return (
        _environment()
        .get_template("rollup.html")
        .render(
            language=language,
            other="en" if language == "mn" else "mn",
            words=WORDS[language],
            area=names.get(area.upper(), area.upper()),
            template=template,
            rollup=rollup,
            index=index,
            names=names,
            labels={key: mn if language == "mn" else en for key, (mn, en, _, _) in labels.items()},
            kinds={key: kind for key, (_, _, kind, _) in labels.items()},
            components=indexes.COMPONENTS,
        )
    )
