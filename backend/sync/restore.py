"""After a database is restored from a backup: a new feed, and devices that may skip ahead.

Everything written after the backup is gone from the server, yet tablets hold cursors and
mutation numbers from that lost stretch. A new epoch makes every cursor answer `reset`
(tablets drop server data and bootstrap again, keeping their unsent queue), and each device's
next push is allowed to continue from its own numbering instead of hitting a gap.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.sync.models import SyncDevice, SyncEpoch


async def after_restore(db: AsyncSession) -> tuple[uuid.UUID, int]:
    """Start a new feed epoch; returns it and how many devices may skip ahead."""
    epoch = uuid.uuid4()
    await db.execute(
        update(SyncEpoch).where(SyncEpoch.id == 1).values(epoch=epoch, created_at=func.now())
    )
    devices = await db.execute(update(SyncDevice).values(restored=True))
    return epoch, int(getattr(devices, "rowcount", 0))
