"""Set-up, the office's screens for running a programme (issue 24, item 3): areas,
facilities and their import, templates, campaigns and rounds, the tags of raised
indicators, users and tablets. Admins set up everything; coordinators within their areas.

Each screen lives in a module of its own beside this one and calls the same services as the
API, so a form is checked, scoped and recorded exactly as the matching API call."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from backend.console import (
    setup_areas,
    setup_campaigns,
    setup_facilities,
    setup_rounds,
    setup_tablets,
    setup_tags,
    setup_templates,
    setup_users,
)
from backend.console.render import screen
from backend.console.setup_common import SETTERS
from backend.console.setup_common import WORDS as COMMON

WORDS = {
    "about_areas": (
        "Аймаг, сум, дүүрэг, хороо: улсын лавлах жагсаалт ба оруулсан хороод.",
        "Aimags, soums, districts and khoroos: the national list and imported khoroos.",
    ),
    "about_facilities": (
        "Сургууль, эмнэлэг, эмийн сан: хайх, засах, CSV файлаас оруулах.",
        "Schools, clinics and pharmacies: find, edit, import from a CSV file.",
    ),
    "about_templates": (
        "Загварын хувилбар, шалгуурууд хоёр хэлээр, ноорог үүсгэх ба нийтлэх.",
        "Template versions, their indicators in both languages, drafts and publishing.",
    ),
    "about_rounds": (
        "Кампанит ажил ба үе нээх, үе шатыг ахиулах, шалтгаантайгаар буцаах.",
        "Open campaigns and rounds, move a round on, reopen it with a reason.",
    ),
    "about_tags": (
        "Иргэдийн санал болгосон шалгуурыг үе хооронд холбох шошгын жагсаалт.",
        "The list of tags that link the issues groups raise across rounds.",
    ),
    "about_users": (
        "Хэрэглэгчид, тэдний эрх ба хариуцсан нутаг.",
        "People's accounts, their roles and their areas.",
    ),
    "about_tablets": (
        "Багийн таблетууд, сүүлд холбогдсон огноо; гээгдсэн таблетыг хаах.",
        "The teams' tablets, when each was last seen; revoke a lost one.",
    ),
}
SCREENS = (
    ("areas", "/console/setup/areas"),
    ("facilities", "/console/setup/facilities"),
    ("templates", "/console/setup/templates"),
    ("rounds", "/console/setup/rounds"),
    ("tags", "/console/setup/tags"),
    ("users", "/console/setup/users"),
    ("tablets", "/console/setup/tablets"),
)


@get("/console/setup", opt=SETTERS, include_in_schema=False)
async def setup_index(request: Request[Any, Any, Any]) -> Template:
    return screen(request, "setup/index.html", WORDS, COMMON, screens=SCREENS)


ROUTES = [
    setup_index,
    *setup_areas.ROUTES,
    *setup_facilities.ROUTES,
    *setup_templates.ROUTES,
    *setup_rounds.ROUTES,
    *setup_campaigns.ROUTES,
    *setup_tags.ROUTES,
    *setup_users.ROUTES,
    *setup_tablets.ROUTES,
]
