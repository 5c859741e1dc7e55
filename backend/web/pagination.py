"""Page bounds for list endpoints, enforced against the configured maximum."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar.datastructures import State
from litestar.params import Parameter

from backend.errors import InvalidInput
from backend.settings import Settings


class PageTooLarge(InvalidInput):
    code = "request.page_too_large"


@dataclass(frozen=True, slots=True)
class PageRequest:
    limit: int
    offset: int


def page_request(state: State, limit: int | None, offset: int) -> PageRequest:
    settings: Settings = state.settings
    maximum = settings.limits.max_page_size
    if limit is not None and limit > maximum:
        raise PageTooLarge(f"limit may be at most {maximum}", field="limit")
    return PageRequest(limit=limit or settings.limits.default_page_size, offset=offset)


# Deep enough for any list this product has; a larger offset is refused (400), not sent on to
# PostgreSQL, whose bigint it could overflow.
MAX_OFFSET = 10_000_000
Offset = Annotated[int, Parameter(ge=0, le=MAX_OFFSET)]
