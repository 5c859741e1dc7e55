"""Set-up: the geography, browsed from the top down: the national reference list (aimags,
the capital and its districts, soums) and the khoroos and bags imported from a file. A
coordinator starts from their own areas and goes no further than what lies inside them."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.params import FromQuery
from litestar.response import Template

from backend.areas import service as areas
from backend.areas.service import NoSuchArea
from backend.auth.policy import CurrentPrincipal
from backend.console.render import screen
from backend.console.setup_common import SETTERS
from backend.console.setup_common import WORDS as COMMON
from backend.database.session import DbSession
from backend.facilities import service as facilities

WORDS = {
    "below": ("Доторх нутаг", "Areas inside"),
    "facilities_here": ("Байгууллага", "Facilities"),
    "my_areas": ("Миний хариуцсан нутаг", "My areas"),
    "other_names": ("Бусад нэр", "Other names"),
    "nothing_below": ("Дотор нь бүртгэсэн нутаг алга.", "No areas are registered inside it."),
    "areas_intro": (
        "Улсын лавлах жагсаалт (аймаг, нийслэл, дүүрэг, сум) болон файлаас оруулсан хороо, баг.",
        "The national reference list (aimags, the capital, districts, soums) and the khoroos "
        "and bags imported from a file.",
    ),
}


@get("/console/setup/areas", opt=SETTERS, include_in_schema=False)
async def area_browser(
    db: DbSession,
    request: Request[Any, Any, Any],
    principal: CurrentPrincipal,
    parent: FromQuery[str] = "",
) -> Template:
    """The areas under `parent` (the top without one), each with what lies inside it."""
    code = parent.strip().upper()
    trail = []
    if code:
        area = (await areas.by_codes(db, [code])).get(code)
        mine = principal.sees_everything or bool(
            area and set(area.lineage) & set(principal.area_codes)
        )
        if area is None or not mine:
            raise NoSuchArea("No such area.")
        named = await areas.by_codes(db, area.lineage)
        trail = [named[c] for c in area.lineage if c in named]
        if not principal.sees_everything:
            # from the reader's own area down: what lies above it is not theirs to browse
            first = next(i for i, a in enumerate(trail) if a.code in principal.area_codes)
            trail = trail[first:]
        rows = await areas.children(db, code)
    elif principal.sees_everything:
        top = await areas.children(db, None)
        # the country alone stands at the top; begin with what is inside it
        rows = await areas.children(db, top[0][0].code) if len(top) == 1 and top[0][1] else top
    else:
        named = await areas.by_codes(db, principal.area_codes)
        counts = {
            area.code: count
            for code in {a.parent_code for a in named.values()}
            for area, count in await areas.children(db, code)
            if area.code in named
        }
        rows = [(named[c], counts.get(c, 0)) for c in sorted(named)]
    found = await facilities.counts_within(
        db, principal=principal, codes=[area.code for area, _ in rows]
    )
    return screen(
        request,
        "setup/areas.html",
        WORDS,
        COMMON,
        rows=rows,
        trail=trail,
        facility_counts=found,
    )


ROUTES = [area_browser]
