"""The batches of a send, as :func:`pressroom.deliver.send.deliver` takes them: each
claimed ``in_flight`` in the send log before it is sent, one language a batch (the
unknown outcomes the user chose to send again first), and a refused recipient set
aside, failed alone, before anything leaves."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pressroom.deliver.message import Content
from pressroom.model.contacts import Addressee
from pressroom.sendlog import Plan, SendLog


def claimed_batches(
    log: SendLog, plan: Plan, size: int, schedule_id: str | None, languages: Sequence[str]
) -> Iterator[tuple[int, list[Addressee], str]]:
    """The batches to send, each ``in_flight`` in the log before it is yielded, with
    the language all its recipients get (one batch, one language: one rendering).

    First the unknown outcomes the user chose to send again (by address, in the
    language planned for them), then whatever is planned, claimed from the log
    batch by batch and language by language (*languages*, then "" for rows an
    older pressroom planned): another sender on the same PostgreSQL log claims
    other rows, never these.
    """
    again = plan.resend
    planned = log.languages_of(plan.release, plan.version, again) if again else {}
    for language in dict.fromkeys(planned.get(key, "") for key in again):
        group = [key for key in again if planned.get(key, "") == language]
        for start in range(0, len(group), size):
            keys = group[start : start + size]
            log.check_intact()
            batch_id = log.start_batch(plan.release, plan.version, keys, schedule_id)
            yield batch_id, log.batch_recipients(batch_id), language
    for language in [*languages, ""]:
        while True:
            log.check_intact()  # a log deleted or replaced mid-send stops the send here
            claimed = log.claim_batch(plan.release, plan.version, size, schedule_id, language)
            if claimed is None:
                break
            yield (*claimed, language)


def set_aside(
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
