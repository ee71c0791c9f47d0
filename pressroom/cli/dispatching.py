"""``pressroom dispatch``: hand sends scheduled far ahead to the provider when they are due."""

from __future__ import annotations

import sys
import time

import click

from pressroom.cli import State, cli
from pressroom.terminal import echo


@cli.command()
@click.option("--watch", is_flag=True, help="Keep running, looking again every --interval.")
@click.option(
    "--interval",
    type=click.FloatRange(min=1, max=3600),
    default=60,
    show_default=True,
    metavar="SECONDS",
    help="With --watch: seconds between looks.",
)
@click.pass_obj
def dispatch(state: State, watch: bool, interval: float) -> None:
    """Hand due scheduled sends (send --at further than 72 hours ahead) to the provider.

    Meant for cron, a systemd timer or a CI schedule (every 15 minutes is
    plenty), or run with --watch. A send is handed over once its time is
    within 72 hours, with the exact time, after the same checks as send: the
    release must still be the version that was scheduled, pass check and have
    its approvals. Running two dispatchers at once sends nothing twice. Exit
    status 1 when a due send could not be handed over.
    """
    from pressroom.approval import describe_time
    from pressroom.deliver.dispatch import dispatch as run_dispatch

    while True:
        room = state.room()
        results = run_dispatch(room)
        for result in results:
            when = describe_time(room, result.pending.send_at)
            echo(
                f"{result.pending.release} ({when}): {result.state}: {result.message}",
                err=result.state in ("held", "failed"),
            )
        if not watch:
            if not results:
                echo("No scheduled send is due.")
            if any(r.state in ("held", "failed") for r in results):
                sys.exit(1)
            return
        time.sleep(interval)
