"""Approval of the exact text: ``approval: {required: N, approvers: [...]}`` in pressroom.yaml.

A director approves a *version* of a release (:mod:`pressroom.sendlog.version`: the
release, pressroom.yaml, every file it uses, the room's templates and
pressroom's own), never its name: any change afterwards to anything that
reaches a journalist makes the approval stale, and every place that says so
(``approve``, ``approvals``, ``check``, ``send``, the preview) names the files
that changed. ``pressroom approve`` records an approval, with what it
covered and the text read, in the room's real send log (SQLite or
PostgreSQL, so a team shares them); ``pressroom send`` (not ``--test`` or
``--dry-run``) refuses a version with fewer than ``required`` approvals.

Approvals are counted per person: a key, a name, another case or other
spaces are one person of pressroom.yaml. Without an ``approvers:`` list,
approvers are the people of pressroom.yaml, nobody else. With
``identity: required``, who approves is proven (:mod:`pressroom.sendlog.identity`);
otherwise ``--as`` names them on trust.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.errors import PressroomError, UsageError
from pressroom.model.base import suggestion
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.dates import short_local_text
from pressroom.sendlog import Approval, open_log, room_log
from pressroom.sendlog.version import Version, changes, current_version

NAME_MAX = 80
"""Characters of an approver's name: a person, not a paragraph."""
_NAME = re.compile(r"[^\x00-\x1f\x7f\u2028\u2029]+")


class NotApproved(PressroomError):
    """A send of a version without the approvals pressroom.yaml requires."""


@dataclass(frozen=True)
class ApprovalStatus:
    """Where one version of a release stands against the room's approval rule."""

    required: int
    version: Version
    approvals: list[Approval]
    """Every approval of every version of the release, oldest first."""
    person: Callable[[str], str] = field(default=lambda name: name.casefold())
    """Who a recorded approver is: one key per person, however their name was written."""

    def counts(self, approval: Approval) -> bool:
        """Whether *approval* covers the release as it is now: this version, every file."""
        return approval.version == self.version.id and approval.manifest == self.version.manifest

    @property
    def current(self) -> list[Approval]:
        """This version's approvals, one per person."""
        seen: set[str] = set()
        current = []
        for approval in self.approvals:
            who = self.person(approval.approver)
            if self.counts(approval) and who not in seen:
                seen.add(who)
                current.append(approval)
        return current

    @property
    def earlier(self) -> list[Approval]:
        return [a for a in self.approvals if not self.counts(a)]

    @property
    def latest(self) -> Approval | None:
        """The last approval of anything that is not what the release is now."""
        return self.earlier[-1] if self.earlier else None

    def changed(self, approval: Approval) -> list[str]:
        """What changed since *approval*, file by file (see
        :func:`pressroom.sendlog.version.changes`)."""
        return changes(approval.manifest, self.version.manifest)

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
    room: Room, release: Release, version: Version | None = None
) -> ApprovalStatus | None:
    """The approvals of *release* (its current version unless *version*); None without a rule."""
    policy = room.config.approval
    if policy is None:
        return None
    version = version or current_version(room, release)
    where = room_log(room.root, room.config.database)
    approvals: list[Approval] = []
    if where.exists():
        try:
            with open_log(where, read_only=True) as log:
                approvals = log.approvals(release.name)
        except sqlite3.Error as exc:
            raise UsageError(f"{where}: cannot read the approvals: {exc}") from None
    return ApprovalStatus(policy.required, version, approvals, _person(room))


def _person(room: Room) -> Callable[[str], str]:
    def person(name: str) -> str:
        return person_key(room, name) or " ".join(name.split()).casefold()

    return person


def approve(
    room: Room,
    release: Release,
    name: str,
    code: str | None = None,
    text: str | None = None,
    *,
    proven: bool = False,
) -> tuple[Approval, ApprovalStatus]:
    """Record *name*'s approval of *release* as it is now; the approval and the status.

    *code* is the approver's code (:mod:`pressroom.sendlog.identity`), needed when the
    room says ``identity: required``; *text* the text rendering they read
    (by default, the email's text as it would be sent). *proven*: the caller has
    proven who *name* is (the preview's session, bound to their code).
    """
    from pressroom.sendlog.identity import prove

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
    version = current_version(room, release)
    text = approval_text(room, release) if text is None else text
    with open_log(room_log(room.root, room.config.database)) as log:
        if not proven:
            prove(room, log, person_key(room, name) or name, code)
        person = _person(room)
        for earlier in log.approvals(release.name):  # "devon achebe" again is Devon Achebe
            if earlier.version == version.id and person(earlier.approver) == person(name):
                name = earlier.approver
        approval = log.approve(release.name, version.id, name, version.manifest, text)
        approvals = log.approvals(release.name)
    return approval, ApprovalStatus(policy.required, version, approvals, _person(room))


def approval_text(room: Room, release: Release) -> str:
    """The release as an approver reads it: the email's text, as it would be sent."""
    import jinja2

    from pressroom.errors import RenderError, relative_name
    from pressroom.render.context import document
    from pressroom.render.email import render_email
    from pressroom.render.environment import room_environment, template_location

    env = room_environment(room)
    try:
        return render_email(document(room, release), env).text
    except jinja2.TemplateError as exc:  # a room's template: refused, failing or stopped
        where = relative_name(Path(template_location(exc, "a template")), room.root)
        raise RenderError(
            f"{where}: cannot render the email of {release.source}: {exc.message}; fix the "
            "template under templates/, or remove it to use the bundled one"
        ) from None


def person_key(room: Room, name: str) -> str | None:
    """The key under ``people`` of the person *name* names (by key or by name, without
    case or extra spaces), so one person approving as ``devon-achebe`` and
    ``Devon  ACHEBE`` counts once."""
    folded = " ".join(name.split()).casefold()
    for key, person in room.config.people.items():
        if folded in (key.casefold(), " ".join(person.name.split()).casefold()):
            return key
    return None


def approver_name(room: Room, name: str) -> str:
    """*name* as recorded: one of ``approvers`` when the room lists them (its key), else
    the name of the person of pressroom.yaml it names; anyone else is refused."""
    policy = room.config.approval
    name = name.strip()
    if not name or len(name) > NAME_MAX or not _NAME.fullmatch(name):
        raise UsageError(
            f"--as: give the approver's name (1 to {NAME_MAX} characters, on one line)"
        )
    key = person_key(room, name)
    if policy is not None and policy.approvers:
        if key not in policy.approvers:
            raise UsageError(
                f"--as {name!r}: not an approver{suggestion(name, list(policy.approvers))}; "
                f"pressroom.yaml lists {', '.join(policy.approvers)} under approval: approvers"
            )
        return str(key)
    if key is None:
        people = list(room.config.people)
        raise UsageError(
            f"--as {name!r}: not a person of pressroom.yaml{suggestion(name, people)}; "
            "approvers are the people under people: (by key or name)"
            + (f": {', '.join(people)}" if people else "; add the approver there")
        )
    return room.config.people[key].name


def approval_line(room: Room, release: Release) -> str | None:
    """What ``check`` says of a release with no errors when the room asks for approvals."""
    status = approval_status(room, release)
    if status is None or release.draft:
        return None
    count = status.count
    if status.approved:
        names = ", ".join(a.approver for a in status.current)
        return f"{release.source}: approved ({count}: {names})"
    line = (
        f"{release.source}: ready, awaiting approval ({count}): "
        f"pressroom approve {release.name} --as NAME"
    )
    latest = status.latest
    if latest is not None:
        line += f"\n  changed since {latest.approver}'s approval: " + ", ".join(
            status.changed(latest)
        )
    return line


def require_approval(room: Room, release: Release, version: Version | None = None) -> None:
    """Refuse to send *version* (the release as it is now) without the approvals required."""
    status = approval_status(room, release, version)
    if status is None or status.approved:
        return
    have = ", ".join(a.approver for a in status.current) or "nobody"
    lines = [
        f"{release.source}: this version ({status.version.id}) needs {status.required} approval"
        f"{'s' if status.required != 1 else ''} and has {len(status.current)} ({have}); "
        "nothing was sent."
    ]
    for approval in status.earlier:
        lines.append(
            f"  {approval.approver} approved an earlier version ({approval.version}) "
            f"on {describe_time(room, approval.at)}; changed since: "
            + ", ".join(status.changed(approval))
        )
    lines.append(
        f"  Approve this version: pressroom approve {release.name} --as NAME "
        f"(NAME one of: {', '.join(may_approve(room))})"
    )
    raise NotApproved("\n".join(lines))


def may_approve(room: Room) -> list[str]:
    """Who may approve: the room's ``approvers``, else every person of pressroom.yaml."""
    policy = room.config.approval
    return list((policy.approvers if policy else None) or room.config.people)


def describe_time(room: Room, stamp: str) -> str:
    """An ISO time from the log, as people in the room read it (its zone and locale)."""
    return short_local_text(stamp, room.config.timezone, room.config.locale)
