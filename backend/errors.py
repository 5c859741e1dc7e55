"""Domain errors with stable codes, and the one place that renders every error as problem+json."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import msgspec
import structlog
from asyncpg.exceptions import OperatorInterventionError, PostgresConnectionError
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from litestar.response import Redirect
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

PROBLEM_JSON = "application/problem+json"

log = structlog.get_logger("backend.errors")


class FieldError(msgspec.Struct, omit_defaults=True):
    """One problem with one input field."""

    field: str | None
    message: str
    code: str | None = None


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details with a stable `code` a client can switch on."""

    type: str
    title: str
    status: int
    code: str
    detail: str | None = None
    field: str | None = None
    errors: list[FieldError] | None = None
    request_id: str | None = None


# Every code the server answers with, and its status. Each is declared once, beside the rule
# that raises it (a DomainError subclass, or `declare`); mobile_contract/README.md lists them
# all, and a test holds the two together.
CODES: dict[str, int] = {}


def declare(code: str, status: int) -> str:
    """Declare a code the server answers with; one code never has two statuses."""
    known = CODES.setdefault(code, status)
    if known != status:
        raise RuntimeError(f"{code} is declared with status {known} and {status}")
    return code


class DomainError(Exception):
    """An error the product explains to its caller; subclasses fix `code` and `status`."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    title: ClassVar[str] = "Request could not be completed"
    # True for refusals whose writes must stand, e.g. the audit row of a failed login
    keeps_writes: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "code" in cls.__dict__:
            declare(cls.code, cls.status)

    def __init__(
        self,
        detail: str | None = None,
        *,
        field: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.field = field
        self.errors = errors
        self.headers = headers or {}


class InvalidInput(DomainError):
    code, status, title = "request.invalid", 400, "Invalid input"


class NotFound(DomainError):
    code, status, title = "not_found", 404, "Not found"


class Conflict(DomainError):
    """Base of refusals that contradict what is stored; each subclass names its code."""

    status, title = 409, "Conflict with the stored state"


SERVER_ERROR = declare("server.error", 500)
MALFORMED = declare("request.malformed", 400)
UNAVAILABLE = declare("server.unavailable", 503)
# Framework exceptions keep Litestar's status; these are the codes clients see for them.
_HTTP_CODES: dict[int, tuple[str, str]] = {
    400: (MALFORMED, "Malformed request"),
    401: (declare("auth.unauthenticated", 401), "Authentication required"),
    403: (declare("auth.forbidden", 403), "Not allowed"),
    404: (declare("not_found", 404), "Not found"),
    405: (declare("request.method_not_allowed", 405), "Method not allowed"),
    413: (declare("request.too_large", 413), "Request body too large"),
    415: (declare("request.unsupported_media_type", 415), "Unsupported media type"),
    426: (declare("protocol.unsupported", 426), "Upgrade required"),
    429: (declare("request.throttled", 429), "Too many requests"),
    503: (UNAVAILABLE, "Service temporarily unavailable"),
}
OTHER_STATUS = declare("request.error", 400)  # a framework refusal with a status not above

# msgspec ends its messages with " - at `$.a.b`", or " - at `key` in `$.a`" for a mapping's key
_MSGSPEC_PATH = re.compile(r" - at (?:`key` in )?`\$(?P<path>[^`]*)`$")


def split_msgspec_error(error: Exception) -> tuple[str, str]:
    """(message, path) of a msgspec validation error; the path without "$", e.g. ".a.b"."""
    text = str(error)
    match = _MSGSPEC_PATH.search(text)
    if match is None:
        return text, ""
    return text[: match.start()], match.group("path")


def problem_response(
    request: Request[Any, Any, Any] | None, problem: Problem, headers: dict[str, str]
) -> Response[Any]:
    if request is not None:
        problem.request_id = request.scope.get("state", {}).get("request_id")
    return Response(
        content=msgspec.json.encode(problem),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def _problem(status: int, code: str, title: str, detail: str | None, **extra: Any) -> Problem:
    return Problem(
        type=f"urn:scorecard:problem:{code}",
        title=title,
        status=status,
        code=code,
        detail=detail,
        **extra,
    )


def _validation_errors(exc: ValidationException) -> list[FieldError]:
    errors: list[FieldError] = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        if not isinstance(item, dict):
            continue
        message, path = split_msgspec_error(Exception(item.get("message", "invalid value")))
        field = path.lstrip(".") or item.get("key")
        errors.append(FieldError(field=str(field) if field else None, message=message))
    return errors


SIGN_IN_PATH = "/console/sign-in"


def wants_page(request: Request[Any, Any, Any]) -> bool:
    """A browser following a link: a GET that asks for HTML before JSON."""
    if request.method not in ("GET", "HEAD"):
        return False
    accept = request.headers.get("accept", "")
    return "text/html" in accept and "application/json" not in accept.split(",")[0]


def handle_domain_error(request: Request[Any, Any, Any], exc: DomainError) -> Response[Any]:
    if getattr(exc, "leads_to_sign_in", False) and wants_page(request):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(path=SIGN_IN_PATH, query_params={"next": target}, status_code=303)
    problem = _problem(
        exc.status, exc.code, exc.title, exc.detail, field=exc.field, errors=exc.errors
    )
    return problem_response(request, problem, exc.headers)


def handle_http_exception(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    status = exc.status_code
    if status >= 500:
        return handle_unexpected(request, exc)
    code, title = _HTTP_CODES.get(status, (OTHER_STATUS, "Request failed"))
    errors: list[FieldError] | None = None
    if isinstance(exc, ValidationException):
        code, title = InvalidInput.code, "Invalid input"
        errors = _validation_errors(exc) or None
    detail = exc.detail if exc.detail and exc.detail != title else None
    if errors and detail and _MSGSPEC_PATH.search(detail):
        detail = errors[0].message
    problem = _problem(
        status, code, title, detail, field=errors[0].field if errors else None, errors=errors
    )
    return problem_response(request, problem, dict(exc.headers or {}))


def _database_unavailable(exc: Exception) -> bool:
    """Unreachable (a refused or missing socket while PostgreSQL restarts), the connection
    lost, the database shutting down or starting up, or every pooled connection busy."""
    if isinstance(exc, DBAPIError):
        state = str(getattr(exc.orig, "sqlstate", "") or "")
        return (
            exc.connection_invalidated
            or state.startswith(("08", "57"))
            or isinstance(exc, OperationalError | InterfaceError)
        )
    return isinstance(
        exc, PoolTimeout | OSError | PostgresConnectionError | OperatorInterventionError
    )


# a unique key taken by a concurrent transaction, a serialization failure, a deadlock: the same
# request sent again finds the other transaction's work and is answered from it
RETRYABLE_STATES = ("23505", "40001", "40P01")


def _retryable(exc: Exception) -> bool:
    return isinstance(exc, DBAPIError) and getattr(exc.orig, "sqlstate", None) in RETRYABLE_STATES


def _malformed_body(exc: Exception) -> bool:
    """A body the JSON decoder gave up on in a way it does not report as a DecodeError:
    invalid UTF-8 inside a string, or nesting deeper than it will follow."""
    return isinstance(exc, UnicodeDecodeError) or (
        isinstance(exc, RecursionError) and "deserializing" in str(exc)
    )


def handle_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    if _malformed_body(exc):
        problem = _problem(
            400,
            MALFORMED,
            "Malformed request",
            "The body is not valid JSON (invalid UTF-8, or nested too deep); nothing was stored.",
        )
        return problem_response(request, problem, {})
    if _retryable(exc):
        log.info("concurrent write, retry", error=type(getattr(exc, "orig", exc)).__name__)
        problem = _problem(
            503,
            UNAVAILABLE,
            "Service temporarily unavailable",
            "Another write to the same record was in progress; nothing was stored. Retry.",
        )
        return problem_response(request, problem, {"Retry-After": "1"})
    if _database_unavailable(exc):
        log.warning("database unavailable", error=type(exc).__name__)
        problem = _problem(
            503,
            UNAVAILABLE,
            "Service temporarily unavailable",
            "The database is not reachable; nothing was stored. Retry later.",
        )
        return problem_response(request, problem, {"Retry-After": "5"})
    if isinstance(exc, DBAPIError) and str(getattr(exc.orig, "sqlstate", "")).startswith("22"):
        # a data exception: a NUL character, a number or date out of PostgreSQL's range
        log.info("value refused by the database", sqlstate=getattr(exc.orig, "sqlstate", None))
        problem = _problem(
            400,
            InvalidInput.code,
            "Invalid input",
            "A value in the request cannot be stored (a NUL character, or a number or date "
            "out of range); nothing was stored.",
        )
        return problem_response(request, problem, {})
    log.exception("unhandled error", path=request.url.path)
    problem = _problem(
        HTTP_500_INTERNAL_SERVER_ERROR,
        SERVER_ERROR,
        "Internal server error",
        "The server failed to process the request; nothing was stored.",
    )
    return problem_response(request, problem, {})


EXCEPTION_HANDLERS = {
    DomainError: handle_domain_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
