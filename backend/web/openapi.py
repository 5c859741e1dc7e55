"""The OpenAPI document tells the truth about errors (every one is problem+json with a code),
about files (attachments are images or PDFs, not JSON) and about who may call each operation
(public, or a bearer token of the roles the route declares).

Litestar documents a 400 of its own shape; the server answers RFC 9457 problems, and any
operation may also answer 401, 403, 404, 413, 429 or 503. This rewrites the generated document
once, when the app is built.
"""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Litestar
from litestar.openapi.spec import (
    Components,
    OpenAPIFormat,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    Schema,
    SecurityScheme,
)

from backend.auth.policy import declared_access
from backend.errors import PROBLEM_JSON, Problem


def _from_json_schema(document: dict[str, Any]) -> Schema | Reference:
    """A JSON Schema (as msgspec writes it for a wire type) as an OpenAPI schema object."""
    if "$ref" in document:
        return Reference(ref=document["$ref"])
    return Schema(
        type=OpenAPIType(document["type"]) if "type" in document else None,
        title=document.get("title"),
        description=document.get("description"),
        properties={name: _from_json_schema(sub) for name, sub in document["properties"].items()}
        if "properties" in document
        else None,
        required=document.get("required"),
        items=_from_json_schema(document["items"]) if "items" in document else None,
        any_of=[_from_json_schema(sub) for sub in document["anyOf"]]
        if "anyOf" in document
        else None,
    )


# the Problem schema and what it refers to, generated from the type the server answers with
_, _PROBLEM_DEFS = msgspec.json.schema_components(
    [Problem], ref_template="#/components/schemas/{name}"
)
PROBLEM_SCHEMAS = {
    name: schema
    for name, document in _PROBLEM_DEFS.items()
    if isinstance(schema := _from_json_schema(document), Schema)
}
ERRORS = {
    "400": "Invalid input: `field` and `errors` say where",
    "401": "Not signed in, or the access token expired",
    "403": "Not allowed for this role, device or scope",
    "404": "Not there, or not in the caller's scope",
    "409": "Conflicts with what is stored",
    "413": "Body, batch or file too large",
    "415": "Unsupported media type",
    "422": "Well-formed but unacceptable content",
    "426": "Protocol version not supported",
    "429": "Too many attempts; see Retry-After",
    "503": "Busy or the database is unreachable; nothing was stored; see Retry-After",
}
ALWAYS = ("400", "401", "403", "404", "409", "413", "429", "503")
SYNC_ONLY = ("415", "422", "426")  # attachments and protocol versions


def _problem(description: str) -> OpenAPIResponse:
    reference = Reference(ref="#/components/schemas/Problem")
    return OpenAPIResponse(
        description=description, content={PROBLEM_JSON: OpenAPIMediaType(schema=reference)}
    )


BINARY = Schema(type=OpenAPIType.STRING, format=OpenAPIFormat.BINARY)
FILES = {
    "/sync/v1/attachments/{sha256}": ("image/jpeg", "image/png", "image/webp", "application/pdf"),
    "/sync/v1/attachments/{sha256}/thumbnail": ("image/jpeg",),
}


def document_problems(app: Litestar) -> None:
    schema = app.openapi_schema
    assert schema.components is not None
    schema.components.schemas = {**(schema.components.schemas or {}), **PROBLEM_SCHEMAS}
    for route, path in (schema.paths or {}).items():
        for name in ("get", "put", "post", "delete", "patch"):
            operation: Operation | None = getattr(path, name)
            if operation is None:
                continue
            responses = dict(operation.responses or {})
            for status in list(responses):
                if status.isdigit() and int(status) >= 400:
                    responses[status] = _problem(ERRORS.get(status, "Refused"))
            for status in ALWAYS + (SYNC_ONLY if route.startswith("/sync/") else ()):
                responses.setdefault(status, _problem(ERRORS[status]))
            if route in FILES and "200" in responses:
                responses["200"] = OpenAPIResponse(
                    description="The file",
                    content={kind: OpenAPIMediaType(schema=BINARY) for kind in FILES[route]},
                )
            operation.responses = dict(sorted(responses.items()))


BEARER = SecurityScheme(
    type="http",
    scheme="bearer",
    bearer_format="JWT",
    description="The access token from POST /auth/v1/login or /auth/v1/refresh (15 minutes).",
)


def document_security(app: Litestar) -> None:
    """Each operation states its authorisation from the route's own access declaration."""
    schema = app.openapi_schema
    schema.components = schema.components or Components()
    schema.components.security_schemes = {"bearer": BEARER}
    paths = schema.paths or {}
    for route in app.routes:
        path = paths.get(route.path_format)
        if path is None:
            continue
        for handler in getattr(route, "route_handlers", []):
            access = declared_access(handler)
            for method in handler.http_methods - {"OPTIONS"}:
                operation: Operation | None = getattr(path, method.lower(), None)
                if operation is None:
                    continue
                if access == "public":
                    operation.security = []
                    continue
                operation.security = [{"bearer": []}]
                roles = ", ".join(sorted(role.value for role in access))
                summary = (operation.description or "").rstrip()
                operation.description = f"{summary}\n\nRoles: {roles}.".lstrip()
