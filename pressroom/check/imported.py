"""What ``pressroom import`` could not place: ``check`` warns at it until someone has looked.

An import never drops a word: a piece of the draft it could not place (text
above the headline, a table that is no advisory, text after the end mark...)
stays in the body where it stood, under a comment line the import writes::

    body:
      # pressroom import: text above the headline (paragraph 1 of draft.docx) was kept here; ...
      - Draft three, not for circulation

- ``import-unplaced`` (warning): such a comment, reported at the line below it
  with the key of what it marks, until the writer moves or deletes the text
  and deletes the comment. The import prints the same warnings.

The import writes the comments and finds them again (:mod:`pressroom.drafts.import_marks`);
the rule takes a :class:`~pressroom.check.findings.Findings` as every rule of
:data:`pressroom.check.rules.RULES` does.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pressroom.drafts.import_marks import MARK, marks_in
from pressroom.model.release import Release
from pressroom.model.room import Room

if TYPE_CHECKING:
    from pressroom.check.findings import Findings


def import_marks(found: Findings, room: Room, release: Release, now: datetime) -> None:
    """The marks ``pressroom import`` left in the release's file."""
    if not release.source:
        return
    try:
        text = (room.root / release.source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    if MARK in text:
        found.problems.extend(marks_in(text, release.located, release.source))
