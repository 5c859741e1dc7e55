"""Wire types of the action plan."""

from __future__ import annotations

import uuid
from datetime import date

from backend.wire import Wire


class ActionUpdateOut(Wire):
    id: uuid.UUID
    status: str
    note: str
    reported_on: date


class ActionItemOut(Wire):
    id: uuid.UUID
    cycle_id: uuid.UUID
    facility_id: uuid.UUID
    meeting_id: uuid.UUID | None
    indicator_keys: list[str]
    issue: str
    action: str
    responsible: str
    resources: str
    due_on: date | None
    status: str
    version: int
    overdue: bool
    updates: list[ActionUpdateOut]


class ActionItemPage(Wire):
    items: list[ActionItemOut]
    total: int
    limit: int
    offset: int
