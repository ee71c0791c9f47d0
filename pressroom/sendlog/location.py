"""Where a room's send log lives: an SQLite file, or a PostgreSQL database.

The real log is PostgreSQL when ``PRESSROOM_DATABASE_URL`` is set (it wins)
or pressroom.yaml says ``database: postgresql://...``; otherwise the file
``.pressroom/pressroom.db``. Outbox rehearsals always keep a file of their
own (``.pressroom/outbox.db``), so a rehearsal never counts as a delivery.

A password never comes from pressroom.yaml: libpq reads ``PGPASSWORD`` (or
``~/.pgpass``), or it is part of ``PRESSROOM_DATABASE_URL``. It is never
shown: :func:`~pressroom.secrets.scrub_url` removes it from the URL and from every message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from pressroom.errors import UsageError
from pressroom.secrets import scrub_url

SEND_LOG = Path(".pressroom") / "pressroom.db"
OUTBOX_LOG = Path(".pressroom") / "outbox.db"
DATABASE_ENV = "PRESSROOM_DATABASE_URL"
SCHEMES = ("postgresql", "postgres")


@dataclass(frozen=True)
class Location:
    """One send log: a *path* (SQLite) or a *url* (PostgreSQL), never both."""

    path: Path | None = None
    url: str | None = field(default=None, repr=False)
    root: Path | None = None
    """The room, so that a path is shown relative to it."""

    @property
    def kind(self) -> str:
        return "postgresql" if self.url else "sqlite"

    def __str__(self) -> str:
        if self.url:
            return scrub_url(self.url)
        assert self.path is not None
        if self.root is not None:
            try:
                return self.path.relative_to(self.root).as_posix()
            except ValueError:
                pass
        return str(self.path)

    def exists(self) -> bool:
        """False for an SQLite file not yet written (nothing was ever sent)."""
        return self.url is not None or (self.path is not None and self.path.is_file())


def room_log(root: Path, database: str | None = None, *, outbox: bool = False) -> Location:
    """The log of the room at *root*: its rehearsal log with *outbox*.

    *database* is pressroom.yaml's ``database:``; the environment's
    ``PRESSROOM_DATABASE_URL`` wins over it.
    """
    if outbox:
        return Location(path=root / OUTBOX_LOG, root=root)
    url = os.environ.get(DATABASE_ENV) or database
    if url:
        where = DATABASE_ENV if os.environ.get(DATABASE_ENV) else "pressroom.yaml: database"
        return Location(url=check_url(url, where), root=root)
    return Location(path=root / SEND_LOG, root=root)


def check_url(url: str, where: str) -> str:
    """*url* if it names a PostgreSQL database; a clear error (without the password) if not."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise UsageError(
            f"{where}: {scrub_url(url)!r} is not a PostgreSQL URL; write it as "
            "postgresql://USER@HOST:PORT/DATABASE (the password in PGPASSWORD)"
        )
    return url
