"""The preview's page data, without a server or a browser (see test_serve.py for those)."""

from __future__ import annotations

import re

import pytest

from pressroom.errors import LoadError
from pressroom.serve.files import NoSuchRelease
from pressroom.serve.layout import countdown, links_open_outside
from pressroom.serve.pages import Preview
from tests.conftest import MakeRoom

RELEASE = """\
status: embargoed
embargo: 2026-12-01 09:00 America/New_York
dateline: OAKLAND, Calif.
headline: Parks Stay Open Late
body:
  - The city will keep its parks open until 10 p.m. from December, after a year
    of campaigning by residents who asked for safe, lit places to walk in the
    evening. The change covers every park in the city and begins on the first
    day of the month, the council said in a statement published this morning.
distribution:
  lists: [reporters]
"""
REPORTERS = "email,name\nana@ledger.example,Ana\nbo@wire.example,Bo\nnot-an-address,X\n"


def test_index_newest_first_with_unreadable_files_in_place(make_room: MakeRoom) -> None:
    root = make_room(
        {
            "releases/2026-12-01-parks.yaml": RELEASE,
            "releases/2026-12-05-broken.yaml": "headline: Broken Release\nbody: [\n",
            "releases/2026-11-10-old.yaml": RELEASE.replace("Parks Stay", "Old Parks"),
        }
    )
    page = Preview(root).index()
    assert [e.name for e in page.entries] == [
        "2026-12-05-broken",
        "2026-12-01-parks",
        "2026-11-10-old",
    ]
    broken, parks, _ = page.entries
    assert broken.status == "unreadable" and broken.headline == "Broken Release"
    assert broken.errors == 1
    assert parks.status == "embargoed" and not parks.embargo_passed
    assert parks.embargo_text == "9:00\u202fAM EST, Tuesday, December 1, 2026"


def test_release_page_counts_recipients_without_addresses(make_room: MakeRoom) -> None:
    root = make_room(
        {"releases/2026-12-01-parks.yaml": RELEASE, "contacts/reporters.csv": REPORTERS}
    )
    page = Preview(root).release("2026-12-01-parks")
    assert page.email is not None and page.email.subject.startswith("EMBARGOED UNTIL")
    assert page.recipients is not None
    [counted] = page.recipients.lists
    assert (counted.name, counted.recipients, counted.invalid) == ("reporters", 2, 1)
    assert page.recipients.unique == 2
    # the row itself, and the release that send would refuse because of it
    bad_row, refused = sorted(page.errors, key=lambda view: view.location)
    assert bad_row.location == "contacts/reporters.csv:4"
    assert refused.problem.code == "invalid-rows" and refused.problem.key == "distribution.lists"
    assert "send refuses" in refused.problem.message
    assert page.pdf_version  # the PDF's address names its content


def test_a_broken_release_gives_its_problems_with_the_lines_around(make_room: MakeRoom) -> None:
    root = make_room(
        {"releases/2026-12-01-parks.yaml": RELEASE.replace("status: embargoed", "status: embargo")}
    )
    page = Preview(root).release("2026-12-01-parks")
    assert not page.entry.readable and page.email is None
    [problem] = page.problems
    assert problem.location.startswith("releases/2026-12-01-parks.yaml:1:")
    assert "status" in problem.problem.key
    assert [(line.number, line.marked) for line in problem.excerpt] == [
        (1, True),
        (2, False),
        (3, False),
    ]


def test_a_broken_email_template_is_a_message_on_the_page(make_room: MakeRoom) -> None:
    root = make_room(
        {
            "releases/2026-12-01-parks.yaml": RELEASE,
            "templates/email.html.j2": "<p>{{ doc.no_such_thing }}</p>\n",
        }
    )
    page = Preview(root).release("2026-12-01-parks")
    assert page.email is None
    assert "no_such_thing" in page.email_error


def test_unknown_names_and_a_broken_room(make_room: MakeRoom) -> None:
    root = make_room({"releases/2026-12-01-parks.yaml": RELEASE})
    for name in ("nope", "../pressroom", ".hidden", "2026-12-01-parks.yaml"):
        with pytest.raises(NoSuchRelease):
            Preview(root).release(name)
    (root / "pressroom.yaml").write_text("org: [\n", encoding="utf-8")
    with pytest.raises(LoadError):
        Preview(root).index()


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(7 * 86400 + 3 * 3600 + 59, "7 d 3 h"), (5 * 3600 + 12 * 60, "5 h 12 min"), (59, "0 min")],
)
def test_countdown(seconds: float, text: str) -> None:
    assert countdown(seconds) == text


def test_links_in_the_email_frame_open_a_tab() -> None:
    html = '<html><head lang="en"><meta charset="utf-8"></head><body><a href="x">x</a></body>'
    assert links_open_outside(html).startswith('<html><head lang="en"><base target="_blank"><meta')


def test_the_send_logs_are_where_pressroom_send_writes_them() -> None:
    from pressroom.deliver.transports import OUTBOX_LOG, SEND_LOG
    from pressroom.serve.sent import SEND_LOGS

    assert dict(SEND_LOGS) == {"sent": SEND_LOG, "outbox": OUTBOX_LOG}


def test_a_release_edited_after_it_was_sent_says_so(make_room: MakeRoom) -> None:
    from pressroom.deliver.transports import SEND_LOG
    from pressroom.load.room import load_room
    from pressroom.model.contacts import Recipient
    from pressroom.sendlog import SendLog
    from pressroom.sendlog.version import release_version
    from tests.conftest import load_example

    root = make_room({"releases/2026-12-01-parks.yaml": RELEASE})
    name = "2026-12-01-parks"
    current = release_version(load_room(root), load_example(load_room(root), name))
    ana = Recipient(email="ana@ledger.example")

    def send(version: str, correction: bool = False) -> None:
        with SendLog.open(root / SEND_LOG) as log:
            log.plan(name, version, [ana], correction=correction)
            log.accept_batch(log.start_batch(name, version, [ana.key]), "msg")

    send("an-earlier-version")
    [entry] = Preview(root).index().entries
    assert entry.changed_since_sent and entry.version == current

    send(current, correction=True)  # the correction went out: the latest version sent is this one
    [entry] = Preview(root).index().entries
    assert not entry.changed_since_sent and [s.accepted for s in entry.sent] == [1]

    (root / "releases" / f"{name}.yaml").write_text("headline: Broken: now\n")
    [entry] = Preview(root).index().entries
    assert entry.status == "unreadable" and not entry.changed_since_sent


def test_the_email_preview_shows_the_logo_the_journalist_will_see(room) -> None:
    """Sent emails carry the logo inline (cid:); the preview showed the name as text."""
    page = Preview(room).release("2026-11-23-streetsight-suspended")
    assert page.email is not None
    [logo] = re.findall(r'<img class="logo"[^>]*>', page.email.html)
    assert 'src="data:image/png;base64,iVBOR' in logo and 'alt="Sidewalk Commons"' in logo
