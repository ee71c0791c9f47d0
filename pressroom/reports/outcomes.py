"""Per release, per journalist: who received it, and what SendGrid's events say happened.

Pure functions of the send log's rows (:class:`~pressroom.sendlog.Delivery`)
and events (:class:`~pressroom.sendlog.records.Event`); nothing here reads a
file. Every count is of *unique recipients*: someone who opened a release
five times, or received it and then its correction, counts once.

A recipient is an address that received some version of the release
(``accepted``, or ``skipped``: marked done by hand). Only events of those
recipients count, so a proof sent with ``--test`` never inflates a report.

- ``delivered``: a ``delivered`` event; ``bounced``: a hard bounce or a block
  (``hard_bounced`` and ``blocked`` apart); ``opened``: any open, with
  ``opened_by_machine_only`` for those whose every open was a machine's (Apple
  Mail Privacy Protection opens each message it downloads); ``clicked``,
  ``spam_reports``, ``unsubscribed`` (either kind), ``deferred``, ``dropped``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pressroom.sendlog.forget import PREFIX as FORGOTTEN_PREFIX
from pressroom.sendlog.records import Event

if TYPE_CHECKING:
    from pressroom.sendlog import Delivery

COUNTS = ("recipients", "delivered", "bounced", "opened", "clicked", "spam_reports", "unsubscribed")
"""The keys every report has, in this order (``report --json`` promises them)."""
EXTRA_COUNTS = ("deferred", "dropped", "hard_bounced", "blocked", "opened_by_machine_only")
RECEIVED = ("accepted", "skipped")
TIMELINE_HOURS = 48
TOP_LINKS = 10
HISTORY_KINDS = ("delivered", "open", "click", "bounce", "blocked", "dropped", "deferred",
                 "spamreport", "unsubscribe", "group_unsubscribe")  # fmt: skip
KIND_OF_COUNT = {
    "delivered": ("delivered",),
    "bounced": ("bounce", "blocked"),
    "hard_bounced": ("bounce",),
    "blocked": ("blocked",),
    "opened": ("open",),
    "clicked": ("click",),
    "spam_reports": ("spamreport",),
    "unsubscribed": ("unsubscribe", "group_unsubscribe"),
    "deferred": ("deferred",),
    "dropped": ("dropped",),
}


FORGOTTEN = "(forgotten on request)"
"""What tables and charts show for a person erased on request: they still count."""


@dataclass
class Recipient:
    """One person's part of a release: what was sent, and what happened."""

    email: str
    lists: list[str]
    versions: list[str]
    sent_at: str
    kinds: set[str] = field(default_factory=set)
    human_open: bool = False
    first_open: datetime | None = None
    links: list[str] = field(default_factory=list)
    reason: str | None = None
    outlet_name: str | None = None
    """The ``outlet`` of the media list's row, when the list still has the address."""
    languages: list[str] = field(default_factory=list)
    """The language of each version received (a translation's tag, or the original's)."""

    @property
    def forgotten(self) -> bool:
        """Erased on request (``contacts forget``): counted, never named."""
        return self.email.startswith(FORGOTTEN_PREFIX)

    @property
    def shown_email(self) -> str:
        """The address as tables show it: never a forgotten person's pseudonym."""
        return FORGOTTEN if self.forgotten else self.email

    @property
    def outlet(self) -> str:
        """The outlet the media list names, or else the address's domain."""
        if self.forgotten:
            return FORGOTTEN
        return self.outlet_name or self.email.rpartition("@")[2].lower()

    @property
    def outcome(self) -> str:
        """The furthest it got, in words: clicked, opened, delivered, bounced, ..."""
        for kind, word in (
            ("spamreport", "reported as spam"),
            ("unsubscribe", "unsubscribed"),
            ("group_unsubscribe", "unsubscribed"),
            ("bounce", "bounced"),
            ("blocked", "blocked"),
            ("dropped", "dropped"),
            ("click", "clicked"),
            ("open", "opened" if self.human_open else "opened (machine)"),
            ("delivered", "delivered"),
            ("deferred", "deferred"),
            ("processed", "processed"),
        ):
            if kind in self.kinds:
                return word
        return "sent"

    def has(self, count: str) -> bool:
        if count == "recipients":
            return True
        if count == "opened_by_machine_only":
            return "open" in self.kinds and not self.human_open
        return any(kind in self.kinds for kind in KIND_OF_COUNT[count])


@dataclass
class ReleaseReport:
    release: str
    recipients: dict[str, Recipient]
    first_sent: datetime | None
    versions: list[tuple[str, int]]
    timeline: list[tuple[int, int, int]]
    """(hour after the first send, deliveries, first opens) for the first 48 hours."""
    links: list[tuple[str, int]]
    """The most clicked links: (URL, unique people who clicked it)."""
    unmatched: int = 0
    """Events of this release for addresses it was not sent to (proofs, other tools)."""
    scheduled: int = 0
    """Recipients the provider holds the release for until a time still ahead (``send
    --at``): not counted among the recipients before then."""
    scheduled_for: datetime | None = None
    """The soonest of those times."""

    def counts(self, among: Iterable[Recipient] | None = None) -> dict[str, int]:
        people = list(self.recipients.values() if among is None else among)
        return {name: sum(1 for p in people if p.has(name)) for name in COUNTS + EXTRA_COUNTS}

    def rates(self) -> dict[str, float]:
        counts = self.counts()
        sent = counts["recipients"]
        delivered = counts["delivered"]
        return {
            "delivery_rate": _share(delivered, sent),
            "bounce_rate": _share(counts["bounced"], sent),
            "open_rate": _share(counts["opened"], delivered),
            "click_rate": _share(counts["clicked"], delivered),
        }

    def by(self, what: str) -> dict[str, dict[str, int]]:
        """Counts per media list (``list``), per outlet (``outlet``: the address's domain)
        or per language received (``language``)."""
        groups: dict[str, list[Recipient]] = defaultdict(list)
        for person in self.recipients.values():
            names = {"list": person.lists, "language": person.languages[-1:] or ["-"]}
            for name in names.get(what, [person.outlet]):
                groups[name].append(person)
        return {name: self.counts(people) for name, people in sorted(groups.items())}

    def as_json(self) -> dict[str, Any]:
        """``report --json``: the seven counts at the top level, integers; the rest beside them."""
        data: dict[str, Any] = {"release": self.release, **self.counts()}
        data |= {
            "rates": self.rates(),
            "first_sent": self.first_sent.isoformat() if self.first_sent else None,
            "versions": [{"version": v, "recipients": n} for v, n in self.versions],
            "per_list": self.by("list"),
            "per_outlet": self.by("outlet"),
            "per_language": self.by("language"),
            "top_links": [{"url": url, "clicked": n} for url, n in self.links],
            "timeline": [
                {"hour": hour, "delivered": delivered, "opened": opened}
                for hour, delivered, opened in self.timeline
            ],
            "unmatched_events": self.unmatched,
            "scheduled": self.scheduled,
            "scheduled_for": self.scheduled_for.isoformat() if self.scheduled_for else None,
        }
        return data


CSV_COLUMNS = (
    "email", "outlet", "lists", "versions", "sent_at", "outcome", "delivered", "bounced",
    "opened", "opened_by_machine_only", "clicked", "spam_reports", "unsubscribed", "first_open",
    "links", "reason", "languages",
)  # fmt: skip


def csv_rows(report: ReleaseReport) -> Iterable[list[object]]:
    """``report --csv``: one row per recipient (write them with :mod:`pressroom.csvsafe`)."""
    yield list(CSV_COLUMNS)
    for person in sorted(report.recipients.values(), key=lambda p: p.email.lower()):
        yield [
            person.shown_email,
            person.outlet,
            ";".join(person.lists),
            ";".join(person.versions),
            person.sent_at,
            person.outcome,
            *(
                int(person.has(name))
                for name in ("delivered", "bounced", "opened", "opened_by_machine_only")
            ),
            *(int(person.has(name)) for name in ("clicked", "spam_reports", "unsubscribed")),
            person.first_open.isoformat() if person.first_open else "",
            " ".join(person.links),
            person.reason or "",
            ";".join(dict.fromkeys(person.languages)),
        ]


def release_report(
    release: str,
    deliveries: Sequence[Delivery],
    events: Iterable[Event],
    outlets: Mapping[str, str] | None = None,
) -> ReleaseReport:
    """The report of *release* from its log rows and the events matched to it.

    *outlets*: the outlet of each address key, from the media lists (the log
    keeps addresses and list names only); an address without one is grouped by
    its domain.
    """
    outlets = outlets or {}
    people: dict[str, Recipient] = {}
    per_version: Counter[str] = Counter()
    held = {row.key: row.scheduled_for for row in deliveries if row.scheduled_for}
    for row in deliveries:
        if row.shown_state not in RECEIVED:
            continue
        per_version[row.version] += 1
        person = people.get(row.key)
        if person is None:
            people[row.key] = Recipient(
                row.email, list(row.lists), [row.version], row.at, outlet_name=outlets.get(row.key)
            )
            people[row.key].languages = [row.language] if row.language else []
        else:
            person.lists = list(dict.fromkeys(person.lists + row.lists))
            person.versions.append(row.version)
            person.languages += [row.language] if row.language else []
            person.sent_at = min(person.sent_at, row.at)
    unmatched = 0
    clicks: dict[str, set[str]] = defaultdict(set)
    delivered_at: dict[str, datetime] = {}
    for event in events:
        person = people.get(event.key)
        if person is None:
            unmatched += 1
            continue
        person.kinds.add(event.kind)
        if event.kind == "open":
            person.human_open = person.human_open or not event.machine_open
            if person.first_open is None or event.at < person.first_open:
                person.first_open = event.at
        elif event.kind == "click" and event.url:
            clicks[event.url].add(event.key)
            if event.url not in person.links:
                person.links.append(event.url)
        elif event.kind == "delivered":
            if event.key not in delivered_at or event.at < delivered_at[event.key]:
                delivered_at[event.key] = event.at
        elif event.kind in ("bounce", "blocked", "dropped") and event.reason:
            person.reason = event.reason
    first = min((_stamp(p.sent_at) for p in people.values()), default=None)
    opens = {key: p.first_open for key, p in people.items() if p.first_open is not None}
    return ReleaseReport(
        release=release,
        recipients=people,
        first_sent=first,
        versions=[(v, n) for v, n in per_version.items()],
        timeline=_timeline(first, delivered_at.values(), opens.values()),
        links=sorted(((u, len(k)) for u, k in clicks.items()), key=lambda x: (-x[1], x[0]))[
            :TOP_LINKS
        ],
        unmatched=unmatched,
        scheduled=len(held.keys() - people.keys()),
        scheduled_for=min((_stamp(at) for at in held.values()), default=None),
    )


def _timeline(
    first: datetime | None, delivered: Iterable[datetime], opened: Iterable[datetime | None]
) -> list[tuple[int, int, int]]:
    if first is None:
        return []
    bins = [[0, 0] for _ in range(TIMELINE_HOURS)]
    for column, moments in enumerate((delivered, opened)):
        for moment in moments:
            if moment is None:
                continue
            hour = int((moment - first) // timedelta(hours=1))
            if 0 <= hour < TIMELINE_HOURS:
                bins[hour][column] += 1
    return [(hour, d, o) for hour, (d, o) in enumerate(bins)]


def _stamp(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@dataclass(frozen=True)
class HistoryRow:
    """One release sent to one journalist, for ``pressroom log --to``."""

    release: str
    version: str
    state: str
    at: str
    outcome: str
    kinds: tuple[str, ...]
    links: tuple[str, ...]


def history(sent: Sequence[tuple[str, Delivery]], events: Iterable[Event]) -> list[HistoryRow]:
    """What happened to each release sent to one address (*sent*: (release, row) pairs)."""
    by_release: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for event in events:
        if event.release:
            by_release[(event.release, event.version or "")].append(event)
    rows = []
    for release, row in sent:
        mine = by_release.get((release, row.version), [])
        person = Recipient(row.email, row.lists, [row.version], row.at)
        for event in mine:
            person.kinds.add(event.kind)
            if event.kind == "open" and not event.machine_open:
                person.human_open = True
            if event.kind == "click" and event.url and event.url not in person.links:
                person.links.append(event.url)
        outcome = person.outcome if row.shown_state in RECEIVED else row.shown_state
        order = [k for k in HISTORY_KINDS if k in person.kinds]
        rows.append(
            HistoryRow(
                release,
                row.version,
                row.shown_state,
                row.scheduled_for or row.at,
                outcome,
                tuple(order),
                tuple(person.links),
            )  # fmt: skip
        )
    return rows
