"""The demo's raised issues are problems, and groups answer them as problems: the better a
facility does, the less they agree that classrooms are cold or that no receipt is given."""

import random

from backend.scorecards.document import decode_document
from backend.scorecards.service import FAMILIES_DIR
from backend.seed.demo_raised import RAISED, Selected, raised_answers


def test_every_demo_issue_is_a_problem_so_lower_is_better() -> None:
    assert {issue.better for issues in RAISED.values() for issue in issues} == {"lower"}


def test_a_facility_doing_well_is_found_cold_and_without_receipts_less() -> None:
    document = decode_document((FAMILIES_DIR / "parent_engagement.json").read_bytes())
    selected = [
        Selected("classrooms_cold", "scale", "lower"),
        Selected("no_receipt", "yes_no", "lower"),
        Selected("council_listens", "scale", "higher"),
    ]
    well = raised_answers(selected, document, random.Random(1), level=1.0)
    badly = raised_answers(selected, document, random.Random(1), level=0.0)
    # on 1-5 faces
    assert well["classrooms_cold"]["value"] <= 2 < 4 <= badly["classrooms_cold"]["value"]
    assert (well["no_receipt"]["value"], badly["no_receipt"]["value"]) == (False, True)
    assert badly["council_listens"]["value"] <= 2 < 4 <= well["council_listens"]["value"]
