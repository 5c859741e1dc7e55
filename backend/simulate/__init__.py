"""`scorecard simulate`: a field season of tablets against a server, checked at the end."""

from __future__ import annotations

import asyncio
from contextlib import nullcontext
from pathlib import Path

import click

from backend.simulate.season import Season, Summary
from backend.simulate.server import own_server


def report(summary: Summary) -> str:
    lines = [
        f"{summary.devices} tablets, {summary.days} days, seed {summary.seed}: "
        f"{summary.seconds:.1f} s",
        f"  syncs {summary.syncs}, mutations answered {summary.mutations}, "
        f"answers lost on the way and resent {summary.answers_lost}, "
        f"offline tablet-days {summary.offline_days}",
        "  field work: " + ", ".join(f"{name} {n}" for name, n in summary.actions.items()),
        f"  submissions acknowledged {summary.submissions_acknowledged}, present once "
        f"{summary.submissions_present}, withdrawn {summary.submissions_withdrawn}",
        f"  true conflicts due {summary.conflicts_due}, recorded {summary.conflicts_recorded}",
        f"  issues raised by groups {summary.issues_raised} (each checked standing in its round); "
        f"rounds moved to self-assessment {summary.rounds_frozen}, late changes refused "
        f"{summary.refused_after_freeze}",
        f"  progress reports {summary.progress_reports} (money spent adds up on every item, "
        "statuses moved forward)",
        f"  clocks flagged {summary.clock_flagged}, resets {summary.resets}",
    ]
    if summary.moved:
        lines.append(f"  {summary.moved}, with its facilitators")
    if summary.lost_tablet:
        lines.append(
            f"  lost and revoked: {summary.lost_tablet} with {summary.lost_unsent} unsent "
            "mutations; refused afterwards, replaced"
        )
    if summary.problems:
        lines.append(f"DIVERGED: {len(summary.problems)} problems")
        lines += [f"  - {problem}" for problem in summary.problems[:50]]
    else:
        lines.append("converged: every tablet holds the server's view of its user")
    return "\n".join(lines)


def simulate(
    *, devices: int, days: int, seed: int, url: str | None, pgdata: Path, data_dir: Path
) -> Summary:
    server = nullcontext(url) if url else own_server(pgdata, data_dir / "simulate")
    with server as base, click.progressbar(length=devices * days, label="field season") as bar:
        season = Season(str(base), devices, days, seed)
        return asyncio.run(season.run(lambda: bar.update(1)))
