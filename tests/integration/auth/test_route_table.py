"""The route table: every route declares who may call it, and the role matrix covers them all."""

import re

from litestar import Litestar

from backend.auth.policy import ACCESS, DOCS_PREFIX
from tests.integration.auth.test_access_policy import MATRIX, NOBODY_ID, NOBODY_KEY
from tests.integration.console.test_console_access import CONSOLE_MATRIX


def _routes(app: Litestar):  # type: ignore[no-untyped-def]
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            methods = handler.http_methods - {"OPTIONS"}
            if methods:
                yield route.path, handler, methods


def _example(path: str) -> str:
    """The route's path with the matrix's placeholder ids and keys filled in."""
    path = re.sub(r"\{\w+:uuid\}", str(NOBODY_ID), path)
    return re.sub(r"\{\w+:str\}", NOBODY_KEY, path)


def test_every_route_declares_its_access(app: Litestar) -> None:
    undeclared = [
        f"{sorted(methods)} {path}"
        for path, handler, methods in _routes(app)
        if ACCESS not in handler.opt and not path.startswith(DOCS_PREFIX)
    ]
    assert undeclared == []


def test_the_matrix_covers_every_signed_in_route(app: Litestar) -> None:
    signed_in = {
        (method, _example(path))
        for path, handler, methods in _routes(app)
        if isinstance(handler.opt.get(ACCESS), frozenset)
        for method in methods
    }
    declared = {(method, path) for method, path, _, _ in [*MATRIX, *CONSOLE_MATRIX]}
    assert signed_in == declared
