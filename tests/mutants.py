"""Mutation testing of the disclosure rules: change one rule at a time, run the tests, and
report every change the tests did not notice.

    uv run python -m tests.mutants            # every mutant (about two minutes each)
    uv run python -m tests.mutants --list     # what would be tried
    uv run python -m tests.mutants 3 7        # only these

The mutants are those a hurried change could make to who may see what:
`backend/auth/access.py`'s rules each letting everyone through, the threshold and its
comparisons moved by one, each disclosure filter of `backend/reports/`, `backend/attachments/`
and `backend/cycles/raised.py` left out of its query, and the action plan's "late" moved onto
the due date. A mutant survives when the suite still passes with it; none should.
"""

from __future__ import annotations

import argparse
import ast
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "backend/auth/access.py"
FILTERED = [
    *sorted((ROOT / "backend/reports").glob("*.py")),
    ROOT / "backend/attachments/refs.py",
    ROOT / "backend/cycles/raised.py",
    ROOT / "backend/reviews/pieces.py",
]
# a filter that is one argument of a query's where(): the line can go without breaking syntax
FILTER_LINE = re.compile(
    r"^\s*(?:access\.)?(publishable|evidence_visible|comparison_open|cycle_visible|round_visible)"
    r"\(principal[^()]*\),\s*$"
)
THRESHOLD = re.compile(r"(participants\s*)(>=|<)(\s*(?:access\.)?MIN_GROUP_SIZE)")
TESTS = [
    "tests/integration/security",
    "tests/integration/attachments",
    "tests/integration/reports",
    "tests/integration/auth",
    "tests/integration/action_plans",
    "tests/integration/cycles",
    "tests/integration/sync/test_viewer_rounds.py",
]


@dataclass(frozen=True)
class Mutant:
    path: Path
    line: int  # 1-based, for the report
    what: str
    source: str  # the whole mutated file


def _rule_mutants() -> list[Mutant]:
    """Each rule of access.py answers "yes" to everyone."""
    text = RULES.read_text()
    lines = text.splitlines(keepends=True)
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.FunctionDef):
            continue
        returns = ast.unparse(node.returns) if node.returns else ""
        body = node.body
        first = body[1] if isinstance(body[0], ast.Expr) and len(body) > 1 else body[0]
        indent = " " * first.col_offset
        if "ColumnElement" in returns:
            yes = f"{indent}return true()\n"
        elif returns == "bool" and node.name == "is_outsider":
            yes = f"{indent}return False\n"
        elif returns == "bool":
            yes = f"{indent}return True\n"
        else:
            continue
        mutated = [*lines[: first.lineno - 1], yes, *lines[first.lineno - 1 :]]
        found.append(
            Mutant(RULES, node.lineno, f"{node.name} lets everyone through", "".join(mutated))
        )
    size = re.search(r"^MIN_GROUP_SIZE = (\d+)$", text, re.MULTILINE)
    if size is not None:
        smaller = int(size.group(1)) - 1
        found.append(
            Mutant(
                RULES,
                text[: size.start()].count("\n") + 1,
                f"MIN_GROUP_SIZE {size.group(1)} -> {smaller}",
                text.replace(size.group(0), f"MIN_GROUP_SIZE = {smaller}"),
            )
        )
    return found


def _filter_mutants(path: Path) -> list[Mutant]:
    lines = path.read_text().splitlines(keepends=True)
    found = []
    for number, line in enumerate(lines):
        if FILTER_LINE.match(line):
            mutated = lines[:number] + lines[number + 1 :]
            found.append(Mutant(path, number + 1, f"without {line.strip()}", "".join(mutated)))
        flipped = THRESHOLD.sub(
            lambda m: m.group(1) + {">=": ">", "<": "<="}[m.group(2)] + m.group(3), line
        )
        if flipped != line:
            mutated = [*lines[:number], flipped, *lines[number + 1 :]]
            found.append(Mutant(path, number + 1, f"threshold {line.strip()}", "".join(mutated)))
    return found


def _late_mutant() -> Mutant:
    path = ROOT / "backend/action_plans/service.py"
    text = path.read_text()
    return Mutant(
        path,
        0,
        "an item is late on its due date",
        text.replace("ActionItem.due_on < today", "ActionItem.due_on <= today").replace(
            "item.due_on < today", "item.due_on <= today"
        ),
    )


def mutants() -> list[Mutant]:
    found = _rule_mutants()
    for path in [*FILTERED, RULES]:
        found += _filter_mutants(path)
    found.append(_late_mutant())
    return found


def _survives(mutant: Mutant) -> bool:
    original = mutant.path.read_text()
    mutant.path.write_text(mutant.source)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *TESTS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        mutant.path.write_text(original)
    # 0: every test passed with the mutant in place; 5 would be no tests at all
    return run.returncode == 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("numbers", nargs="*", type=int, help="only these mutants")
    parser.add_argument("--list", action="store_true", help="list the mutants and stop")
    args = parser.parse_args()
    every = mutants()
    chosen = [(n, m) for n, m in enumerate(every, 1) if not args.numbers or n in args.numbers]
    survived = []
    for number, mutant in chosen:
        where = f"{mutant.path.relative_to(ROOT)}:{mutant.line}"
        if args.list:
            print(f"{number:3} {where}  {mutant.what}")
            continue
        alive = _survives(mutant)
        print(
            f"{number:3} {'SURVIVED' if alive else 'killed  '} {where}  {mutant.what}", flush=True
        )
        if alive:
            survived.append(number)
    if not args.list:
        print(
            f"{len(chosen) - len(survived)} of {len(chosen)} killed; survived: {survived or 'none'}"
        )
    return 1 if survived else 0


if __name__ == "__main__":
    raise SystemExit(main())
