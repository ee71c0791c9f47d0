"""Sending a release: prepare (pure checks and the plan), then deliver in logged batches.

The flow, in order: the release must pass ``check`` and not be a draft; the
lists must load without invalid rows (or ``skip_invalid``); the artefacts are
rendered; the send log plans who still needs this version; the caller shows
the :class:`Prepared` summary and asks for confirmation; :func:`deliver`
sends batch by batch, committing each batch's state to the log before and
after the transport call, so that a killed process never loses or repeats a
recipient.

Only the outbox transport exists so far (``.pressroom/outbox/``); its runs
are recorded in a send log of their own (``.pressroom/outbox.db``) so that a
rehearsal never counts as delivery when the real transport comes.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pressroom.check import check_release
from pressroom.clock import now
from pressroom.deliver.message import Content, Delivery, content_for
from pressroom.deliver.outbox import Outbox
from pressroom.deliver.recipients import merge
from pressroom.deliver.transport import Transport
from pressroom.errors import PressroomError, Problem, ProblemsError, UsageError
from pressroom.load.contacts import load_lists
from pressroom.model.contacts import Recipient
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.environment import override
from pressroom.sendlog import Plan, SendLog

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.context import Document

OUTBOX = Path(".pressroom") / "outbox"
OUTBOX_LOG = Path(".pressroom") / "outbox.db"


@dataclass
class Prepared:
    """Everything decided before anything is sent: what the summary shows."""

    release: Release
    content: Content
    transport: Transport
    lists: dict[str, int]
    plan: Plan | None
    invalid: int = 0
    tests: list[str] = field(default_factory=list)
    log_path: Path | None = None

    @property
    def recipients(self) -> list[Recipient]:
        return self.plan.to_send if self.plan else []


@dataclass
class Outcome:
    accepted: int = 0
    failed: int = 0
    reasons: list[str] = field(default_factory=list)


def choose_transport(room: Room) -> tuple[Transport, Path]:
    """The outbox when no SendGrid key is set; the transport and its send log."""
    if os.environ.get("SENDGRID_API_KEY"):
        raise UsageError(
            "SENDGRID_API_KEY is set, but this version of pressroom sends only to the "
            "local outbox; unset SENDGRID_API_KEY to write .eml files to .pressroom/outbox/"
        )
    return Outbox(room.root / OUTBOX), room.root / OUTBOX_LOG


def _artefacts(
    room: Room, release: Release, doc: Document, env: jinja2.Environment
) -> dict[str, bytes]:
    artefacts: dict[str, bytes] = {}
    if "pdf" in release.distribution.attach:
        from pressroom.render.pdf import render_pdf

        artefacts["pdf"] = render_pdf(doc, env)
    if "docx" in release.distribution.attach:
        from pressroom.render.docx import render_docx

        artefacts["docx"] = render_docx(doc, override(room.templates_dir, "reference.docx"))
    return artefacts


def prepare(
    room: Room,
    release: Release,
    lists: Sequence[str] = (),
    tags: Sequence[str] = (),
    tests: Sequence[str] = (),
    skip_invalid: bool = False,
    resend_unknown: bool = False,
    skip_unknown: bool = False,
    dry_run: bool = False,
) -> Prepared:
    """Check, render and plan a send of *release*; nothing is sent."""
    from pressroom.render.context import document
    from pressroom.render.environment import make_environment

    if release.draft:
        raise UsageError(f"{release.source}: a draft is never sent (remove draft: true first)")
    errors = [p for p in check_release(room, release, now()) if p.severity == "error"]
    if errors:
        raise ProblemsError(errors)
    transport, log_path = choose_transport(room)
    env = make_environment(room.templates_dir)
    doc = document(room, release)
    content = content_for(room, release, doc, env, _artefacts(room, release, doc, env))
    if tests:
        return Prepared(release, content, transport, {}, None, tests=list(tests))

    names = list(lists) or release.distribution.lists
    if not names:
        raise UsageError(
            f"{release.source}: no media list to send to; add distribution: {{lists: [...]}} "
            "or pass --list NAME"
        )
    media = load_lists(room, names)
    invalid = sum(m.invalid for m in media)
    if invalid and not skip_invalid:
        bad = [p for m in media for p in m.problems if p.severity == "error"]
        raise ProblemsError(
            bad
            + [
                Problem(
                    "contacts/",
                    f"{invalid} invalid row{'s' if invalid != 1 else ''}: nothing was sent",
                    hint="fix the rows, or pass --skip-invalid to send to the valid ones",
                )
            ]
        )
    recipients = merge(media, tags)
    with SendLog.open(log_path) as log:
        plan = log.plan(
            release.name,
            content.version,
            recipients,
            subject=content.subject,
            resend_unknown=resend_unknown,
            skip_unknown=skip_unknown,
            dry_run=dry_run,
        )
    counts = {m.name: len(m.tagged(tags) if tags else m.recipients) for m in media}
    return Prepared(release, content, transport, counts, plan, invalid, log_path=log_path)


def deliver(
    prepared: Prepared,
    on_batch: Callable[[int], None] | None = None,
    batch_size: int = 1,
) -> Outcome:
    """Send to the planned recipients (or the test addresses), logging every batch."""
    content, transport = prepared.content, prepared.transport
    outcome = Outcome()
    if prepared.tests:
        deliveries = [Delivery(email=a, name=None, greeting="Hello,", unsubscribe_url=None)
                      for a in prepared.tests]  # fmt: skip
        transport.send(content, deliveries, test=True)
        outcome.accepted = len(deliveries)
        return outcome
    assert prepared.log_path is not None
    todo = prepared.recipients
    with SendLog.open(prepared.log_path) as log:
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            batch_id = log.start_batch(content.release, content.version, [r.key for r in batch])
            try:
                ids = transport.send(content, [Delivery.to(r) for r in batch])
            except (PressroomError, OSError) as exc:
                log.fail_batch(batch_id, str(exc))
                outcome.failed += len(batch)
                outcome.reasons.append(str(exc))
                break
            log.accept_batch(batch_id, ids[0] if len(ids) == 1 else ", ".join(ids))
            outcome.accepted += len(batch)
            if on_batch is not None:
                on_batch(len(batch))
    return outcome
