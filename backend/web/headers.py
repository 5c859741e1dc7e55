"""Security headers on every answer: no page of the service may be framed, no answer sniffed;
an HTML page runs only the service's own scripts and styles (a Content-Security-Policy with no
'unsafe-inline'), its few inline style blocks carrying the request's nonce."""

from __future__ import annotations

import secrets

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

NONCE = "csp_nonce"
# the API documentation's viewer (Swagger UI, as Litestar renders it) starts itself from an
# inline script: its pages keep the frame and sniffing refusals without the script rule
DOCS_PREFIX = "/schema"

# an answer that is not a page (JSON, a download, a photo) runs and loads nothing
NOTHING_TO_RUN = b"default-src 'none'; frame-ancestors 'none'"

ALWAYS = (
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


def policy(nonce: str) -> bytes:
    return (
        "default-src 'self'; "
        "script-src 'self'; "
        f"style-src 'self' 'nonce-{nonce}'; "
        "img-src 'self' data:; "
        "object-src 'none'; "
        "base-uri 'none'; "
        "form-action 'self'; "
        "frame-ancestors 'none'"
    ).encode()


def nonce_of(scope: Scope) -> str:
    """The nonce this request's inline style blocks carry."""
    return str(scope["state"][NONCE])


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})[NONCE] = nonce
        documentation = scope["path"].startswith(DOCS_PREFIX)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(ALWAYS)
                page = any(
                    name.lower() == b"content-type" and value.startswith(b"text/html")
                    for name, value in headers
                )
                if documentation:
                    headers.append((b"content-security-policy", b"frame-ancestors 'none'"))
                elif page:
                    headers.append((b"content-security-policy", policy(nonce)))
                else:
                    headers.append((b"content-security-policy", NOTHING_TO_RUN))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
