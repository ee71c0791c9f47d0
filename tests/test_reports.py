"""Reports from the log's rows and events: pure functions, exact counts of people."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

from pressroom import csvsafe
from pressroom.events.parse import Event
from pressroom.reports.outcomes import COUNTS, csv_rows, history, release_report
from pressroom.sendlog import Delivery

AT = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def row(
    email: str, version: str = "v1", state: str = "accepted", lists: list[str] | None = None
) -> Delivery:
    return Delivery(email, lists or ["national"], state, version, "MSG", AT.isoformat(), None, 1)


def ev(n: int, kind: str, email: str, hours: float = 0, **more: object) -> Event:
    return Event(
        event_id=str(n),
        kind=kind,
        email=email,
        at=AT + timedelta(hours=hours),
        release="r",
        version="v1",
        **more,
    )  # type: ignore[arg-type]


def test_people_are_counted_once_over_versions_and_proofs_not_at_all() -> None:
    rows = [row("ana@x.example"), row("ana@x.example", "v2"), row("ben@y.example"),
            row("cy@y.example", state="failed"), row("di@z.example", state="skipped", lists=["local"])]  # fmt: skip
    events = [
        ev(1, "delivered", "ana@x.example", 0.5), ev(2, "delivered", "ANA@x.example", 30),
        ev(3, "open", "ana@x.example", 1, machine_open=True), ev(4, "open", "ana@x.example", 2),
        ev(5, "click", "ana@x.example", 2, url="https://e.example/a"),
        ev(6, "bounce", "ben@y.example", 0.1, reason="550 gone"),
        ev(7, "open", "di@z.example", 50, machine_open=True),  # after 48 hours: not in the timeline
        ev(8, "delivered", "proof@office.example"), ev(9, "delivered", "cy@y.example"),
    ]  # fmt: skip
    report = release_report("r", rows, events)
    data = json.loads(json.dumps(report.as_json()))
    assert {k: data[k] for k in COUNTS} == {"recipients": 3, "delivered": 1, "bounced": 1, "opened": 2,
                                            "clicked": 1, "spam_reports": 0, "unsubscribed": 0}  # fmt: skip
    assert list(data)[: len(COUNTS) + 1] == ["release", *COUNTS]
    assert data["opened_by_machine_only"] == 1  # di; ana opened herself too
    assert data["unmatched_events"] == 2  # the proof, and cy whose send failed
    assert data["versions"] == [
        {"version": "v1", "recipients": 3},
        {"version": "v2", "recipients": 1},
    ]
    assert data["per_list"]["local"]["recipients"] == 1
    assert data["timeline"][0] == {"hour": 0, "delivered": 1, "opened": 0}
    assert data["timeline"][1] == {"hour": 1, "delivered": 0, "opened": 1}  # her first open only
    assert sum(h["opened"] for h in data["timeline"]) == 1

    out = io.StringIO()
    writer = csvsafe.writer(out)
    for line in csv_rows(report):
        writer.writerow(line)
    table = {r["email"]: r for r in csv.DictReader(io.StringIO(out.getvalue()))}
    assert (
        table["ana@x.example"]["versions"] == "v1;v2"
        and table["ana@x.example"]["outcome"] == "clicked"
    )
    assert (
        table["ben@y.example"]["reason"] == "550 gone" and table["ben@y.example"]["bounced"] == "1"
    )


def test_a_formula_in_an_address_or_link_is_written_as_text() -> None:
    report = release_report(
        "r", [row("=cmd@x.example")], [ev(1, "click", "=cmd@x.example", url="=HYPERLINK(1)")]
    )
    out = io.StringIO()
    writer = csvsafe.writer(out)
    for line in csv_rows(report):
        writer.writerow(line)
    assert "'=cmd@x.example" in out.getvalue() and "'=HYPERLINK(1)" in out.getvalue()


def test_one_journalists_history() -> None:
    sent = [("r", row("ana@x.example")), ("s", row("ana@x.example", "v7", state="suppressed"))]
    rows = history(
        sent,
        [
            ev(1, "delivered", "ana@x.example"),
            ev(2, "click", "ana@x.example", url="https://e.example/"),
        ],
    )
    assert [(h.release, h.outcome, h.kinds, h.links) for h in rows] == [
        ("r", "clicked", ("delivered", "click"), ("https://e.example/",)),
        ("s", "suppressed", (), ()),
    ]
