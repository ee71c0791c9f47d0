"""The example press room at the repository's root shows how overrides work:
its templates/ folder replaces the bundled email footer, and the README's
first command (build, then send) uses it."""

from __future__ import annotations

import email
import re
from email import policy

from tests.cli_runner import run
from tests.conftest import REPO

RELEASE = "2026-11-23-streetsight-suspended"
LINE = "You receive our press releases because you cover civil liberties"


def test_the_example_rooms_footer_override_is_documented_and_used(room, capsys):
    # documented: every file templates/README.md names is there and overrides a bundled one
    readme = (REPO / "templates" / "README.md").read_text(encoding="utf-8")
    named = re.findall(r"^\| `([^`]+)` \|", readme, flags=re.M)
    assert named == ["email-footer.html.j2", "email-footer.txt.j2"]
    for name in named:
        assert (REPO / "templates" / name).is_file()
        assert (REPO / "pressroom" / "templates" / name).is_file()  # a real bundled name

    # the README's first command: build, then send
    assert ".venv/bin/pressroom build && .venv/bin/pressroom send streetsight-suspended --yes" in (
        (REPO / "README.md").read_text(encoding="utf-8")
    )
    built = run(capsys, room, "build")
    assert built.code == 0, built.err
    folder = room / "build" / RELEASE
    for suffix in ("html", "txt"):
        assert LINE in " ".join((folder / f"{RELEASE}.{suffix}").read_text("utf-8").split())

    sent = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert sent.code == 0, sent.err
    eml = sorted((room / ".pressroom" / "outbox" / RELEASE).glob("*.eml"))[0]
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    for kind in ("plain", "html"):
        body = " ".join(message.get_body((kind,)).get_content().split())
        assert LINE in body and "Unsubscribe" in body.replace("unsubscribe", "Unsubscribe")
        assert "2418 St. Paul Street, Suite 3, Baltimore, MD 21218" in body


def test_a_footer_override_without_the_unsubscribe_line_is_never_sent(room, capsys):
    footer = room / "templates" / "email-footer.html.j2"
    text = footer.read_text(encoding="utf-8")
    footer.write_text(re.sub(r"\{% if unsubscribe %\}.*?\{% endif %\}", "", text, flags=re.S))
    refused = run(capsys, room, "send", "streetsight-suspended", "--yes")
    assert refused.code != 0
    assert "the HTML email has no unsubscribe link" in refused.err
    assert "email-footer.html.j2" in refused.err and "Traceback" not in refused.err
    assert not (room / ".pressroom" / "outbox" / RELEASE).exists()


def test_outside_the_example_the_bundled_footer_is_unchanged(make_room, capsys):
    root = make_room({f"releases/{RELEASE}.yaml": "headline: Lights Out\nbody: [The text.]\n"})
    built = run(capsys, root, "build", "--format", "txt")
    assert built.code == 0, built.err
    text = (root / "build" / RELEASE / f"{RELEASE}.txt").read_text(encoding="utf-8")
    assert "You receive our press releases" not in text
    assert text.rstrip().endswith("100 Main St, Oakland, CA 94612\nhttps://example.org")
