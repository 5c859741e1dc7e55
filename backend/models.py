"""Every model module, imported once so that Base.metadata is complete (Alembic, tests)."""

from backend.areas import models as areas
from backend.db import Base

metadata = Base.metadata

__all__ = ["areas", "metadata"]
