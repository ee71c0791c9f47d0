"""Approvals in the send log: who approved which exact version of a release, and when.

A version is the hash the log keys deliveries by
(:func:`~pressroom.sendlog.version.release_version`), so an edit after approval is a
new version with no approvals. Each approval keeps what it covered (every
file that reaches a journalist, with its hash: the manifest) and the text
the approver read, so that a later approval can name the files that changed
and show the words. An approval is recorded once per person and version;
approving again changes nothing. The log only records; whether a version has
enough approvals is :mod:`pressroom.sendlog.approval_status`'s question.

The log also keeps the manifest of each version planned for sending, and
each approver's personal secret as a salted hash (:mod:`pressroom.sendlog.identity`
makes and checks them; the secret itself is never stored).

The methods are part of :class:`~pressroom.sendlog.SendLog` on both backends.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from pressroom.sendlog.records import Approval, stamp

if TYPE_CHECKING:
    from pressroom.sendlog.store import Connection


def _manifest(text: object) -> dict[str, str] | None:
    return None if text is None else dict(json.loads(str(text)))


class Approvals:
    """The approvals half of the send log (mixed into :class:`~pressroom.sendlog.SendLog`)."""

    db: Connection

    def _covers(self) -> bool:
        """Whether the log records what approvals covered (schema step 11 or later)."""
        return self.db.has_table("approver_secrets")

    def approve(
        self,
        release: str,
        version: str,
        approver: str,
        manifest: Mapping[str, str] | None = None,
        text: str | None = None,
    ) -> Approval:
        """Record *approver*'s approval of *version*; the earlier record if there is one."""
        at = stamp()
        covered = None if manifest is None else json.dumps(dict(manifest), sort_keys=True)
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO approvals (release, version, approver, at, manifest_json, text) "
                "VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (release, version, approver) DO NOTHING",
                (release, version, approver, at, covered, text),
            )
            row = self.db.execute(
                "SELECT at, manifest_json, text FROM approvals "
                "WHERE release = ? AND version = ? AND approver = ?",
                (release, version, approver),
            ).fetchone()
            if row[1] != covered and covered is not None:
                # the same version approved again by the same person, with pressroom's
                # own part changed (an upgrade): this approval covers what it is now
                self.db.execute(
                    "UPDATE approvals SET at = ?, manifest_json = ?, text = ? "
                    "WHERE release = ? AND version = ? AND approver = ?",
                    (at, covered, text, release, version, approver),
                )
                row = (at, covered, text)
        return Approval(
            release, version, approver, str(row[0]), _manifest(row[1]),
            None if row[2] is None else str(row[2]),
        )  # fmt: skip

    def approvals(self, release: str) -> list[Approval]:
        """Every approval of every version of *release*, oldest first."""
        if not self.db.has_table("approvals"):
            return []  # a read-only look at a log from before approvals
        covered = ", manifest_json, text" if self._covers() else ", NULL, NULL"
        rows = self.db.execute(
            f"SELECT release, version, approver, at{covered} FROM approvals WHERE release = ? "
            "ORDER BY at, rowid",
            (release,),
        ).fetchall()
        return [
            Approval(str(r[0]), str(r[1]), str(r[2]), str(r[3]), _manifest(r[4]),
                     None if r[5] is None else str(r[5]))
            for r in rows
        ]  # fmt: skip

    def version_manifests(self, release: str) -> dict[str, dict[str, str] | None]:
        """The versions of *release* planned or scheduled, with what each covered (None:
        planned before pressroom recorded it)."""
        found: dict[str, dict[str, str] | None] = {}
        if self.db.has_table("pending_sends"):
            for (version,) in self.db.execute(
                "SELECT DISTINCT version FROM pending_sends WHERE release = ?", (release,)
            ).fetchall():
                found[str(version)] = None
        covered = "manifest_json" if self._covers() else "NULL"
        for version, manifest in self.db.execute(
            f"SELECT version, {covered} FROM versions WHERE release = ?", (release,)
        ).fetchall():
            found[str(version)] = _manifest(manifest)
        return found

    def keep_manifest(self, release: str, version: str, manifest: Mapping[str, str]) -> None:
        """Record what *version* covers, once (a version planned before it was recorded
        takes its files as they are the first time it is sent again)."""
        with self.db.transaction():
            self.db.execute(
                "UPDATE versions SET manifest_json = ? "
                "WHERE release = ? AND version = ? AND manifest_json IS NULL",
                (json.dumps(dict(manifest), sort_keys=True), release, version),
            )

    def set_secret(self, approver: str, secret_hash: str) -> None:
        """Keep *approver*'s secret (its hash): a new invitation replaces the old one."""
        with self.db.transaction():
            self.db.execute(
                "INSERT INTO approver_secrets (approver, secret_hash, invited_at) "
                "VALUES (?, ?, ?) ON CONFLICT (approver) DO UPDATE SET "
                "secret_hash = excluded.secret_hash, invited_at = excluded.invited_at",
                (approver, secret_hash, stamp()),
            )

    def secret_hash(self, approver: str) -> str | None:
        """The hash of *approver*'s secret; None if they were never invited."""
        if not self._covers():
            return None
        row = self.db.execute(
            "SELECT secret_hash FROM approver_secrets WHERE approver = ?", (approver,)
        ).fetchone()
        return None if row is None else str(row[0])

    def database_role(self) -> str | None:
        """The role this connection speaks as (PostgreSQL); None on SQLite."""
        if self.db.dialect != "postgresql":
            return None
        return str(self.db.execute("SELECT current_user").fetchone()[0])
