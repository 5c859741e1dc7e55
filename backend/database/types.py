"""Column types shared by the records tablets create."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from sqlalchemy import DateTime, ForeignKey, Integer, func
from sqlalchemy.orm import Mapped, mapped_column

# Made on the tablet: the record's id is the idempotency key.
ClientUuid = Annotated[uuid.UUID, mapped_column(primary_key=True)]


class SyncedColumns:
    """Columns every record a tablet creates carries: server version, tombstone, who, where."""

    version: Mapped[int] = mapped_column(Integer, server_default="1")
    # the facility the record belongs to: scope of every query and of the change feed
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"), index=True)
    created_by: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
