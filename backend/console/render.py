"""One way to answer with a console screen: the template, the reader's words and language,
the menu their role may use, and the request's CSP nonce."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.response import Template

from backend.auth.models import Role
from backend.auth.policy import Principal
from backend.console.words import Table, Words

LANGUAGES = ("mn", "en")

COORDINATING = frozenset({Role.ADMIN, Role.COORDINATOR})
FIELD_TEAM = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR})
INSIDE = frozenset({Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.MONITOR})
EVERYONE = frozenset(Role)


@dataclass(frozen=True, slots=True)
class MenuEntry:
    key: str
    path: str
    roles: frozenset[Role]


MENU = (
    MenuEntry("dashboard", "/console/", INSIDE),
    MenuEntry("setup", "/console/setup", COORDINATING),
    MenuEntry("review", "/console/review", COORDINATING),
    MenuEntry("conflicts", "/console/conflicts", FIELD_TEAM),
    MenuEntry("paper", "/console/paper", FIELD_TEAM),
    MenuEntry("results", "/console/results", EVERYONE),
    MenuEntry("plans", "/console/plans", EVERYONE),
)


def menu_for(principal: Principal | None) -> list[MenuEntry]:
    if principal is None:
        return []
    return [entry for entry in MENU if principal.role in entry.roles]


def language_of(request: Request[Any, Any, Any], principal: Principal | None) -> str:
    """The signed-in user's own choice; before sign-in, `?lang=`, then the browser's."""
    if principal is not None:
        return principal.language
    asked = str(request.query_params.get("lang", ""))
    if asked in LANGUAGES:
        return asked
    accept = request.headers.get("accept-language", "")
    return "en" if accept.lower().startswith("en") else "mn"


def principal_of(request: Request[Any, Any, Any]) -> Principal | None:
    found = request.scope.get("state", {}).get("principal")
    return found if isinstance(found, Principal) else None


def screen(
    request: Request[Any, Any, Any],
    name: str,
    *words: Table,
    status: int = 200,
    **context: Any,
) -> Template:
    principal = principal_of(request)
    language = language_of(request, principal)
    return Template(
        template_name=name,
        status_code=status,
        context={
            **context,
            "t": Words(language, *words),
            "lang": language,
            "principal": principal,
            "menu": menu_for(principal),
            "here": request.url.path,
            # where the language form returns to: this very screen, its filters included
            "back": request.url.path + (f"?{request.url.query}" if request.url.query else ""),
            "nonce": request.scope["state"].get("csp_nonce", ""),
        },
    )
