"""A corrected release (``send --correction``): who gets it, and what it must say.

A correction goes to everyone who received an earlier version of the release,
and only to them, each in the language they received it in, with
``CORRECTED:`` before the subject; it must say what changed (an update
labelled CORRECTION), and a corrected calendar invitation must carry a higher
``SEQUENCE`` than any sent before.
"""

from __future__ import annotations

from collections.abc import Iterable

from pressroom.errors import Problem, ProblemsError, UsageError
from pressroom.model.contacts import Recipient
from pressroom.model.release import Release
from pressroom.model.roster import Roster
from pressroom.render.wording import is_corrected_subject, is_correction
from pressroom.sendlog import SendLog


def correction_recipients(
    log: SendLog, release: Release, version: str, rows: Iterable[Recipient]
) -> tuple[list[Recipient], dict[str, int]]:
    """Who received an earlier version: from the log, with names from today's lists
    (*rows*, read once); and the lists' counts."""
    earlier = [v for v in log.previous_versions(release.name) if v.version != version]
    rows_received = [d for v in earlier for d in log.recipients_of(release.name, v.version)]
    if not rows_received:
        raise UsageError(
            f"{release.source}: --correction sends a changed release to those who received "
            "an earlier version, but nobody has received an earlier version of this one"
        )
    # erased on request (contacts forget): never mailed again, a correction included
    received = {d.key for d in rows_received if not d.forgotten}
    roster = Roster()
    today = {r.key: r for r in roster.firsts(rows) if r.key in received}
    recipients: dict[str, Recipient] = {}
    for row in rows_received:
        if row.key in received and row.key not in recipients:
            found = today.get(row.key)
            recipient = (
                roster.completed(found) if found else Recipient(email=row.email, lists=row.lists)
            )
            recipient.language = row.language or None  # the language they got, not today's
            recipients[row.key] = recipient
    return list(recipients.values()), roster.counts


def require_correction_note(release: Release) -> None:
    if not any(is_correction(update.label) for update in release.updates):
        raise ProblemsError(
            [
                Problem(
                    release.source or release.name,
                    "a correction must say what changed",
                    key="updates",
                    hint="add an update labelled CORRECTION, e.g. `updates: [{label: CORRECTION, "
                    "text: An earlier version gave the wrong date.}]`, then send again",
                )
            ]
        )


def require_new_sequence(release: Release, log: SendLog, version: str) -> None:
    """A corrected invitation must carry a higher SEQUENCE (its number of updates) than
    any sent before, or calendars keep the event as it was (RFC 5545 3.8.7.4).

    Every correction that went out needed an update of its own, so this one needs
    more updates than there were corrections before it. (A plain send of an edited
    version to newcomers does not count: they had no earlier invitation.)
    """
    if release.event is None or "ics" not in release.distribution.attach:
        return
    corrections = [
        v
        for v in log.previous_versions(release.name)
        if v.version != version
        and is_corrected_subject(v.subject)
        and log.recipients_of(release.name, v.version)
    ]
    updates = len(release.updates)
    if updates > len(corrections):
        return
    raise ProblemsError(
        [
            Problem(
                release.source or release.name,
                f"this advisory went out corrected {len(corrections)} time"
                f"{'s' if len(corrections) != 1 else ''} before, and it has {updates} update"
                f"{'s' if updates != 1 else ''}: the calendar invitation's SEQUENCE (its "
                "number of updates) would not rise, so calendars would keep the event as "
                "it was",
                key="updates",
                hint="add an update saying what changed in this correction, then send again",
            )
        ]
    )
