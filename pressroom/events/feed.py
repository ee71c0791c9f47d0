"""Events into the room's send log: from the receiver, or from a file.

Events go to the real send log (``.pressroom/pressroom.db``, or the
PostgreSQL database ``PRESSROOM_DATABASE_URL`` names), never to the outbox's:
SendGrid's events are about real mail. The log is opened to record events
without the send lock, so the receiver can run while someone sends.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from pressroom.errors import PressroomError, SendLogError, relative_name
from pressroom.events.limits import (
    BACKLOG,
    DEFAULT_LIMITS,
    KEEP_ALIVE,
    MAX_HEADERS,
    Limits,
    guarded_protocol,
)
from pressroom.events.parse import Event, NotEvents, SetAside, parse_body
from pressroom.events.receiver import MAX_BODY, PATH, receiver_app
from pressroom.events.signature import MAX_AGE, Verifier
from pressroom.sendlog import SendLog, open_log, room_log
from pressroom.sendlog.location import SEND_LOG
from pressroom.sendlog.records import Recorded

__all__ = ["SEND_LOG", "Recorder", "import_file", "recorder", "serve"]
MAX_FILE = 500_000_000
"""Bytes: an events file larger than this is refused rather than read into memory."""


class EventsFileError(PressroomError):
    """An events file that cannot be read."""


def _database_errors() -> tuple[type[Exception], ...]:
    errors: list[type[Exception]] = [sqlite3.Error]
    try:
        import psycopg

        errors.append(psycopg.Error)
    except ImportError:
        pass
    return tuple(errors)


DATABASE_ERRORS = _database_errors()


class Recorder:
    """Stores batches of events in one room's send log, kept open between batches.

    Call it from one thread at a time (the receiver has one worker for it): a
    connection of its own, opened on first use and opened again after an error.
    *database*: pressroom.yaml's ``database:`` (``PRESSROOM_DATABASE_URL`` wins);
    *outside_suppress*: its ``delivery: suppress_from_other_mail``.
    """

    def __init__(self, root: Path, database: str | None = None, *, outside_suppress: bool = False):
        self.where = room_log(root, database)
        self.outside_suppress = outside_suppress
        self._log: SendLog | None = None

    def __call__(self, events: list[Event]) -> Recorded:
        """Store *events*; :class:`SendLogError` (the receiver answers 503) if the log cannot."""
        if self._log is None:
            self._log = open_log(self.where, events=True)
        try:
            return self._log.record_events(events, outside_suppress=self.outside_suppress)
        except DATABASE_ERRORS as error:  # locked, or the server went away: SendGrid retries
            self.close()
            raise SendLogError(f"{self.where}: cannot store events now: {error}") from None
        except BaseException:
            self.close()  # a broken connection is not used again
            raise

    def close(self) -> None:
        if self._log is not None:
            log, self._log = self._log, None
            log.close()


def recorder(
    root: Path, database: str | None = None, *, outside_suppress: bool = False
) -> Callable[[list[Event]], Recorded]:
    """A function that stores one batch of events in *root*'s send log, then closes it."""
    where = room_log(root, database)

    def record(events: list[Event]) -> Recorded:
        with open_log(where, events=True) as log:
            return log.record_events(events, outside_suppress=outside_suppress)

    return record


@dataclass(frozen=True)
class Imported:
    recorded: Recorded
    set_aside: list[SetAside]


def import_file(
    root: Path, source: Path, database: str | None = None, *, outside_suppress: bool = False
) -> Imported:
    """Record the events in *source* (a JSON array, or one object per line).

    *database*: pressroom.yaml's ``database:`` (``PRESSROOM_DATABASE_URL`` wins);
    *outside_suppress*: its ``delivery: suppress_from_other_mail``.
    """
    name = relative_name(source, root)
    try:
        size = source.stat().st_size
        if size > MAX_FILE:
            raise EventsFileError(
                f"{name}: {size} bytes is more than pressroom reads at once "
                f"({MAX_FILE}); split it into smaller files"
            )
        data = source.read_bytes()
    except OSError as error:
        raise EventsFileError(f"{name}: cannot read it ({error.strerror})") from None
    try:
        events, aside = parse_body(data)
    except NotEvents:
        raise EventsFileError(f"{name}: not UTF-8 text; export the events as JSON") from None
    return Imported(recorder(root, database, outside_suppress=outside_suppress)(events), aside)


def serve(
    root: Path,
    host: str,
    port: int,
    *,
    max_age: timedelta = MAX_AGE,
    max_body: int = MAX_BODY,
    limits: Limits = DEFAULT_LIMITS,
    database: str | None = None,
    outside_suppress: bool = False,
    on_ready: Callable[[str], None] | None = None,
    on_outside: Callable[[int], None] | None = None,
    on_post: Callable[[str], None] | None = None,
) -> None:
    """Run the receiver for *root* until interrupted (see :mod:`.receiver`), holding no
    more than *limits* allow (:mod:`.limits`). *on_outside* is told how many events
    of each post were about addresses pressroom never mailed; *on_post* gets one line
    per post (counts only)."""
    import signal

    import uvicorn

    from pressroom.listen import bind, url_of

    verifier = Verifier.from_environment(max_age)  # before listening: no key, no service
    record = Recorder(root, database, outside_suppress=outside_suppress)

    def store(events: list[Event]) -> Recorded:
        done = record(events)
        if done.outside and on_outside is not None:
            on_outside(done.outside)
        return done

    app = receiver_app(
        store, verifier, max_body=max_body, limits=limits, on_stop=record.close, on_post=on_post
    )
    sock = bind(host, port)
    config = uvicorn.Config(
        app,
        http=guarded_protocol(limits),
        log_level="warning",
        server_header=False,
        timeout_graceful_shutdown=3,
        timeout_keep_alive=KEEP_ALIVE,
        h11_max_incomplete_event_size=MAX_HEADERS,
        backlog=BACKLOG,
    )
    previous = signal.signal(signal.SIGTERM, _interrupt)  # systemd stops it as on Ctrl-C
    if on_ready is not None:
        on_ready(url_of(sock).rstrip("/") + PATH)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        sock.close()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
