"""The programme's list of tags for raised indicators.

A tag is the key coordinators give the same issue wherever a group raises it ("toilets"):
reports read a raised indicator against the other round's indicators with the same tag (its
trend, "did it work?"). A tag typed freely on each tablet breaks that link with the first
typo, so tags come from one list, kept by coordinators, named in both languages and handed
down to tablets (the `raised_tag` entity); a push refuses a tag not on it. Retiring a tag
stops it being offered; it is still accepted, so that an offline tablet's work and the
indicators already tagged keep their link."""

from __future__ import annotations

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth import access
from backend.auth.policy import Principal
from backend.cycles.models import CycleIndicator, RaisedTag
from backend.cycles.schemas import RaisedTagIn, RaisedTagOut, RaisedTagUpdate
from backend.errors import Conflict, NotFound


class TagTaken(Conflict):
    code, title = "raised_tag.key_taken", "The list has a tag with this key"


class NoSuchTag(NotFound):
    code, title = "raised_tag.unknown", "No such tag on the list"


def tag_out(tag: RaisedTag) -> RaisedTagOut:
    return RaisedTagOut(
        key=tag.key,
        label_mn=tag.label_mn,
        label_en=tag.label_en,
        retired=tag.retired_at is not None,
    )


async def list_tags(db: AsyncSession) -> list[RaisedTagOut]:
    """The list, tags in use first, each group by key."""
    rows = await db.scalars(
        select(RaisedTag).order_by(RaisedTag.retired_at.is_not(None), RaisedTag.key)
    )
    return [tag_out(tag) for tag in rows]


async def keys(db: AsyncSession) -> frozenset[str]:
    """Every key a raised indicator may carry: the list's, retired ones too."""
    return frozenset(await db.scalars(select(RaisedTag.key)))


async def usage(db: AsyncSession, *, principal: Principal) -> dict[str, int]:
    """How many raised indicators the principal may see carry each tag."""
    rows = await db.execute(
        select(CycleIndicator.tag, func.count())
        .where(CycleIndicator.tag.is_not(None), access.cycle_indicator_visible(principal))
        .group_by(CycleIndicator.tag)
    )
    return {tag: count for tag, count in rows if tag is not None}


async def add(db: AsyncSession, *, data: RaisedTagIn) -> RaisedTagOut:
    if await db.get(RaisedTag, data.key) is not None:
        raise TagTaken(f"The list has a tag {data.key!r} already.", field="key")
    tag = RaisedTag(key=data.key, label_mn=data.label_mn.strip(), label_en=data.label_en.strip())
    db.add(tag)
    await db.flush()
    return tag_out(tag)


async def change(db: AsyncSession, *, key: str, data: RaisedTagUpdate) -> RaisedTagOut:
    """Rename, retire or bring back a tag; its key, which indicators carry, stays."""
    tag = await db.get(RaisedTag, key, with_for_update=True)
    if tag is None:
        raise NoSuchTag(f"No tag {key!r} on the list.")
    if data.label_mn is not msgspec.UNSET:
        tag.label_mn = data.label_mn.strip()
    if data.label_en is not msgspec.UNSET:
        tag.label_en = data.label_en.strip()
    if data.retired is not msgspec.UNSET and data.retired != (tag.retired_at is not None):
        tag.retired_at = func.now() if data.retired else None
    await db.flush()
    await db.refresh(tag)
    return tag_out(tag)
