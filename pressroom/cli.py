"""The ``pressroom`` command. Each command parses options, calls the library, prints.

Errors from the library (:class:`~pressroom.errors.PressroomError`) become a
message on stderr and an exit status here, and nowhere else.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

import click

from pressroom import __version__
from pressroom.errors import PressroomError, Problem, ProblemsError


class State:
    def __init__(self, root: Path | None):
        self.explicit_root = root

    def room(self):  # type: ignore[no-untyped-def]
        from pressroom.load.room import find_root, load_room

        return load_room(find_root(explicit=self.explicit_root))


def _print_problems(problems: Sequence[Problem], strict: bool = False) -> None:
    for problem in problems:
        colour = "red" if problem.severity == "error" or strict else "yellow"
        text = str(problem) + (f" [{problem.code}]" if problem.code else "")
        head, _, rest = text.partition(f" {problem.severity}: ")
        click.echo(
            f"{head} {click.style(problem.severity + ':', fg=colour, bold=True)} {rest}",
            err=True,
        )


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pressroom")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The press room folder (default: the nearest folder with pressroom.yaml).",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """Press releases as YAML files: checked, rendered and sent."""
    ctx.obj = State(root)


@cli.command()
@click.argument("releases", nargs=-1)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.pass_obj
def check(state: State, releases: tuple[str, ...], strict: bool) -> None:
    """Check releases (all by default) for errors and editorial problems.

    Exit status 0 when clean (warnings allowed unless --strict), 1 on errors.
    """
    from pressroom.check import check_release, check_room
    from pressroom.clock import now
    from pressroom.errors import LoadError
    from pressroom.load.contacts import check_lists
    from pressroom.load.room import load_release, release_files

    room = state.room()
    problems: list[Problem] = [*check_room(room), *check_lists(room)]
    paths = release_files(room, releases)
    moment = now()
    for path in paths:
        try:
            release = load_release(room, path)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(check_release(room, release, moment))
    _print_problems(problems, strict)
    errors = sum(1 for p in problems if p.severity == "error" or strict)
    warnings = len(problems) - errors
    summary = (
        f"{len(paths)} release{'s' if len(paths) != 1 else ''} checked: "
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"
    )
    click.echo(summary, err=bool(errors))
    if errors:
        sys.exit(1)


@cli.command()
@click.argument("releases", nargs=-1)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder (default: build/ in the press room).",
)
@click.option(
    "--format",
    "formats",
    default="pdf,docx,html,txt",
    show_default=True,
    help="Comma-separated formats to write.",
)
@click.option("--force", is_flag=True, help="Render even what has not changed.")
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering at once (default: one per core).",
)
@click.pass_obj
def build(
    state: State,
    releases: tuple[str, ...],
    out: Path | None,
    formats: str,
    force: bool,
    jobs: int | None,
) -> None:
    """Render releases (all by default) to PDF, Word, HTML email and text."""
    from pressroom.build import build as build_releases
    from pressroom.build import parse_formats
    from pressroom.load.room import load_releases

    wanted = parse_formats(formats)
    room = state.room()
    chosen = load_releases(room, releases)
    target = out if out is not None else room.root / "build"

    def report(built):  # type: ignore[no-untyped-def]
        where = built.folder
        try:
            where = built.folder.relative_to(Path.cwd())
        except ValueError:
            pass
        status = "built" if built.rendered else "unchanged"
        click.echo(f"{status:>9}  {where}/  ({', '.join(p.suffix[1:] for p in built.files)})")

    results = build_releases(
        room, chosen, target, wanted, force=force, on_release=report, workers=jobs
    )
    rendered = sum(1 for r in results if r.rendered)
    click.echo(f"{len(results)} releases: {rendered} rendered, {len(results) - rendered} unchanged")


@cli.command()
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: site/ in the press room).",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="The newsroom's public address, for feeds, sitemap and links (default: org.website).",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Processes rendering PDFs at once (default: one per core).",
)
@click.pass_obj
def site(state: State, out: Path | None, base_url: str | None, jobs: int | None) -> None:
    """Write the static newsroom: pages, PDFs, feeds and a sitemap of published releases.

    Drafts, and releases whose embargo (or date) has not come, are left out,
    and removed when an earlier build published them. PRESSROOM_NOW sets the
    time. Nothing from contacts/ is read. Only what changed is written.
    """
    from pressroom.clock import now
    from pressroom.load.room import load_releases
    from pressroom.site import build_site

    room = state.room()
    target = out if out is not None else room.root / "site"
    result = build_site(room, load_releases(room), target, now(), base_url=base_url, workers=jobs)
    for held in result.held:
        if held.until is None:
            click.echo(f"{'draft':>9}  {held.name}")
        else:
            click.echo(f"{'held':>9}  {held.name}  until {held.until:%Y-%m-%d %H:%M %Z}")
    where = target
    try:
        where = target.resolve().relative_to(Path.cwd())
    except ValueError:
        pass
    drafts = sum(1 for h in result.held if h.until is None)
    click.echo(
        f"{where}/ ({result.base_url}): {len(result.published)} published, "
        f"{len(result.held) - drafts} held, {drafts} draft{'s' if drafts != 1 else ''}; "
        f"{result.rendered} PDF/Word rendered; {len(result.written)} files written, "
        f"{len(result.removed)} removed, {result.unchanged} unchanged"
    )


@cli.command()
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
def init(folder: Path | None) -> None:
    """Start a press room in FOLDER (default: here). Never overwrites files."""
    from pressroom.scaffold import init_room

    target = folder or Path.cwd()
    for path in init_room(target):
        click.echo(f"created {path}")
    click.echo("Next: edit pressroom.yaml, then run 'pressroom new \"Your headline\"'.")


@cli.command()
@click.argument("headline")
@click.option(
    "--type",
    "kind",
    default="press-release",
    show_default=True,
    type=click.Choice(["press-release", "open-letter", "statement", "media-advisory"]),
    help="The kind of release.",
)
@click.option("--date", "day", default=None, help="The release date, YYYY-MM-DD (default: today).")
@click.pass_obj
def new(state: State, headline: str, kind: str, day: str | None) -> None:
    """Create releases/<date>-<slug>.yaml from a commented template."""
    from datetime import date

    from pressroom.clock import now
    from pressroom.errors import UsageError
    from pressroom.model.moments import zone_named
    from pressroom.scaffold import new_release

    room = state.room()
    if day:
        try:
            when = date.fromisoformat(day)
        except ValueError:
            raise UsageError(f"--date {day!r} is not a date: write YYYY-MM-DD") from None
    else:
        when = now().astimezone(zone_named(room.config.timezone)).date()
    path = new_release(room, kind, headline, when)
    click.echo(f"created {path.relative_to(room.root)}")


@cli.group(invoke_without_command=True)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    help="Count only recipients with this tag (repeatable: any of them).",
)
@click.pass_context
def contacts(ctx: click.Context, tags: tuple[str, ...]) -> None:
    """Show the media lists in contacts/ with their counts.

    Bad rows are reported with their file and line; they do not stop the
    other rows from being listed. Exit status 1 when a file cannot be read.
    """
    if ctx.invoked_subcommand is not None:
        return
    from pressroom.deliver.recipients import merge
    from pressroom.load.contacts import load_lists

    lists = load_lists(ctx.obj.room())
    _print_problems([p for media_list in lists for p in media_list.problems])
    if not lists:
        hint = "add contacts/<name>.csv, or run 'pressroom contacts import FILE --list NAME'"
        click.echo(f"no media lists in contacts/ ({hint})")
        return
    width = max(len("list"), *(len(m.name) for m in lists))
    heads = ["recipients", *(["tagged"] if tags else []), "invalid"]
    click.echo(f"{'list':<{width}}  " + "  ".join(f"{h:>10}" for h in heads))
    for m in lists:
        counts = [len(m.recipients), *([len(m.tagged(tags))] if tags else []), m.invalid]
        click.echo(f"{m.name:<{width}}  " + "  ".join(f"{c:>10}" for c in counts))
    unique = len(merge(lists, tags))
    which = f" tagged {' or '.join(tags)}" if tags else ""
    click.echo(
        f"{unique} unique address{'es' if unique != 1 else ''}{which} "
        f"in {len(lists)} list{'s' if len(lists) != 1 else ''}"
    )


@contacts.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--list", "list_name", required=True, help="The list to write: contacts/NAME.csv.")
@click.option("--force", is_flag=True, help="Replace the list if it exists.")
@click.pass_obj
def contacts_import(state: State, file: Path, list_name: str, force: bool) -> None:
    """Turn a CSV export (spreadsheet, media database) into a clean media list.

    Understands a byte order mark, ',', ';' or tab delimiters and headers such
    as "E-mail", "Email Address", "First Name" or "Publication". Rows without a
    valid address are left out and reported; repeated addresses are kept once.
    """
    from pressroom.contacts_import import import_csv

    room = state.room()
    summary = import_csv(file, room, list_name, force=force)
    _print_problems(summary.problems)
    click.echo("columns: " + ", ".join(f"{k} -> {v}" for k, v in summary.columns.items()))
    if summary.ignored:
        click.echo(f"ignored: {', '.join(summary.ignored)}")
    click.echo(
        f"wrote {summary.target.relative_to(room.root).as_posix()}: "
        f"{summary.written} recipient{'s' if summary.written != 1 else ''}, "
        f"{summary.skipped} invalid row{'s' if summary.skipped != 1 else ''} left out, "
        f"{summary.duplicates} duplicate{'s' if summary.duplicates != 1 else ''} removed"
    )


@contacts.command("suppress")
@click.argument("addresses", nargs=-1)
@click.option(
    "--reason",
    type=click.Choice(["unsubscribe", "bounce", "manual"]),
    default="unsubscribe",
    show_default=True,
    help="Why they are not to be mailed.",
)
@click.option("--remove", is_flag=True, help="Allow these addresses again.")
@click.option(
    "--sync", is_flag=True, help="Copy SendGrid's bounces, unsubscribes and spam reports."
)
@click.pass_obj
def contacts_suppress(
    state: State, addresses: tuple[str, ...], reason: str, remove: bool, sync: bool
) -> None:
    """Never send to ADDRESSES again (an unsubscribe, a bounce), on any list.

    Kept in the send log (.pressroom/pressroom.db), not in contacts/, so an
    imported list can never bring an address back. --sync copies SendGrid's
    global suppression lists (it needs SENDGRID_API_KEY).
    """
    from pressroom.deliver.suppressions import suppress, sync_suppressions
    from pressroom.deliver.transports import SEND_LOG
    from pressroom.errors import UsageError
    from pressroom.sendlog import SendLog

    room = state.room()
    if sync:
        synced = sync_suppressions(room)
        many = "es" if len(synced) != 1 else ""
        click.echo(f"{len(synced)} new suppressed address{many} from SendGrid")
        for address, why in synced:
            click.echo(f"  {address} ({why})")
        if not addresses:
            return
    if not addresses:
        raise UsageError("name the addresses to suppress, or pass --sync")
    if remove:
        with SendLog.open(room.root / SEND_LOG) as log:
            for address in addresses:
                allowed = log.unsuppress(address)
                click.echo(f"{address}: {'allowed again' if allowed else 'was not suppressed'}")
        return
    added = set(suppress(room, addresses, reason))
    for address in addresses:
        done = "suppressed" if address.strip() in added else "already suppressed"
        click.echo(f"{address}: {done} ({reason})")


@contacts.command("suppressed")
@click.pass_obj
def contacts_suppressed(state: State) -> None:
    """List the addresses that are never mailed, with why and since when."""
    from pressroom.deliver.transports import SEND_LOG
    from pressroom.sendlog import SendLog

    path = state.room().root / SEND_LOG
    rows = []
    if path.exists():
        with SendLog.open(path, read_only=True) as log:
            rows = log.suppression_rows()
    for email, reason, since in rows:
        click.echo(f"{email}\t{reason}\t{since}")
    click.echo(f"{len(rows)} suppressed address{'es' if len(rows) != 1 else ''}", err=True)


@cli.command()
@click.argument("release")
@click.option("--list", "lists", multiple=True, help="A media list (default: distribution.lists).")
@click.option("--tag", "tags", multiple=True, help="Only recipients with this tag (repeatable).")
@click.option("--test", "tests", multiple=True, metavar="ADDRESS", help="Send a proof here only.")
@click.option("--dry-run", is_flag=True, help="Show what would be sent; send nothing.")
@click.option("--yes", is_flag=True, help="Send without asking for confirmation.")
@click.option("--skip-invalid", is_flag=True, help="Send to the valid rows of broken lists.")
@click.option(
    "--resend-unknown", is_flag=True, help="Send again where an earlier outcome is unknown."
)
@click.option("--skip-unknown", is_flag=True, help="Mark recipients with unknown outcome as done.")
@click.option(
    "--at",
    "at",
    metavar="TIME",
    help="Deliver at TIME (e.g. '2026-12-01 08:00 America/New_York'), at most 72 hours ahead.",
)
@click.option("--cancel", is_flag=True, help="Cancel the release's scheduled send instead.")
@click.option(
    "--correction",
    is_flag=True,
    help="Send this changed version, marked CORRECTED, to those who received an earlier one.",
)
@click.pass_obj
def send(
    state: State,
    release: str,
    lists: tuple[str, ...],
    tags: tuple[str, ...],
    tests: tuple[str, ...],
    dry_run: bool,
    yes: bool,
    skip_invalid: bool,
    resend_unknown: bool,
    skip_unknown: bool,
    at: str | None,
    cancel: bool,
    correction: bool,
) -> None:
    """Send RELEASE to its media lists, once per recipient and version.

    With SENDGRID_API_KEY set the release goes through SendGrid; without it,
    each message is written as an .eml file under .pressroom/outbox/ (see
    delivery: in pressroom.yaml for SMTP). Running it again sends only to
    whoever has not received this version.
    """
    from pressroom.deliver import schedule
    from pressroom.deliver import send as sending
    from pressroom.errors import UsageError
    from pressroom.load.room import load_release, release_files
    from pressroom.sendreport import console, outcome_table, plural, progress, summary

    if resend_unknown and skip_unknown:
        raise UsageError("choose one of --resend-unknown and --skip-unknown")
    room = state.room()
    [path] = release_files(room, [release])
    loaded = load_release(room, path)
    if cancel:
        for done in schedule.cancel(room, loaded):
            click.echo(
                f"Cancelled the send scheduled for {done.send_at}: "
                f"{plural(done.deliveries, 'recipient')} will not receive it."
            )
            if done.late:
                click.echo(
                    "Warning: less than 10 minutes before the send time, SendGrid does not "
                    "guarantee a cancellation; check `pressroom log` and your SendGrid activity.",
                    err=True,
                )
        return
    send_at = schedule.parse_send_time(at, room) if at else None
    prepared = sending.prepare(
        room,
        loaded,
        lists=lists,
        tags=tags,
        tests=tests,
        skip_invalid=skip_invalid,
        resend_unknown=resend_unknown,
        skip_unknown=skip_unknown,
        dry_run=dry_run,
        send_at=send_at,
        correction=correction,
    )
    for line in summary(prepared):
        click.echo(line)
    count = len(prepared.recipients) if prepared.plan is not None else len(prepared.tests)
    if dry_run:
        click.echo("Dry run: nothing was sent.")
        return
    if count == 0:
        click.echo("Nobody to send to: everyone has this version already.")
        return
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("no terminal to confirm the send: pass --yes to send")
        click.confirm(f"Send to {plural(count, 'recipient')}?", abort=True)
    with progress(count, "Sending") as advance:
        outcome = sending.deliver(prepared, on_batch=advance)
    console().print(outcome_table(prepared, outcome))
    click.echo(f"Sent: {outcome.accepted} accepted, {outcome.failed} failed.")
    if outcome.schedule_id:
        click.echo(f"Held until {send_at}; `pressroom send {release} --cancel` cancels it.")
    for reason in dict.fromkeys(outcome.reasons):
        click.echo(f"  {reason}", err=True)
    if outcome.stopped:
        click.echo(f"Stopped: {outcome.stopped}", err=True)
    if outcome.unknown:
        click.echo(
            f"{plural(outcome.unknown, 'recipient')} may or may not have received it (the "
            "connection broke after the request left). `pressroom log` lists them; run again "
            "with --resend-unknown to send to them, or --skip-unknown to count them as done.",
            err=True,
        )
    if outcome.failed:
        click.echo("Run the same command again to retry the failed recipients.", err=True)
    if outcome.failed or outcome.unknown:
        sys.exit(1)


@cli.command()
@click.argument("release")
@click.option("--csv", "as_csv", is_flag=True, help="Write the log as CSV to standard output.")
@click.option(
    "--transport",
    type=click.Choice(["outbox", "sendgrid", "smtp"]),
    default=None,
    help="Whose log to read (default: the transport send would use now).",
)
@click.pass_obj
def log(state: State, release: str, as_csv: bool, transport: str | None) -> None:
    """Show who received RELEASE: version, state, time and message id per recipient."""
    from pressroom.deliver.transports import log_path
    from pressroom.load.room import load_release, release_files
    from pressroom.sendlog import SendLog
    from pressroom.sendreport import console, log_table

    room = state.room()
    [path] = release_files(room, [release])
    name = load_release(room, path).name
    where = log_path(room, transport)  # type: ignore[arg-type]
    if not where.exists():
        click.echo(f"Nothing has been sent yet ({where.relative_to(room.root)} does not exist).")
        return
    with SendLog.open(where, read_only=True) as send_log:
        if as_csv:
            send_log.write_csv(name, sys.stdout)
            return
        rows = send_log.report(name)
        schedules = send_log.schedules(name)
    if not rows:
        click.echo(f"Nothing has been sent of {name} ({where.relative_to(room.root)}).")
        return
    console().print(log_table(name, rows, schedules))
    states: dict[str, int] = {}
    for row in rows:
        states[row.state] = states.get(row.state, 0) + 1
    click.echo(", ".join(f"{count} {state}" for state, count in states.items()))


@cli.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on (0: any free port).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; the default is reachable from this computer only.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.pass_obj
def serve(state: State, port: int, host: str, open_browser: bool) -> None:
    """Preview the releases in a browser, updated as you save files.

    Each release shows its email (HTML and plain text, with the subject), its
    PDF, a Word download, the results of check and the recipients per list.
    Saving a release, pressroom.yaml, a media list or a template updates the
    open page by itself. Nothing in the preview can send mail. Ctrl-C stops it.
    """
    from pressroom.load.room import find_root
    from pressroom.serve import serve as run

    root = find_root(explicit=state.explicit_root)

    def ready(url: str) -> None:
        click.echo(f"Previewing {root} at {url} (Ctrl-C to stop)")
        if open_browser:
            import webbrowser

            webbrowser.open(url)

    run(root, host, port, on_ready=ready)
    click.echo("Stopped.")


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI, turning pressroom's errors into messages."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="pressroom",
                 standalone_mode=False)  # fmt: skip
    except ProblemsError as exc:
        _print_problems(exc.problems)
        count = sum(1 for p in exc.problems if p.severity == "error")
        click.echo(f"{count} error{'s' if count != 1 else ''}; nothing was written", err=True)
        sys.exit(exc.exit_code)
    except PressroomError as exc:
        click.echo(f"pressroom: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
