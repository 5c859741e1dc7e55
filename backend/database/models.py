"""Every model module, imported once so that Base.metadata is complete (Alembic, tests)."""

from backend.action_plans import models as meetings
from backend.areas import models as areas
from backend.attachments import models as attachments
from backend.auth import models as auth
from backend.cycles import models as cycles
from backend.database.session import Base
from backend.facilities import models as facilities
from backend.reminders import models as reminders
from backend.reports import models as reports
from backend.reviews import models as reviews
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
    "reminders",
    "reports",
    "reviews",
    "scorecards",
    "submissions",
    "sync",
]
