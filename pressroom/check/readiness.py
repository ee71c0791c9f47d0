"""Is a release ready to send? ``check``, the preview and ``send`` agree through here.

:func:`~pressroom.check.rules.check_release` holds the editorial rules, as pure
functions of the room and the release. What it cannot know without reading
other files is added here: whether the media lists the release names exist
and have no invalid rows (``send`` refuses both), and whether some version of
the release was already accepted for delivery (then an embargo that has
passed is history, not a mistake). The send logs are only read, never created.
"""

from __future__ import annotations

from datetime import datetime

from pressroom.check.rules import check_release
from pressroom.errors import LoadError, Problem, relative_name
from pressroom.load.contacts import NO_SUCH_LIST, list_paths, read_rows
from pressroom.model.contacts import Recipient
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.sendlog.room_logs import ever_sent, scheduled_for

LISTS = ("distribution", "lists")


def release_problems(room: Room, release: Release, now: datetime) -> list[Problem]:
    """Every problem that stops ``pressroom send`` *release* (errors), and warnings."""
    problems = check_release(
        room, release, now, ever_sent(room, release.name), scheduled_for(room, release.name)
    )
    problems.extend(list_problems(room, release))
    return problems


def list_problems(room: Room, release: Release) -> list[Problem]:
    """What ``send`` (without ``--list``) would refuse in the release's media lists."""
    found: list[Problem] = []

    def error(code: str, message: str, hint: str) -> None:
        if release.located is not None:
            found.append(release.located.problem(LISTS, message, hint, code=code))
        else:
            found.append(Problem(release.source, message, key="distribution.lists", hint=hint))

    names = release.distribution.lists
    if not names:
        error(
            "no-list",
            "no media list: send has nobody to send to",
            "add distribution: {lists: [NAME]} naming a file in contacts/",
        )
        return found
    try:
        paths = list_paths(room, names)
    except LoadError as exc:
        for problem in exc.problems:
            if problem.message == NO_SUCH_LIST:
                name = problem.file.removeprefix("contacts/")
                error("no-such-list", f"no media list '{name}' in contacts/", problem.hint)
            else:
                found.append(problem)  # a file in contacts/ pressroom does not read
        return found
    for path in paths.values():
        try:  # counted as read: a long list is never held here
            invalid = sum(not isinstance(row, Recipient) for _, row in read_rows(room, path))
        except LoadError as exc:
            found.extend(exc.problems)  # the list file itself does not read
            continue
        if invalid:
            source = relative_name(path, room.root)
            rows = f"{invalid} invalid row{'s' if invalid != 1 else ''}"
            error(
                "invalid-rows",
                f"{source} has {rows}: send refuses to send to it",
                f"fix the rows listed for {source}, or send with --skip-invalid",
            )
    return found
