"""Sending a release: prepare (checks, rendering, the plan), then deliver in logged batches.

The flow, in order: the release must pass ``check`` and not be a draft (a
draft may only be proofed with ``--test``, or shown with ``--dry-run``); the
lists must load without invalid rows (or ``skip_invalid``); the artefacts are
rendered once; the send log plans who still needs this version; the caller
shows the :class:`Prepared` summary and asks for confirmation; :func:`deliver`
sends batch by batch, committing each batch's state to the log before and
after the transport call, so that a killed process never loses or repeats a
recipient.

Beside it: :mod:`~pressroom.deliver.transports` (which transport, which log),
:mod:`~pressroom.deliver.schedule` (``--at``, ``--cancel``),
:mod:`~pressroom.deliver.corrections` (``--correction``) and
:mod:`~pressroom.deliver.suppressions`.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pressroom.approval import require_approval
from pressroom.check import check_release
from pressroom.check_placeholders import room_placeholders
from pressroom.clock import now
from pressroom.deliver.corrections import (
    correction_recipients,
    require_correction_note,
    require_new_sequence,
)
from pressroom.deliver.message import Content, Delivery, content_for, unsubscribe_link
from pressroom.deliver.proofs import proof_addresses
from pressroom.deliver.recipients import ListRows
from pressroom.deliver.suppressions import kept_elsewhere
from pressroom.deliver.transport import (
    DeliveryFailed,
    OutcomeUnknown,
    RecipientRefused,
    Schedule,
    Scheduler,
    Transport,
    refusal,
)
from pressroom.deliver.transports import choose_transport, opened
from pressroom.errors import ProblemsError, RenderError, SendLogError, UsageError, relative_name
from pressroom.model.address import address_problem
from pressroom.model.contacts import Addressee, Recipient
from pressroom.model.header import header_problem
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.readiness import ever_sent
from pressroom.render.environment import override
from pressroom.render.wording import corrected
from pressroom.sendlog import Location, Plan, SendLog, open_log
from pressroom.sendlog.planning import FIRST_KEPT
from pressroom.version import current_version, manifest_of

if TYPE_CHECKING:
    import jinja2

    from pressroom.render.context import Document

DRAFT_PREFIX = "[DRAFT] "
"""Before the subject of a draft's proof (after ``[TEST]``); its body says DRAFT too."""
MAX_FAILED_BATCHES = 3
"""Consecutive failed batches (after the transport's own retries) that stop a send."""


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
    log: Location | None = None
    send_at: datetime | None = None
    correction: bool = False
    unsubscribe_url: str | None = None

    @property
    def count(self) -> int:
        """How many messages the send makes: the planned recipients, or the proofs."""
        return self.plan.to_send if self.plan else len(self.tests)


@dataclass
class Outcome:
    accepted: int = 0
    failed: int = 0
    unknown: int = 0
    reasons: list[str] = field(default_factory=list)
    stopped: str | None = None
    """Why the send stopped before the end (a fatal answer, repeated failures)."""
    schedule_id: str | None = None


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


def fingerprints(content: Content) -> dict[str, str]:
    """SHA-256 of every part sent: the send log keeps them as proof of what went out."""

    def digest(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()

    parts = {
        "email.html": digest(content.html.encode()),
        "email.txt": digest(content.text.encode()),
    }
    parts.update({a.filename: digest(a.data) for a in content.attachments})
    return parts


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
    send_at: datetime | None = None,
    correction: bool = False,
    shown: int | None = FIRST_KEPT,
) -> Prepared:
    """Check, render and plan a send of *release*; nothing is sent.

    The lists are read as the plan goes, never held whole; the plan keeps the
    first *shown* recipients to send to (all of them if None) for a dry run.
    """
    import jinja2

    from pressroom.render.context import document
    from pressroom.render.environment import make_environment, template_location

    tests = proof_addresses(tests) if tests else []
    if release.draft and not (tests or dry_run):
        raise UsageError(
            f"{release.source}: a draft is never sent to media lists; --test ADDRESS sends a "
            "proof marked DRAFT, --dry-run shows what would be sent (remove draft: true to send)"
        )
    sent = ever_sent(room, release.name)
    found = [*room_placeholders(room), *check_release(room, release, now(), sent, send_at)]
    errors = [p for p in found if p.severity == "error"]
    if errors:
        raise ProblemsError(errors)
    if not (tests or dry_run):
        require_approval(room, release, current_version(room, release))
    transport, where = choose_transport(room)
    if send_at is not None and not (isinstance(transport, Scheduler) or transport.name == "outbox"):
        raise UsageError(
            f"--at: the {transport.name} transport cannot hold messages until a time; "
            "scheduling needs SendGrid (set SENDGRID_API_KEY), or run the send at that time"
        )
    env = make_environment(room.templates_dir, sandbox=room.config.templates.sandbox)
    doc = document(room, release)
    try:
        content = content_for(room, release, doc, env, _artefacts(room, release, doc, env))
    except jinja2.TemplateError as exc:  # a room's template: refused, failing or stopped
        template = template_location(exc, "a template")
        raise RenderError(
            f"{relative_name(Path(template), room.root)}: cannot render the email of "
            f"{release.source}: {exc.message}; fix the template under templates/, or remove "
            "it to use the bundled one"
        ) from None
    if correction:
        content = dataclasses.replace(content, subject=corrected(content.subject, doc.words))
    if release.draft:
        content = dataclasses.replace(content, subject=DRAFT_PREFIX + content.subject)
    preflight = getattr(transport, "preflight", None)
    if callable(preflight):
        preflight(content)  # a message the provider would refuse whole stops here
    prepared = Prepared(
        release,
        content,
        transport,
        lists={},
        plan=None,
        send_at=send_at,
        correction=correction,
        unsubscribe_url=room.config.delivery.unsubscribe_url,
    )
    if tests:
        prepared.tests = _test_addresses(tests, transport)
        return prepared

    names = list(lists) or release.distribution.lists
    if not names and not correction:
        raise UsageError(
            f"{release.source}: no media list to send to; add distribution: {{lists: [...]}} "
            "or pass --list NAME"
        )
    rows = ListRows(room, names, tags, skip_invalid=skip_invalid)
    elsewhere = kept_elsewhere(room) if transport.name == "outbox" else {}
    with open_log(where, read_only=dry_run) as log:
        recipients: Iterable[Recipient] = rows
        counts: dict[str, int] | None = None
        if correction:
            recipients, counts = correction_recipients(log, release, content.version, rows)
            require_correction_note(release)  # there is something to correct: say what
            require_new_sequence(release, log, content.version)
        plan = log.plan(
            release.name,
            content.version,
            recipients,
            subject=content.subject,
            artefacts=fingerprints(content),
            resend_unknown=resend_unknown,
            skip_unknown=skip_unknown,
            dry_run=dry_run,
            correction=correction,
            also_suppressed=elsewhere,
            keep=shown,
        )
        if not dry_run:
            log.keep_manifest(release.name, content.version, manifest_of(room, release))
    counted = plan.lists if counts is None else counts
    prepared.lists = {name: counted.get(name, 0) for name in rows.paths}
    prepared.plan, prepared.invalid, prepared.log = plan, rows.invalid, where
    return prepared


def _test_addresses(tests: Sequence[str], transport: Transport) -> list[str]:
    """``--test`` addresses, checked as the lists' are; UsageError naming every bad one."""
    addresses = [address.strip() for address in tests]
    problems = [address_problem(address) for address in addresses]
    problems += [
        refusal(transport, Delivery(email=address, name=None, greeting="Hello,"))
        for address, problem in zip(addresses, problems, strict=True)
        if problem is None
    ]
    found = [problem for problem in problems if problem]
    if found:
        raise UsageError("--test: " + "; ".join(found))
    return addresses


def _delivery(prepared: Prepared, recipient: Addressee) -> Delivery:
    """*recipient*'s delivery; :class:`RecipientRefused` if it cannot be sent at all."""
    problem = header_problem(recipient.name or "") or address_problem(recipient.email)
    if problem is not None:  # the lists refuse these rows when read: a second wall
        raise RecipientRefused(f"{recipient.email}: {problem}")
    template = prepared.unsubscribe_url
    delivery = Delivery.to(
        recipient,
        unsubscribe_link(template, recipient.email) if template else None,
        prepared.content.words,
        prepared.content.greeting,
    )
    refused = refusal(prepared.transport, delivery)
    if refused is not None:
        raise RecipientRefused(refused)
    return delivery


def _schedule(prepared: Prepared) -> Schedule | None:
    """A provider batch for ``--at``, made only once the user has confirmed."""
    if prepared.send_at is None:
        return None
    if isinstance(prepared.transport, Scheduler):
        return prepared.transport.new_schedule(prepared.send_at)
    stamp = prepared.send_at.strftime("%Y%m%dT%H%M%SZ")
    return Schedule(prepared.send_at, f"rehearsal-{prepared.content.version}-{stamp}")


def _batches(
    log: SendLog, plan: Plan, size: int, schedule_id: str | None
) -> Iterator[tuple[int, list[Addressee]]]:
    """The batches to send, each ``in_flight`` in the log before it is yielded.

    First the unknown outcomes the user chose to send again (by address), then
    whatever is planned, claimed from the log batch by batch: another sender
    on the same PostgreSQL log claims other rows, never these.
    """
    again = plan.resend
    for start in range(0, len(again), size):
        keys = again[start : start + size]
        log.check_intact()
        batch_id = log.start_batch(plan.release, plan.version, keys, schedule_id)
        yield batch_id, log.batch_recipients(batch_id)
    while True:
        log.check_intact()  # a log deleted or replaced mid-send stops the send here
        claimed = log.claim_batch(plan.release, plan.version, size, schedule_id)
        if claimed is None:
            return
        yield claimed


def _set_aside(
    log: SendLog,
    content: Content,
    batch_id: int,
    batch: list[Addressee],
    refused: list[tuple[Addressee, str]],
    schedule_id: str | None,
) -> int | None:
    """Take the *refused* recipients out of the batch *batch_id* (nothing was sent yet).

    Each is recorded ``failed`` with its own reason; the others go on in a new
    batch, whose id is returned (None when nobody is left). Should the process
    die in between, nobody is marked sent: failed rows are planned again.
    """
    log.fail_batch(batch_id, "not sent yet: a recipient of the batch was set aside")
    for recipient, reason in refused:
        one = log.start_batch(content.release, content.version, [recipient.key], schedule_id)
        log.fail_batch(one, reason)
    if not batch:
        return None
    return log.start_batch(content.release, content.version, [r.key for r in batch], schedule_id)


def deliver(prepared: Prepared, on_batch: Callable[[int], None] | None = None) -> Outcome:
    """Send to the planned recipients (or the test addresses), logging every batch.

    A batch whose outcome is unknown is recorded so and the send goes on; a
    fatal refusal, or :data:`MAX_FAILED_BATCHES` failed batches in a row,
    stops it. The recipients not reached stay planned for the next run. A
    recipient who cannot be sent to (:class:`RecipientRefused`: a name or
    address no message can carry, an address the server refuses) is failed
    with the reason, alone, and the send goes on.
    """
    content, transport = prepared.content, prepared.transport
    outcome = Outcome()
    with opened(transport):
        schedule = _schedule(prepared)
        if prepared.tests:
            proofs = [
                Delivery.to(Addressee(a, None, None, []), None, content.words, content.greeting)
                for a in prepared.tests
            ]
            transport.send(content, proofs, test=True, schedule=schedule)
            outcome.accepted = len(proofs)
            return outcome
        assert prepared.log is not None and prepared.plan is not None
        size = max(1, transport.batch_size)
        with open_log(prepared.log) as log:
            schedule_id = schedule.batch_id if schedule else None
            if schedule is not None and schedule_id is not None:
                log.add_schedule(
                    schedule_id,
                    content.release,
                    content.version,
                    schedule.send_at.isoformat(),
                    transport.name,
                )
                outcome.schedule_id = schedule_id
            failures = 0
            batches = _batches(log, prepared.plan, size, schedule_id)
            while True:
                try:
                    claimed_id, claimed = next(batches)
                except StopIteration:
                    break
                except SendLogError as exc:  # the log was deleted or replaced, or fails
                    outcome.stopped = str(exc)
                    break
                batch: list[Addressee] = []
                deliveries: list[Delivery] = []
                refused: list[tuple[Addressee, str]] = []
                for recipient in claimed:
                    try:
                        deliveries.append(_delivery(prepared, recipient))
                        batch.append(recipient)
                    except RecipientRefused as exc:
                        refused.append((recipient, exc.reason))
                batch_id: int | None = claimed_id
                if refused:
                    batch_id = _set_aside(log, content, claimed_id, batch, refused, schedule_id)
                    outcome.failed += len(refused)
                    outcome.reasons.extend(reason for _, reason in refused)
                if batch_id is None:
                    if on_batch is not None:
                        on_batch(len(claimed))
                    continue
                try:
                    ids = transport.send(content, deliveries, schedule=schedule)
                except OutcomeUnknown as exc:
                    log.unknown_batch(batch_id, exc.reason)
                    outcome.unknown += len(batch)
                    outcome.reasons.append(exc.reason)
                except RecipientRefused as exc:
                    # this recipient only (a transport that refuses one address at a time
                    # sends one per batch): failed, and never a reason to stop
                    log.fail_batch(batch_id, exc.reason)
                    outcome.failed += len(batch)
                    outcome.reasons.append(exc.reason)
                except DeliveryFailed as exc:
                    log.fail_batch(batch_id, exc.reason)
                    outcome.failed += len(batch)
                    outcome.reasons.append(exc.reason)
                    failures += 1
                    if exc.fatal or failures >= MAX_FAILED_BATCHES:
                        outcome.stopped = exc.reason
                        break
                except Exception as exc:
                    # a bug while the request was out: whether it arrived cannot be known,
                    # so the batch is never silently re-sent; the send stops, with a message
                    reason = f"an unexpected error while sending ({type(exc).__name__}: {exc})"
                    log.unknown_batch(batch_id, reason)
                    outcome.unknown += len(batch)
                    outcome.reasons.append(reason)
                    outcome.stopped = reason
                    break
                except BaseException:
                    # interrupted (Ctrl-C) while the request was out: likewise unknown
                    log.unknown_batch(batch_id, "interrupted while the batch was being sent")
                    raise
                else:
                    failures = 0
                    outcome.accepted += len(batch)
                    try:
                        log.accept_batch(
                            batch_id, dict(zip([r.key for r in batch], ids, strict=True))
                        )
                    except SendLogError as exc:
                        # sent, but not recorded: left in flight, so the next run holds
                        # these recipients as unknown instead of sending to them again
                        outcome.stopped = (
                            f"{exc} ({len(batch)} message{'s' if len(batch) != 1 else ''} "
                            "just sent could not be recorded: the next run lists them as "
                            "unknown)"
                        )
                        break
                if on_batch is not None:
                    on_batch(len(claimed))
    return outcome
