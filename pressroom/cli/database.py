"""``pressroom db``: the send log's database (migrate, copy to PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import click

from pressroom.cli import State, cli
from pressroom.terminal import echo


@cli.group()
def db() -> None:
    """The send log's database: bring it up to date, move it to PostgreSQL.

    The log is .pressroom/pressroom.db, or the PostgreSQL database named by
    database: in pressroom.yaml or by PRESSROOM_DATABASE_URL (docs/database.md).
    """


@db.command()
@click.pass_obj
def migrate(state: State) -> None:
    """Bring the send log to this pressroom's schema (sends also do it on first use)."""
    from pressroom.deliver.suppressions import real_log
    from pressroom.sendlog.schema import SCHEMA_VERSION
    from pressroom.sendlog.transfer import migrate as run

    where = real_log(state.room())
    steps = run(where)
    for step in steps:
        echo(f"{where}: step {step.version}: {step.what}")
    echo(f"{where}: schema {SCHEMA_VERSION}" + ("" if steps else ", already up to date"))


@db.command()
@click.option(
    "--to",
    "to",
    metavar="URL",
    help="postgresql://USER@HOST:PORT/DATABASE, password in PGPASSWORD "
    "(default: the room's database: or PRESSROOM_DATABASE_URL).",
)
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The SQLite log to copy (default: .pressroom/pressroom.db).",
)
@click.pass_obj
def copy(state: State, to: str | None, source: Path | None) -> None:
    """Copy the room's SQLite send log into an empty PostgreSQL database, every row.

    Then point the room at it (database: in pressroom.yaml) and keep the file
    as a backup. Nothing is copied unless every table arrives whole.
    """
    from pressroom.errors import UsageError
    from pressroom.sendlog.location import SEND_LOG, Location, check_url, room_log
    from pressroom.sendlog.transfer import check_target, copy_log

    room = state.room()
    if to is not None:
        check_target(to)
        target = Location(url=check_url(to, "--to"))
    else:
        target = room_log(room.root, room.config.database)
        if target.url is None:
            raise UsageError(
                "db copy: name the PostgreSQL database with --to URL, or database: in "
                "pressroom.yaml"
            )
    path = source or room.root / SEND_LOG
    copied = copy_log(path, target)
    for done in copied:
        echo(f"  {done.table}: {done.rows} row{'s' if done.rows != 1 else ''}")
    total = sum(done.rows for done in copied)
    echo(f"Copied {total} rows from {path} to {target}; every table arrived whole.")
