"""How much the answer validator costs per pushed submission, against decoding the same JSON.

    uv run python bench/validation.py [N]

Baseline: msgspec decoding the submissions' JSON (work every push does anyway). Measured:
validating each decoded submission against its compiled template version.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import msgspec

from backend.scorecards.document import decode_document
from backend.scorecards.medicines import TRACER_MEDICINES
from backend.scorecards.validation import compile_template

FAMILIES = Path(__file__).resolve().parents[1] / "backend" / "scorecards" / "families"


def _school(rng: random.Random) -> dict:
    def score() -> dict:
        return {"value": rng.randint(1, 5), "reason": "Багш нар ирэхгүй байна", "suggestion": None}

    return {
        "council_meetings": {"value": rng.randint(0, 12)},
        "consulted_on_plan": score(),
        "budget_published": {"value": rng.random() < 0.5},
        "informal_contributions": {"value": True},
        "contribution_amount": {"value": 20000},
        "teacher_attendance": score(),
        "toilets_and_water": {"value": True},
        "complaints_answered": score(),
        "inclusion": score(),
    }


def _pharmacy(rng: random.Random) -> dict:
    return {
        "tracer_check": {
            "value": {
                m.key: {
                    "in_stock": rng.random() < 0.8,
                    "expired": False,
                    "stockout_days_30": (d := rng.randint(0, 10)),
                    "stockout_days_90": d + rng.randint(0, 20),
                    "discounted_available": True,
                    "generic_price": rng.randint(50, 30000),
                    "originator_price": None,
                    "price_displayed": True,
                }
                for m in TRACER_MEDICINES
            }
        },
        "price_list_displayed": {"value": True},
        "discount_list_displayed": {"value": False},
        "sold_above_ceiling": {"value": False},
    }


def main(n: int) -> None:
    rng = random.Random(7)
    school = compile_template(decode_document((FAMILIES / "parent_engagement.json").read_bytes()))
    pharmacy = compile_template(
        decode_document((FAMILIES / "medicine_availability.json").read_bytes())
    )
    cases = [
        ("school scorecard (community)", school, "community", [_school(rng) for _ in range(n)]),
        (
            "medicine check, 14 tracers (monitor)",
            pharmacy,
            "monitor",
            [_pharmacy(rng) for _ in range(n)],
        ),
    ]
    print(f"{n} submissions per case, Python {sys.version.split()[0]}")
    for name, template, respondent, answers in cases:
        raw = [msgspec.json.encode(a) for a in answers]
        started = time.perf_counter()
        decoded = [msgspec.json.decode(r) for r in raw]
        decode = time.perf_counter() - started
        started = time.perf_counter()
        for a in decoded:
            errors = template.validate(a, respondent=respondent)
            assert not errors, errors
        validate = time.perf_counter() - started
        print(
            f"{name}: decode {decode / n * 1e6:.1f} µs, validate {validate / n * 1e6:.1f} µs "
            f"per submission; validate/decode = {validate / decode:.1f}x"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
