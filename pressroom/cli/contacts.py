"""``pressroom contacts``: the media lists, imports and suppressed addresses."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from pressroom.cli import State, cli, names, print_problems
from pressroom.terminal import echo

if TYPE_CHECKING:
    from pressroom.model.contacts import MediaList
    from pressroom.model.room import Room

MARK_HINTS = {
    "suppressed": "send skips them",
    "bouncing": "SendGrid's last word was not a delivery: check them before the next send",
}


@cli.group(invoke_without_command=True)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    callback=names,
    help="Count only recipients with this tag (repeatable: any of them).",
)
@click.pass_context
def contacts(ctx: click.Context, tags: tuple[str, ...]) -> None:
    """Show the media lists in contacts/ with their counts.

    Addresses the send log suppresses (unsubscribed, bounced, reported as spam:
    send skips them) and addresses that are bouncing (SendGrid's last word on
    them was a soft bounce or a drop) are counted per list and named below.
    Bad rows are reported with their file and line; they do not stop the
    other rows from being listed. A file that cannot be read (an export
    dropped in contacts/: `contacts import` turns it into a list) is
    reported, and the other lists are still shown. Exit status 1 when a file
    cannot be read.
    """
    if ctx.invoked_subcommand is not None:
        return
    from pressroom.deliver.recipients import merge
    from pressroom.reports.addresses import address_marks
    from pressroom.reports.tables import local_time

    room = ctx.obj.room()
    lists, unreadable = readable_lists(room)
    marks = address_marks(room.root, room.config.database)
    print_problems([p for media_list in lists for p in media_list.problems])
    if not lists:
        echo(no_lists_line(room))
        if unreadable:
            sys.exit(1)
        return
    width = max(len("list"), *(len(m.name) for m in lists))
    shown = ["suppressed", "bouncing"] if marks else []  # columns once the log has any
    heads = ["recipients", *(["tagged"] if tags else []), "invalid", *shown]
    echo(f"{'list':<{width}}  " + "  ".join(f"{h:>10}" for h in heads))
    marked: dict[str, list[str]] = {}
    for m in lists:
        states = [marks[r.key].state for r in m.tagged(tags) if r.key in marks]
        counts = [len(m.recipients), *([len(m.tagged(tags))] if tags else []), m.invalid]
        counts += [states.count(state) for state in shown]
        echo(f"{m.name:<{width}}  " + "  ".join(f"{c:>10}" for c in counts))
        for r in m.tagged(tags):
            if r.key in marks:
                marked.setdefault(r.key, []).append(m.name)
    unique = len(merge(lists, tags))
    which = f" tagged {' or '.join(tags)}" if tags else ""
    echo(
        f"{unique} unique address{'es' if unique != 1 else ''}{which} "
        f"in {len(lists)} list{'s' if len(lists) != 1 else ''}"
    )
    addresses = {r.key: r.email for m in lists for r in m.recipients}
    for state in ("suppressed", "bouncing"):
        keys = sorted(k for k in marked if marks[k].state == state)
        if keys:
            echo(f"{state.capitalize()} ({MARK_HINTS[state]}):")
            for key in keys:
                mark = marks[key]
                since = local_time(mark.since, room.config.timezone, room.config.locale)
                where = ", ".join(marked[key])
                echo(f"  {addresses[key]}  {mark.reason}, {since}  [{where}]")
    if unreadable:
        sys.exit(1)


def readable_lists(room: Room) -> tuple[list[MediaList], bool]:
    """Every list in contacts/ that reads, and whether some file did not (its problems
    printed: a raw export in contacts/ hides none of the other lists)."""
    from pressroom.errors import LoadError
    from pressroom.load.contacts import list_files, load_list

    try:
        files = list_files(room)
    except LoadError as exc:
        print_problems(exc.problems)
        return [], True
    lists, unreadable = [], False
    for path in files.values():
        try:
            lists.append(load_list(room, path))
        except LoadError as exc:
            print_problems(exc.problems)
            unreadable = True
    return lists, unreadable


def no_lists_line(room: Room) -> str:
    """Why ``contacts`` lists nothing, and how to get the lists the releases name."""
    from pressroom.errors import PressroomError
    from pressroom.load.contacts import GET_LISTS, IMPORT, NO_CONTACTS
    from pressroom.load.room import load_releases

    if room.contacts_dir.is_dir():
        return f"no media lists in contacts/ (add contacts/<name>.csv, or run '{IMPORT}')"
    try:
        named = sorted({n for r in load_releases(room) for n in r.distribution.lists})
    except PressroomError:
        named = []
    wanted = f"; the releases name: {', '.join(named)}" if named else ""
    return f"{NO_CONTACTS}{wanted}. To send, {GET_LISTS}."


@contacts.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--list", "list_name", required=True, help="The list to write: contacts/NAME.csv.")
@click.option("--force", is_flag=True, help="Replace the list if it exists.")
@click.option(
    "--merge",
    is_flag=True,
    help="Add to the list if it exists: new addresses added, existing ones updated.",
)
@click.option(
    "--include-forgotten",
    is_flag=True,
    help="Also import addresses forgotten on request (contacts forget); send still skips them.",
)
@click.pass_obj
def contacts_import(
    state: State, file: Path, list_name: str, force: bool, merge: bool, include_forgotten: bool
) -> None:
    """Turn a CSV export (spreadsheet, media database) into a clean media list.

    Understands a byte order mark, ',', ';' or tab delimiters and headers such
    as "E-mail", "Email Address", "First Name" or "Publication". Rows without a
    valid address are left out and reported; repeated addresses are kept once.
    With --merge, the export is added to an existing list and every address
    added or value changed is listed. Addresses forgotten on request (contacts
    forget) are left out with a warning, unless --include-forgotten.
    """
    from pressroom.contacts.forget import forgotten_keys
    from pressroom.contacts.importing import import_csv

    room = state.room()
    list_name = list_name.removesuffix(".csv")  # 'press.csv' is the list press, as for send
    summary = import_csv(
        file,
        room,
        list_name,
        force=force,
        merge=merge,
        forgotten=None if include_forgotten else lambda keys: forgotten_keys(room, keys),
    )
    print_problems(summary.problems)
    echo("columns: " + ", ".join(f"{k} -> {v}" for k, v in summary.columns.items()))
    if summary.ignored:
        echo(f"ignored: {', '.join(summary.ignored)}")
    where = summary.target.relative_to(room.root).as_posix()
    left_out = (
        f"{summary.skipped} invalid row{'s' if summary.skipped != 1 else ''} left out, "
        + (f"{summary.forgotten} forgotten on request left out, " if summary.forgotten else "")
        + f"{summary.duplicates} duplicate{'s' if summary.duplicates != 1 else ''} removed"
    )
    if not summary.merged:
        echo(
            f"wrote {where}: {summary.written} recipient{'s' if summary.written != 1 else ''}, "
            + left_out
        )
        return
    for email in summary.added:
        echo(f"  added    {email}")
    for change in summary.updated:
        echo(f"  updated  {change.email}: {change.describe()}")
    echo(
        f"merged into {where}: {len(summary.added)} added, {len(summary.updated)} updated, "
        f"{summary.unchanged} unchanged, {summary.kept} kept as they were "
        f"({summary.written} recipients now); " + left_out
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
    imported list can never bring an address back. An address already
    suppressed keeps its first reason (a bounce, a spam report from SendGrid's
    events is never overwritten by a later manual one). --sync copies SendGrid's
    global suppression lists (it needs SENDGRID_API_KEY).
    """
    from pressroom.deliver.suppressions import real_log, suppress, sync_suppressions
    from pressroom.errors import UsageError
    from pressroom.sendlog import open_log

    room = state.room()
    if sync:
        synced = sync_suppressions(room)
        many = "es" if len(synced) != 1 else ""
        echo(f"{len(synced)} new suppressed address{many} from SendGrid")
        for address, why in synced:
            echo(f"  {address} ({why})")
        if not addresses:
            return
    if not addresses:
        raise UsageError("name the addresses to suppress, or pass --sync")
    if remove:
        with open_log(real_log(room)) as log:
            for address in addresses:
                allowed = log.unsuppress(address)
                echo(f"{address}: {'allowed again' if allowed else 'was not suppressed'}")
        return
    from pressroom.reports.tables import local_time

    config = room.config
    for address, kept in suppress(room, addresses, reason).items():
        if kept is None:
            echo(f"{address}: suppressed ({reason})")
            continue
        since = local_time(kept[1], config.timezone, config.locale)
        if kept[0] == reason:
            echo(f"{address}: already suppressed ({reason}, since {since})")
        else:
            echo(
                f"{address}: already suppressed ({kept[0]}, since {since}); the first reason "
                f"is kept, not {reason} (to record {reason}: contacts suppress --remove "
                f"{address}, then suppress it again)"
            )


@contacts.command("suppressed")
@click.pass_obj
def contacts_suppressed(state: State) -> None:
    """List the addresses that are never mailed, with why and since when (in the
    room's time zone and locale)."""
    from pressroom.deliver.suppressions import real_log
    from pressroom.reports.tables import local_time
    from pressroom.sendlog import open_log

    room = state.room()
    where = real_log(room)
    rows = []
    if where.exists():
        with open_log(where, read_only=True) as log:
            rows = log.suppression_rows()
    zone, locale = room.config.timezone, room.config.locale
    for email, reason, since in rows:  # since when: in the room's zone, as log writes it
        echo(f"{email}\t{reason}\t{local_time(since, zone, locale)}")
    echo(f"{len(rows)} suppressed address{'es' if len(rows) != 1 else ''}", err=True)


@contacts.command("forget")
@click.argument("address")
@click.option("--yes", is_flag=True, help="Forget without asking for confirmation.")
@click.pass_obj
def contacts_forget(state: State, address: str, yes: bool) -> None:
    """Erase ADDRESS on request (GDPR article 17), keeping it suppressed.

    Removes its rows from every list in contacts/ and its rehearsal copies in
    the outbox, and replaces it in the send logs (deliveries, events,
    suppressions) with a keyed pseudonym: counts and reports stay right, and
    the address is never mailed again should it come back in a list. Git
    history and SendGrid keep their own copies: see docs/security.md.
    """
    from pressroom.contacts.forget import forget
    from pressroom.errors import UsageError
    from pressroom.terminal import plural

    room = state.room()
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("no terminal to confirm: pass --yes to forget the address")
        click.confirm(f"Forget {address} everywhere in this press room? This cannot be undone",
                      abort=True)  # fmt: skip
    report = forget(room, address)
    for name, rows in report.lists.items():
        echo(f"{name}: {rows} row{'s' if rows != 1 else ''} removed")
    for where, done in report.logs.items():
        echo(
            f"{where}: {plural(done.deliveries, 'delivery', 'deliveries')} and "
            f"{plural(done.events, 'event')} now name "
            f"{done.pseudonym[:22]}...; suppressed under that name"
        )
    if report.outbox_files:
        copies = plural(report.outbox_files, "rehearsal copy", "rehearsal copies")
        echo(f"outbox: {copies} deleted")
    if not report.lists and not report.logs and not report.outbox_files:
        echo(f"{address} was not in this press room's lists or logs.")
    for where, why in report.not_cleaned.items():
        echo(f"{where}: not cleaned, the address may remain there: {why}", err=True)
    for name in report.still_named:
        echo(
            f"{name}: still holds the address (an export or a copy pressroom did not write): "
            "delete or edit it",
            err=True,
        )
    echo(
        "Not in pressroom's reach: git history of contacts/ (if it is committed), reports "
        "and exports written outside this room (report --csv, log --csv), backups, and "
        "SendGrid's own records; see docs/security.md.",
        err=True,
    )
