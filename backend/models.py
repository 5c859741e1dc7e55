"""Every model module, imported once so that Base.metadata is complete (Alembic, tests)."""

from backend.areas import models as areas
from backend.attachments import models as attachments
from backend.auth import models as auth
from backend.cycles import models as cycles
from backend.db import Base
from backend.facilities import models as facilities
from backend.meetings import models as meetings
from backend.scorecards import models as scorecards
from backend.submissions import models as submissions
from backend.sync import models as sync

metadata = Base.metadata

__all__ = [
    "areas",
    "attachments",
    "auth",
    "cycles",
    "facilities",
    "meetings",
    "metadata",
    "scorecards",
    "submissions",
    "sync",
]
