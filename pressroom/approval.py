"""Approval of the exact text: ``approval: {required: N, approvers: [...]}`` in pressroom.yaml.

A director approves a *version* of a release (the hash the send log keys its
deliveries by), never its name: any edit after approval makes a new version
that needs approving again. ``pressroom approve`` records an approval in the
room's real send log (SQLite or PostgreSQL, so a team shares them);
``pressroom send`` (not ``--test`` or ``--dry-run``) refuses a version with
fewer than ``required`` approvals and says who approved which earlier version;
``check``, ``approvals`` and the preview show where a release stands.

Who someone is rests on the team's word and on who can write to the send log:
``--as`` names them, it does not prove it. Teams that need proof keep the log
in a PostgreSQL database that only the approvers and senders can reach.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

from pressroom.errors import PressroomError, UsageError
from pressroom.model.base import suggestion
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.model.version import release_version
from pressroom.render.dates import short_local_text
from pressroom.sendlog import Approval, open_log, room_log

NAME_MAX = 80
"""Characters of an approver's name: a person, not a paragraph."""
_NAME = re.compile(r"[^\x00-\x1f\x7f\u2028\u2029]+")


class NotApproved(PressroomError):
    """A send of a version without the approvals pressroom.yaml requires."""


@dataclass(frozen=True)
class ApprovalStatus:
    """Where one version of a release stands against the room's approval rule."""

    required: int
    version: str
    approvals: list[Approval]
    """Every approval of every version of the release, oldest first."""

    @property
    def current(self) -> list[Approval]:
        """This version's approvals, one per person (names compared without case)."""
        seen: set[str] = set()
        current = []
        for approval in self.approvals:
            who = approval.approver.casefold()
            if approval.version == self.version and who not in seen:
                seen.add(who)
                current.append(approval)
        return current

    @property
    def earlier(self) -> list[Approval]:
        return [a for a in self.approvals if a.version != self.version]

    @property
    def approved(self) -> bool:
        return len(self.current) >= self.required

    @property
    def missing(self) -> int:
        return max(0, self.required - len(self.current))

    @property
    def count(self) -> str:
        """``1 of 2``; ``3, 2 needed`` when more approved than needed (not ``3 of 2``)."""
        have = len(self.current)
        return (
            f"{have} of {self.required}"
            if have <= self.required
            else (f"{have}, {self.required} needed")
        )


def approval_status(
    room: Room, release: Release, version: str | None = None
) -> ApprovalStatus | None:
    """The approvals of *release* (its current version unless *version*); None without a rule."""
    policy = room.config.approval
    if policy is None:
        return None
    version = version or release_version(room, release)
    where = room_log(room.root, room.config.database)
    approvals: list[Approval] = []
    if where.exists():
        try:
            with open_log(where, read_only=True) as log:
                approvals = log.approvals(release.name)
        except sqlite3.Error as exc:
            raise UsageError(f"{where}: cannot read the approvals: {exc}") from None
    return ApprovalStatus(policy.required, version, approvals)


def approve(room: Room, release: Release, name: str) -> tuple[Approval, ApprovalStatus]:
    """Record *name*'s approval of *release*'s current version; the approval and the status."""
    policy = room.config.approval
    if policy is None:
        raise UsageError(
            "this room does not ask for approvals; add approval: {required: 1} to "
            "pressroom.yaml to make send wait for them"
        )
    name = approver_name(room, name)
    if release.draft:
        raise UsageError(
            f"{release.source}: a draft cannot be approved: removing draft: true makes a new "
            "version; remove it first, then approve the version that will be sent"
        )
    version = release_version(room, release)
    with open_log(room_log(room.root, room.config.database)) as log:
        for earlier in log.approvals(release.name):  # "lena ortiz" again is Lena Ortiz
            if earlier.version == version and earlier.approver.casefold() == name.casefold():
                name = earlier.approver
        approval = log.approve(release.name, version, name)
        approvals = log.approvals(release.name)
    return approval, ApprovalStatus(policy.required, version, approvals)


def person_key(room: Room, name: str) -> str | None:
    """The key under ``people`` of the person *name* names (by key or by name, without
    case), so one person approving as ``devon-achebe`` and ``Devon Achebe`` counts once."""
    folded = " ".join(name.split()).casefold()
    for key, person in room.config.people.items():
        if folded in (key.casefold(), " ".join(person.name.split()).casefold()):
            return key
    return None


def approver_name(room: Room, name: str) -> str:
    """*name* as recorded: one of ``approvers`` when the room lists them, else the name of
    the room's person it names, else any short name."""
    policy = room.config.approval
    name = name.strip()
    key = person_key(room, name) if _NAME.fullmatch(name) else None
    if policy is not None and policy.approvers:
        if key in policy.approvers:
            return str(key)
        if name not in policy.approvers:
            raise UsageError(
                f"--as {name!r}: not an approver{suggestion(name, policy.approvers)}; "
                f"pressroom.yaml lists {', '.join(policy.approvers)} under approval: approvers"
            )
        return name
    if not name or len(name) > NAME_MAX or not _NAME.fullmatch(name):
        raise UsageError(
            f"--as: give the approver's name (1 to {NAME_MAX} characters, on one line)"
        )
    return room.config.people[key].name if key else " ".join(name.split())


def approval_line(room: Room, release: Release) -> str | None:
    """What ``check`` says of a release with no errors when the room asks for approvals."""
    status = approval_status(room, release)
    if status is None or release.draft:
        return None
    count = status.count
    if status.approved:
        names = ", ".join(a.approver for a in status.current)
        return f"{release.source}: approved ({count}: {names})"
    return (
        f"{release.source}: ready, awaiting approval ({count}): "
        f"pressroom approve {release.name} --as NAME"
    )


def require_approval(room: Room, release: Release, version: str) -> None:
    """Refuse to send *version* without the approvals the room requires."""
    status = approval_status(room, release, version)
    if status is None or status.approved:
        return
    have = ", ".join(a.approver for a in status.current) or "nobody"
    lines = [
        f"{release.source}: this version ({version}) needs {status.required} approval"
        f"{'s' if status.required != 1 else ''} and has {len(status.current)} ({have}); "
        "nothing was sent."
    ]
    for approval in status.earlier:
        lines.append(
            f"  {approval.approver} approved an earlier version ({approval.version}) "
            f"on {describe_time(room, approval.at)}; "
            "the release or pressroom.yaml has changed since"
        )
    lines.append(f"  Approve this version: pressroom approve {release.name} --as NAME")
    raise NotApproved("\n".join(lines))


def describe_time(room: Room, stamp: str) -> str:
    """An ISO time from the log, as people in the room read it (its zone and locale)."""
    return short_local_text(stamp, room.config.timezone, room.config.locale)
