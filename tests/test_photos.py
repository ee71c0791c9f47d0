"""Photos reach the journalist, the email's claims about them are true, its
attachments fit, and the logo is in it: end to end through ``pressroom send``
to the outbox (read back with the strict parser), SMTP (aiosmtpd) and the
SendGrid-compatible server, and ``pressroom site`` for the linked copies."""

from __future__ import annotations

import re
import shutil
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.cli_runner import run
from tests.conftest import REPO
from tests.sendgrid_server import SendGridServer, check_mail
from tests.test_unsubscribe import _Inbox, smtp_inbox  # noqa: F401  (the fixture)

PHOTO = "assets/camera-mast-dusk.jpg"
NEWSROOM = "https://press.example.org/"
RELEASE = "2026-11-20-parks"
ROOM = """\
org:
  name: Example Justice Network
  website: https://example.org
  address: 100 Main St, Oakland, CA 94612
  logo: assets/logo.png
{extra_org}sender:
  email: press@example.org
people:
  dana-reyes: {{name: Dana Reyes, title: Director, email: dana@example.org}}
contacts: [dana-reyes]
timezone: America/New_York
{delivery}"""
PARKS = """\
dateline: OAKLAND, Calif.
headline: City Opens Three New Parks
body: The city opened three new parks today after a long campaign by residents and groups.
images:
  - {file: assets/camera-mast-dusk.jpg, caption: The new park at dusk., credit: Photo by Ana, alt: A park.}
  - {file: assets/diagram.png, caption: The map., credit: Drawing by Ben, alt: A map.}
distribution:
  lists: [press]
"""


def make(tmp_path: Path, release: str = PARKS, extra_org: str = "", delivery: str = "") -> Path:
    root = tmp_path / "room"
    (root / "releases").mkdir(parents=True)
    (root / "contacts").mkdir()
    (root / "assets").mkdir()
    shutil.copy(REPO / PHOTO, root / PHOTO)
    shutil.copy(REPO / "assets" / "logo.png", root / "assets" / "logo.png")
    shutil.copy(REPO / "assets" / "logo.png", root / "assets" / "diagram.png")
    (root / "pressroom.yaml").write_text(ROOM.format(extra_org=extra_org, delivery=delivery))
    (root / "releases" / f"{RELEASE}.yaml").write_text(release)
    (root / "contacts" / "press.csv").write_text("email,first_name\nana@ledger.example,Ana\n")
    return root


def sent(root: Path) -> EmailMessage:
    [path] = (root / ".pressroom" / "outbox" / RELEASE).glob("*.eml")
    message = message_from_bytes(path.read_bytes(), policy=policy.strict)
    assert isinstance(message, EmailMessage) and not message.defects
    return message


def html_of(message: EmailMessage) -> str:
    part = message.get_body(("html",))
    assert part is not None
    return str(part.get_content())


def text_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def img_tags(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def test_photos_are_attached_when_the_room_has_no_newsroom(tmp_path, capsys):
    root = make(tmp_path)
    result = run(capsys, root, "send", RELEASE, "--yes")
    assert result.code == 0, result.err
    message = sent(root)
    files = {
        part.get_filename(): (part.get_content_type(), part.get_content())
        for part in message.iter_attachments()
    }
    assert files["camera-mast-dusk.jpg"] == ("image/jpeg", (root / PHOTO).read_bytes())
    assert files["diagram.png"] == ("image/png", (root / "assets" / "diagram.png").read_bytes())
    for name in ("camera-mast-dusk.jpg", "diagram.png"):
        assert f"Photo (attached): {name}" in html_of(message)
        assert f"Photo (attached): {name}" in text_of(message)
    # the logo: inline, shown by cid, with the organisation's name as alt text
    [logo] = img_tags(html_of(message))
    assert 'src="cid:logo@example.org"' in logo and 'alt="Example Justice Network"' in logo
    [inline] = [p for p in message.walk() if p["Content-ID"] == "<logo@example.org>"]
    assert inline.get_content_type() == "image/png"
    assert inline.get_content() == (root / "assets" / "logo.png").read_bytes()


def test_photos_are_linked_to_the_newsroom_that_publishes_them(tmp_path, capsys):
    root = make(tmp_path, extra_org=f"  newsroom: {NEWSROOM}\n")
    assert run(capsys, root, "send", RELEASE, "--yes").code == 0
    message = sent(root)
    assert [p.get_content_type() for p in message.iter_attachments()] == ["application/pdf"]
    html, text = html_of(message), text_of(message)
    assert "(attached)" not in html + text
    photo_url = f"{NEWSROOM}{RELEASE}/camera-mast-dusk.jpg"
    assert f'<a href="{photo_url}"' in html and photo_url in text
    [logo] = img_tags(html)
    assert f'src="{NEWSROOM}assets/logo.png"' in logo and 'alt="Example Justice Network"' in logo
    assert "cid:" not in html
    # the links are true: the newsroom puts the files exactly there
    site = tmp_path / "site"
    assert run(capsys, root, "site", "--out", str(site), "--use-pressroom-now").code == 0
    assert (site / RELEASE / "camera-mast-dusk.jpg").read_bytes() == (root / PHOTO).read_bytes()
    assert (site / RELEASE / "diagram.png").is_file()
    assert (site / "assets" / "logo.png").is_file()


def test_an_email_never_claims_a_photo_it_does_not_carry(tmp_path, capsys):
    root = make(tmp_path, PARKS.replace("  lists: [press]", "  lists: [press]\n  attach: [pdf]"))
    checked = run(capsys, root, "check")
    assert "image-not-sent" in checked.out + checked.err
    assert run(capsys, root, "send", RELEASE, "--yes").code == 0
    message = sent(root)
    assert [p.get_filename() for p in message.iter_attachments()] == [f"{RELEASE}.pdf"]
    assert "(attached)" not in html_of(message) + text_of(message)
    assert "Photo: camera-mast-dusk.jpg" in text_of(message)


def test_attachments_over_the_limit_are_a_check_error_and_send_refuses(tmp_path, capsys):
    root = make(tmp_path, delivery="delivery:\n  max_attachments_mb: 0.05\n")
    checked = run(capsys, root, "check")
    assert checked.code == 1
    report = checked.out + checked.err
    assert f"releases/{RELEASE}.yaml" in report and "attachments-too-large" in report
    assert "over the limit of 0.1 MB" in report or "over the limit of 0.0 MB" in report
    refused = run(capsys, root, "send", RELEASE, "--yes")
    assert refused.code != 0
    assert not (root / ".pressroom" / "outbox" / RELEASE).exists()


def test_send_weighs_the_rendered_files_too(tmp_path, capsys):
    """Photos and logo fit (check passes); with the PDF they do not: send refuses."""
    root = make(tmp_path, delivery="delivery:\n  max_attachments_mb: 0.2\n")
    assert run(capsys, root, "check").code == 0
    refused = run(capsys, root, "send", RELEASE, "--yes")
    assert refused.code != 0
    assert "attachments weigh" in refused.err and f"{RELEASE}.pdf" in refused.err
    assert not list((root / ".pressroom" / "outbox").rglob("*.eml"))


def test_a_limit_above_sendgrids_is_refused(tmp_path, capsys):
    root = make(tmp_path, delivery="delivery:\n  max_attachments_mb: 40\n")
    result = run(capsys, root, "check")
    assert result.code != 0 and "max_attachments_mb" in result.out + result.err


def test_smtp_carries_photos_and_inline_logo(tmp_path, capsys, smtp_inbox):  # noqa: F811
    inbox, port = smtp_inbox
    root = make(
        tmp_path,
        delivery=f"delivery:\n  transport: smtp\n"
        f"  smtp: {{host: 127.0.0.1, port: {port}, security: none}}\n",
    )
    result = run(capsys, root, "send", RELEASE, "--yes")
    assert result.code == 0, result.err
    raw = inbox.raw["ana@ledger.example"]
    message = message_from_bytes(raw, policy=policy.strict)
    assert isinstance(message, EmailMessage) and not message.defects
    types = {p.get_filename(): p.get_content_type() for p in message.iter_attachments()}
    assert types == {
        f"{RELEASE}.pdf": "application/pdf",
        "camera-mast-dusk.jpg": "image/jpeg",
        "diagram.png": "image/png",
    }
    assert any(p["Content-ID"] == "<logo@example.org>" for p in message.walk())


def test_sendgrid_gets_photos_and_the_inline_logo(tmp_path, capsys, monkeypatch):
    root = make(tmp_path)
    with SendGridServer() as server:
        monkeypatch.setenv("SENDGRID_API_KEY", server.api_key)
        monkeypatch.setenv("PRESSROOM_SENDGRID_URL", server.url)
        result = run(capsys, root, "send", RELEASE, "--yes")
        assert result.code == 0, result.err
        [request] = server.sent
    attachments = request.payload["attachments"]
    assert [(a["filename"], a["type"], a["disposition"]) for a in attachments] == [
        (f"{RELEASE}.pdf", "application/pdf", "attachment"),
        ("camera-mast-dusk.jpg", "image/jpeg", "attachment"),
        ("diagram.png", "image/png", "attachment"),
        ("logo.png", "image/png", "inline"),
    ]
    assert attachments[-1]["content_id"] == "logo@example.org"


@pytest.mark.parametrize(
    ("attachment", "field"),
    [
        ({"content": "aGk=", "filename": "logo.png", "disposition": "inline"}, "content_id"),
        ({"content": "aGk=", "filename": "a.png", "type": "image/png; x=1"}, "type"),
    ],
)
def test_the_sendgrid_server_refuses_what_sendgrid_refuses(attachment, field) -> None:
    payload = {
        "from": {"email": "press@example.org"},
        "subject": "s",
        "content": [{"type": "text/plain", "value": "x"}],
        "personalizations": [{"to": [{"email": "a@example.org"}]}],
        "attachments": [attachment],
        "headers": {"X-Ok": "yes"},
    }
    errors = check_mail(payload, 0)
    assert [e["field"] for e in errors] == [f"attachments.0.{field}"]
    payload["attachments"] = []
    payload["headers"] = {"X-Bad": "a\r\nBcc: x@example.org"}
    assert [e["field"] for e in check_mail(payload, 0)] == ["headers.X-Bad"]


def test_a_linked_photo_of_an_embargoed_release_says_when_it_is_online(tmp_path, capsys):
    """The newsroom holds an embargoed release back: the link says so."""
    embargoed = "status: embargoed\nembargo: 2026-12-01 09:00 America/New_York\ndate: 2026-12-01\n"
    embargoed += PARKS
    root = make(tmp_path, embargoed, extra_org=f"  newsroom: {NEWSROOM}\n")
    assert run(capsys, root, "send", RELEASE, "--yes").code == 0
    text = " ".join(text_of(sent(root)).split())
    assert (
        f"Photo: {NEWSROOM}{RELEASE}/camera-mast-dusk.jpg (online when the embargo lifts)" in text
    )
