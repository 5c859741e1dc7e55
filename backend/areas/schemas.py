"""Wire types of areas."""

from __future__ import annotations

from backend.wire import Wire


class AreaOut(Wire):
    code: str
    level: str
    parent_code: str | None
    name_mn: str
    name_en: str
    iso_code: str | None
    aliases: list[str]


class AreaPage(Wire):
    items: list[AreaOut]
    total: int
    limit: int
    offset: int
