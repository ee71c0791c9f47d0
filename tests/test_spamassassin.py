"""Deliverability: Debian's SpamAssassin, with its default rules and no network
tests, scores every example release as sent (and a --test proof) at most 0.5.

The messages are the outbox's .eml files, exactly as SMTP would send them,
fed to ``spamassassin`` in one run as an mbox.
"""

from __future__ import annotations

import mailbox
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pressroom.deliver.contents import content_for
from pressroom.deliver.message import Delivery
from pressroom.deliver.outbox import Outbox
from pressroom.model.contacts import Recipient
from pressroom.model.room import Room
from pressroom.render.docx import render_docx
from pressroom.render.environment import make_environment
from pressroom.render.pdf import render_pdf
from tests.conftest import example_document, example_release_names, load_example

SPAMASSASSIN = shutil.which("spamassassin")
pytestmark = pytest.mark.needs("spamassassin")

MAX_SCORE = 0.5
ANA = Recipient(email="ana@dailyledger.example", name="Ana Ortiz", first_name="Ana")
UNSUBSCRIBE = "https://www.sidewalkcommons.example/unsubscribe/{email}"
"""As docs/format.md advises: a link whose query has ``email=`` and the recipient's
address scores a point (GB_CUSTOM_HTM_URI), as spammers' tracking links do."""
_STATUS = re.compile(
    r"^X-Spam-Status: (?:Yes|No), score=(-?[\d.]+) .*?tests=(.*?)\s+autolearn=", re.M | re.S
)


def outbox_messages(room: Room, folder: Path) -> list[tuple[str, Path]]:
    """Every example release written to an outbox for Ana, plus one --test proof."""
    outbox = Outbox(folder)
    env = make_environment()
    written = []
    for name in example_release_names():
        release = load_example(room, name)
        doc = example_document(room, name)
        artefacts = {}
        if "pdf" in release.distribution.attach:
            artefacts["pdf"] = render_pdf(doc, env)
        if "docx" in release.distribution.attach:
            artefacts["docx"] = render_docx(doc)
        content = content_for(room, release, doc, env, artefacts)
        delivery = Delivery.to(ANA, UNSUBSCRIBE.replace("{email}", "ana%40dailyledger.example"))
        outbox.send(content, [delivery])
        written.append((name, outbox.path_for(name, ANA.email)))
        if name == example_release_names()[0]:  # a proof, without unsubscribe_url (mailto:)
            outbox.send(content, [Delivery.to(ANA)], test=True)
            written.append((f"{name} (test)", outbox.path_for(name, ANA.email, test=True)))
    return written


def spam_scores(paths: list[Path], tmp_path: Path) -> list[tuple[float, list[str]]]:
    """(score, rule names) of each message, from one ``spamassassin --mbox`` run."""
    box_path = tmp_path / "messages.mbox"
    box = mailbox.mbox(box_path)
    for path in paths:
        box.add(mailbox.mboxMessage(path.read_bytes()))
    box.flush()
    box.close()
    assert SPAMASSASSIN is not None
    result = subprocess.run(
        [SPAMASSASSIN, "--local", "--mbox", "--prefspath", str(tmp_path / "user_prefs")],
        stdin=box_path.open("rb"),
        capture_output=True,
        check=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    found = _STATUS.findall(result.stdout.decode("utf-8", "replace"))
    return [(float(score), sorted(" ".join(tests.split()).split(","))) for score, tests in found]


def test_every_example_email_scores_at_most_half_a_point(
    example_room: Room, tmp_path: Path
) -> None:
    written = outbox_messages(example_room, tmp_path / "outbox")
    scores = spam_scores([path for _, path in written], tmp_path)
    assert len(scores) == len(written) >= 8
    report = {label: score for (label, _), score in zip(written, scores, strict=True)}
    too_high = {label: s for label, s in report.items() if s[0] > MAX_SCORE}
    assert not too_high, f"SpamAssassin scores above {MAX_SCORE}: {too_high}"
    # the hidden preheader once carried a colour close to the background
    assert not any("HTML_FONT_LOW_CONTRAST" in rules for _, rules in report.values())
