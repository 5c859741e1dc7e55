"""What every console form shares: its body as a form, a local link to return to, and a
service call whose refusal is shown on the form with nothing of it stored."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, TypeVar

from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlalchemy.ext.asyncio import AsyncSession

from backend.errors import DomainError

T = TypeVar("T")

# A console form is a few fields of words: parsing a body of millions of empty fields would hold
# the worker for seconds, so a form is at most this big (413 beyond). A form that carries a
# file (a facility list, a template document, the photo of a paper sheet) takes the service's
# body limit (Limits.max_body_bytes, README "Security").
FORM_BYTES = 64 * 1024
FILE_FORM_BYTES = 8 * 1024 * 1024

# a handler's `data: Form[SomeStruct]` reads an HTML form post
FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
UPLOAD = Body(media_type=RequestEncodingType.MULTI_PART)


def local_path(target: str | None, default: str = "/console/") -> str:
    """A path on this service to go to next, never another site (`//host`, `https:`, `\\`)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    if any(ord(ch) < 32 for ch in target):
        return default
    return target


async def attempt(db: AsyncSession, action: Callable[[], Awaitable[T]]) -> T | DomainError:
    """Run a service call in a savepoint: its result, or its refusal with every write it made
    rolled back (the rest of the request's transaction goes on, e.g. to show the form again)."""
    try:
        async with db.begin_nested():
            return await action()
    except DomainError as error:
        return error


Form = Annotated[T, FORM]
Upload = Annotated[T, UPLOAD]


def flatten(value: Any) -> str:
    """A form field that arrived once or several times, as one string."""
    if isinstance(value, list):
        return str(value[-1]) if value else ""
    return "" if value is None else str(value)
