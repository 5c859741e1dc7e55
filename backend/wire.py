"""The one base class of every wire type: snake_case JSON, defaults for every new field."""

from __future__ import annotations

import msgspec


class Wire(msgspec.Struct, kw_only=True, omit_defaults=False):
    """Base of request and response bodies; docstrings become schema descriptions."""
