"""`python -m backend.cli`: the same as `scorecard`."""

import sys

from backend.cli import main

sys.exit(main())
