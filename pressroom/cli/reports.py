"""``pressroom report``: what became of what was sent (from SendGrid's events)."""

from __future__ import annotations

import json
import sys

import click

from pressroom.cli import State, cli
from pressroom.terminal import echo


@cli.command()
@click.argument("release", required=False)
@click.option("--json", "as_json", is_flag=True, help="Write the report as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Write one row per recipient as CSV.")
@click.pass_obj
def report(state: State, release: str | None, as_json: bool, as_csv: bool) -> None:
    """Show who received RELEASE and what happened: delivered, bounced, opened, clicked.

    Counts are of unique recipients over every version of the release. The
    events come from SendGrid (`pressroom events`). Without RELEASE, compare
    the releases sent most recently. --json has recipients, delivered,
    bounced, opened, clicked, spam_reports and unsubscribed (integers) and more.
    """
    from functools import partial

    from pressroom.csvsafe import writer
    from pressroom.errors import UsageError
    from pressroom.load.room import release_files
    from pressroom.reports import outcomes, tables
    from pressroom.reports.fitting import print_fitted
    from pressroom.reports.read import outlets_of, recent_reports, report_of
    from pressroom.reports.send_summary import console
    from pressroom.sendlog import open_log, room_log

    if as_json and as_csv:
        raise UsageError("choose one of --json and --csv")
    room = state.room()
    zone = room.config.timezone
    where = room_log(room.root, room.config.database)
    if not where.exists():
        echo(
            f"Nothing has been sent yet ({where} does not exist); "
            "rehearsals in the outbox have no report.",
            err=bool(as_json or as_csv),
        )
        return
    with open_log(where, read_only=True) as log:
        outside = log.outside_events()
        if release is None:
            if as_csv:
                raise UsageError("--csv needs a RELEASE (one row per recipient)")
            reports = recent_reports(log)
            if as_json:
                echo(json.dumps([r.as_json() for r in reports], indent=2))
            elif not reports:
                echo("Nothing has been delivered yet.")
            else:
                print_fitted(
                    console(),
                    lambda out: tables.compare_table(reports, zone, room.config.locale, out),
                    tables.COMPARE_OPTIONAL,
                    "report --json",
                )
            if outside and not as_json:
                echo(outside_note(outside, room.config.delivery.suppress_from_other_mail))
            return
        [path] = release_files(room, [release])
        found = report_of(log, path.stem, outlets_of(room))
    if as_json:
        echo(json.dumps(found.as_json(), indent=2))
        return
    if as_csv:
        out = writer(sys.stdout, lineterminator="\n")
        for row in outcomes.csv_rows(found):
            out.writerow(row)
        return
    if not found.recipients and found.scheduled:
        echo(f"{path.stem}: {tables.scheduled_line(found, zone, room.config.locale)}.")
        return
    if not found.recipients:
        echo(f"{path.stem} has not been sent to anyone (rehearsals have no report).")
        return
    out_console = console()
    echo(tables.report_heading(found, zone, room.config.locale))
    out_console.print(tables.report_table(found))
    for note in tables.report_notes(found):
        echo(note)
    groups = ["list", *(["language"] if len(found.by("language")) > 1 else [])]
    for what in groups:  # per language too, for a release sent in several languages
        print_fitted(
            out_console,
            partial(tables.groups_table, found, what),
            tables.COUNTS_OPTIONAL,
            f"report {path.stem} --json",
        )
    if found.links:
        out_console.print(tables.links_table(found))
    if outside:
        echo(outside_note(outside, room.config.delivery.suppress_from_other_mail))


def outside_note(count: int, suppress: bool) -> str:
    """The events about addresses pressroom never mailed, which no report counts."""
    from pressroom.terminal import plural

    did = (
        "they suppressed as pressroom's own (delivery: suppress_from_other_mail)"
        if suppress
        else "they suppressed nobody (delivery: suppress_from_other_mail decides)"
    )
    return (
        f"{plural(count, 'event')} about addresses pressroom never mailed arrived "
        f"(another sender on the same SendGrid account?); no report counts them, and {did}."
    )
