"""Who gets a release: the rows of its media lists, one copy per address.

:func:`merge` works on loaded :class:`~pressroom.model.contacts.MediaList`
objects (the preview, ``contacts``); :class:`ListRows` streams the rows of the
files for ``send``, which never holds a whole list: the send log's plan reads
them once, keeping the first row of each address
(:class:`~pressroom.model.roster.Roster`). Addresses are compared without
regard to case.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from pressroom.errors import LoadError, Problem, ProblemsError
from pressroom.load.contacts import list_paths, read_rows
from pressroom.model.contacts import MediaList, Recipient
from pressroom.model.room import Room
from pressroom.model.roster import Roster


def merge(lists: Iterable[MediaList], tags: Iterable[str] = ()) -> list[Recipient]:
    """One recipient per address across *lists*, in list order; the first occurrence wins.

    Each recipient's ``lists`` names every list the address was found on. With
    *tags*, only rows carrying any of them (ignoring case) are kept.
    """
    wanted = list(tags)
    roster = Roster()
    firsts = [
        recipient
        for media_list in lists
        for recipient in roster.firsts(_on(media_list.name, media_list.tagged(wanted)))
    ]
    return [roster.completed(recipient) for recipient in firsts]


def _on(name: str, recipients: Iterable[Recipient]) -> Iterator[Recipient]:
    for recipient in recipients:
        yield (
            recipient
            if recipient.lists == [name]
            else recipient.model_copy(update={"lists": [name]})
        )


class ListRows:
    """The valid rows of the named lists, read from the files as they are iterated.

    Nothing is kept but the bad rows' problems. Once every row went past,
    iteration raises :class:`~pressroom.errors.ProblemsError` if any row was
    invalid (unless *skip_invalid*) or a file could not be read, so that a
    plan consuming the rows inside a transaction rolls back and nothing is
    sent. :attr:`invalid` counts the invalid rows read so far.
    """

    def __init__(
        self,
        room: Room,
        names: Sequence[str],
        tags: Sequence[str] = (),
        skip_invalid: bool = False,
    ):
        self.room, self.tags, self.skip_invalid = room, list(tags), skip_invalid
        self.paths = list_paths(room, names)
        """Each list's file (unknown names are refused here, before anything is read)."""
        self.invalid = 0
        self.problems: list[Problem] = []
        """The invalid rows' errors."""

    def __iter__(self) -> Iterator[Recipient]:
        self.invalid, self.problems = 0, []
        unreadable: list[Problem] = []
        for path in self.paths.values():
            try:
                for _, row in read_rows(self.room, path):
                    if not isinstance(row, Recipient):
                        self.invalid += 1
                        self.problems.extend(p for p in row if p.severity == "error")
                    elif not self.tags or row.has_any_tag(self.tags):
                        yield row
            except LoadError as exc:
                unreadable.extend(exc.problems)
        if unreadable:
            raise LoadError(unreadable + self.problems)
        if self.invalid and not self.skip_invalid:
            raise ProblemsError(
                self.problems
                + [
                    Problem(
                        "contacts/",
                        f"{self.invalid} invalid row{'s' if self.invalid != 1 else ''}: "
                        "nothing was sent",
                        hint="fix the rows, or pass --skip-invalid to send to the valid ones",
                    )
                ]
            )
