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
:mod:`~pressroom.deliver.corrections` (``--correction``),
:mod:`~pressroom.deliver.suppressions`, :mod:`~pressroom.deliver.languages`
(who gets which language) and :mod:`~pressroom.deliver.contents` (each
language's message, rendered once).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from pressroom.check.placeholders import room_placeholders
from pressroom.check.rules import check_release
from pressroom.check.translations import stale_translations
from pressroom.clock import now
from pressroom.deliver.addressees import deliveries as batch_deliveries
from pressroom.deliver.addressees import delivery
from pressroom.deliver.batching import claimed_batches, set_aside
from pressroom.deliver.contents import language_content, set_fingerprints
from pressroom.deliver.corrections import (
    correction_recipients,
    require_correction_note,
    require_new_sequence,
)
from pressroom.deliver.languages import assign, languages_of, stale_refusal
from pressroom.deliver.message import Content, Delivery
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
from pressroom.errors import ProblemsError, SendLogError, UsageError
from pressroom.model.address import address_problem
from pressroom.model.contacts import Addressee, Recipient
from pressroom.model.release import Release
from pressroom.model.room import Room
from pressroom.render.printer import stop_early
from pressroom.sendlog import Location, Plan, open_log
from pressroom.sendlog.approval_status import require_approval
from pressroom.sendlog.planning import FIRST_KEPT
from pressroom.sendlog.room_logs import ever_sent
from pressroom.sendlog.version import current_version, manifest_of

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
    contents: dict[str, Content] = field(default_factory=dict)
    """The content of each language (the original's tag first, then each translation's):
    a batch is one language, so each is rendered once (see :mod:`.languages`)."""
    stale: dict[str, list[str] | None] = field(default_factory=dict)
    """Translations made from an earlier text of the original: tag -> the keys that
    changed (None: it cannot tell). Sent only when the user said so (``allow_stale``)."""

    @property
    def count(self) -> int:
        """How many messages the send makes: the planned recipients, or the proofs."""
        return self.plan.to_send if self.plan else len(self.tests) * max(1, len(self.contents))

    def content_in(self, language: str) -> Content:
        """The content for *language* (the original's for a row of an older log: "")."""
        return self.contents.get(language) or self.content


@dataclass
class Outcome:
    accepted: int = 0
    failed: int = 0
    unknown: int = 0
    reasons: list[str] = field(default_factory=list)
    stopped: str | None = None
    """Why the send stopped before the end (a fatal answer, repeated failures)."""
    schedule_id: str | None = None


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
    allow_stale: bool = False,
) -> Prepared:
    """Check, render and plan a send of *release*; nothing is sent.

    The lists are read as the plan goes, never held whole; the plan keeps the
    first *shown* recipients to send to (all of them if None) for a dry run.
    Each recipient gets the version in their list's language (:mod:`.languages`);
    a translation made from an earlier text of the original is refused unless
    *allow_stale* (a dry run shows it).
    """
    from pressroom.render.environment import room_environment

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
    languages = languages_of(room, release)
    stale = dict(stale_translations(release))
    if stale and not (allow_stale or dry_run or tests):
        raise UsageError(stale_refusal(release, languages, stale))
    if not (tests or dry_run):
        require_approval(room, release, current_version(room, release))
    transport, where = choose_transport(room)
    if send_at is not None and not (isinstance(transport, Scheduler) or transport.name == "outbox"):
        raise UsageError(
            f"--at: the {transport.name} transport cannot hold messages until a time; "
            "scheduling needs SendGrid (set SENDGRID_API_KEY), or run the send at that time"
        )
    env = room_environment(room)  # compiled templates kept, as for build
    contents: dict[str, Content] = {}
    for tag, version_of in languages.releases.items():
        contents[tag] = language_content(room, release, version_of, env, correction)
    content = contents[languages.original]
    stop_early()  # every PDF is printed (or was found printed): the printer's core is free
    preflight = getattr(transport, "preflight", None)
    if callable(preflight):
        for each in contents.values():
            preflight(each)  # a message the provider would refuse whole stops here
    prepared = Prepared(
        release,
        content,
        transport,
        lists={},
        plan=None,
        send_at=send_at,
        correction=correction,
        unsubscribe_url=room.config.delivery.unsubscribe_url,
        contents=contents,
        stale=stale,
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
            assign(recipients, languages),
            subject=content.subject,
            artefacts=set_fingerprints(contents, languages.original),
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


def _delivery(
    prepared: Prepared,
    recipient: Addressee,
    content: Content,
    greetings: dict[str | None, str] | None = None,
) -> Delivery:
    """*recipient*'s delivery of *content*: :func:`.addressees.delivery`."""
    return delivery(recipient, content, prepared.transport, prepared.unsubscribe_url, greetings)


def _schedule(prepared: Prepared) -> Schedule | None:
    """A provider batch for ``--at``, made only once the user has confirmed."""
    if prepared.send_at is None:
        return None
    if isinstance(prepared.transport, Scheduler):
        return prepared.transport.new_schedule(prepared.send_at)
    stamp = prepared.send_at.strftime("%Y%m%dT%H%M%SZ")
    return Schedule(prepared.send_at, f"rehearsal-{prepared.content.version}-{stamp}")


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
            for proof in prepared.contents.values() or [content]:  # a proof of each language
                proofs = [
                    Delivery.to(Addressee(a, None, None, []), None, proof.words, proof.greeting)
                    for a in prepared.tests
                ]
                transport.send(proof, proofs, test=True, schedule=schedule)
                outcome.accepted += len(proofs)
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
            languages = list(prepared.contents)
            batches = claimed_batches(log, prepared.plan, size, schedule_id, languages)
            while True:
                try:
                    claimed_id, claimed, language = next(batches)
                except StopIteration:
                    break
                except SendLogError as exc:  # the log was deleted or replaced, or fails
                    outcome.stopped = str(exc)
                    break
                sent = prepared.content_in(language)  # one language a batch
                deliveries, batch, refused = batch_deliveries(
                    claimed, sent, transport, prepared.unsubscribe_url
                )
                batch_id: int | None = claimed_id
                if refused:
                    batch_id = set_aside(log, content, claimed_id, batch, refused, schedule_id)
                    outcome.failed += len(refused)
                    outcome.reasons.extend(reason for _, reason in refused)
                if batch_id is None:
                    if on_batch is not None:
                        on_batch(len(claimed))
                    continue
                try:
                    ids = transport.send(sent, deliveries, schedule=schedule)
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
