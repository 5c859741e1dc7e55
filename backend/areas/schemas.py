"""Wire types of areas."""

from __future__ import annotations

from typing import Any

from backend.wire import Wire


class AreaOut(Wire):
    code: str
    level: str
    parent_code: str | None
    name_mn: str
    name_en: str
    iso_code: str | None
    aliases: list[str]
    # the National Statistics Office's code (185 Uvs aimag, 18546 its soum Tes) and OCHA's
    # P-code (MN85, MN8546), where the area has them
    nso_code: str | None = None
    pcode: str | None = None


class AreaPage(Wire):
    items: list[AreaOut]
    total: int
    limit: int
    offset: int


class AreaRecord(Wire):
    """An area as a tablet pulls it (entity `area`, its code as `id`)."""

    code: str
    level: str
    parent_code: str | None
    name_mn: str
    name_en: str
    aliases: list[str]

    @classmethod
    def of(cls, row: Any) -> AreaRecord:
        return cls(
            code=row.code,
            level=row.level,
            parent_code=row.parent_code,
            name_mn=row.name_mn,
            name_en=row.name_en,
            aliases=list(row.aliases),
        )
