"""The `scorecard` command: every subcommand is registered here, from the modules beside it."""

from __future__ import annotations

import click

from backend.cli import admin, service, tools


@click.group()
def main() -> None:
    """Community scorecards: sync server, scoring and action plans."""


for command in (*service.COMMANDS, *admin.COMMANDS, *tools.COMMANDS):
    main.add_command(command)
