"""Refusals on console screens as pages in the reader's language: a signed-out browser is led
to the sign-in and back, a refusal names its stable code, nothing is shown as JSON."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response
from litestar.exceptions import HTTPException, PermissionDeniedException, ValidationException
from litestar.response import Redirect

from backend.console.forms import local_path
from backend.console.render import screen
from backend.errors import (
    SIGN_IN_PATH,
    DomainError,
    InvalidInput,
    declare,
    handle_http_exception,
)

MESSAGES = {403: "not_allowed", 404: "not_found"}
# a console form posted without the token of the page it came from
CSRF_REFUSED = declare("auth.csrf", 403)


def _page(request: Request[Any, Any, Any], status: int, code: str | None) -> Response[Any]:
    message = "form_expired" if code == CSRF_REFUSED else MESSAGES.get(status, "refused")
    return screen(request, "error.html", status=status, message=message, code=code)


def domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if getattr(exc, "leads_to_sign_in", False):
        back = request.url.path if request.method == "GET" else "/console/"
        if request.url.query and request.method == "GET":
            back += f"?{request.url.query}"
        return Redirect(path=SIGN_IN_PATH, query_params={"next": local_path(back)}, status_code=303)
    return _page(request, exc.status, exc.code)


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    if exc.status_code >= 500:
        return handle_http_exception(request, exc)
    code = (
        CSRF_REFUSED
        if isinstance(exc, PermissionDeniedException)
        else InvalidInput.code
        if isinstance(exc, ValidationException)
        else None
    )
    return _page(request, exc.status_code, code)


EXCEPTION_HANDLERS = {DomainError: domain_error, HTTPException: http_error}
