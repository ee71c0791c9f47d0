"""Approvals in the send log: who approved which exact version of a release, and when.

A version is the hash the log keys deliveries by
(:func:`~pressroom.model.version.release_version`), so an edit after approval
is a new version with no approvals. An approval is recorded once per person
and version; approving again changes nothing. The log only records; whether
a version has enough approvals is :mod:`pressroom.approval`'s question.

The methods are part of :class:`~pressroom.sendlog.SendLog` on both backends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pressroom.sendlog.records import Approval, stamp

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection


class Approvals:
    """The approvals half of the send log (mixed into :class:`~pressroom.sendlog.SendLog`)."""

    db: Connection

    def approve(self, release: str, version: str, approver: str) -> Approval:
        """Record *approver*'s approval of *version*; the earlier record if there is one."""
        at = stamp()
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO approvals (release, version, approver, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (release, version, approver) DO NOTHING",
                (release, version, approver, at),
            )
            row = self.db.execute(
                "SELECT at FROM approvals WHERE release = ? AND version = ? AND approver = ?",
                (release, version, approver),
            ).fetchone()
        return Approval(release, version, approver, str(row[0]))

    def approvals(self, release: str) -> list[Approval]:
        """Every approval of every version of *release*, oldest first."""
        if not self.db.has_table("approvals"):
            return []  # a read-only look at a log from before approvals
        rows = self.db.execute(
            "SELECT release, version, approver, at FROM approvals WHERE release = ? "
            "ORDER BY at, rowid",
            (release,),
        ).fetchall()
        return [Approval(str(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]
