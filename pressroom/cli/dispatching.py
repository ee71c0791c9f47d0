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
@click.option(
    "--dry-run",
    is_flag=True,
    help="List the sends that are due and would be handed over; hand over nothing.",
)
@click.option(
    "--use-pressroom-now",
    "use_fixed_time",
    is_flag=True,
    help="Hand over as of the time PRESSROOM_NOW sets (against a test server); without it, "
    "a set PRESSROOM_NOW is refused for a real transport unless --dry-run.",
)
@click.pass_obj
def dispatch(
    state: State, watch: bool, interval: float, dry_run: bool, use_fixed_time: bool
) -> None:
    """Hand due scheduled sends (send --at further than 72 hours ahead) to the provider.

    Meant for cron, a systemd timer or a CI schedule (every 15 minutes is
    plenty), or run with --watch. A send is handed over once its time is
    within 72 hours, with the exact time, after the same checks as send: the
    release must still be the version that was scheduled, pass check and have
    its approvals. Running two dispatchers at once sends nothing twice. Exit
    status 1 when a due send could not be handed over. PRESSROOM_NOW, which
    sets the time for rehearsals, is refused with SendGrid or SMTP (it would
    hand sends over at a time that is not now) unless --dry-run (or
    --use-pressroom-now, against a test server).
    """
    from pressroom.clock import ENV_VAR, is_fixed, now
    from pressroom.deliver.dispatch import dispatch as run_dispatch
    from pressroom.deliver.dispatch import due
    from pressroom.errors import UsageError
    from pressroom.sendlog.approval_status import describe_time
    from pressroom.sendlog.room_logs import rehearsing

    room = state.room()
    if dry_run:
        found = due(room)
        for pending in found:
            when = describe_time(room, pending.send_at)
            echo(f"{pending.release} ({when}): due: would be handed over")
        echo(f"Dry run: {len(found)} due, nothing was handed over.")
        return
    if is_fixed() and not use_fixed_time and not rehearsing(room):
        real = "SMTP" if room.config.delivery.transport == "smtp" else "SendGrid"
        raise UsageError(
            f"{ENV_VAR} is set ({now().isoformat()}): dispatch would hand real sends to "
            f"{real} as if it were then. Unset {ENV_VAR} to "
            "dispatch, or pass --dry-run to see what is due (a rehearsal)"
        )
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
