"""The same front matter in every format: each type of release shows its date
and its dateline in the HTML email, the text email, the PDF, the Word document
and the newsroom page, wherever the release has them."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from pressroom.load.room import load_room
from pressroom.render.context import document
from pressroom.render.docx import render_docx
from pressroom.render.email import render_email
from pressroom.render.environment import make_environment
from pressroom.render.pdf import render_pdf
from tests.cli_runner import run
from tests.conftest import MakeRoom, load_example

BODY = "body: The council voted today on the ordinance that residents asked for.\n"
EXTRA = {
    "press-release": "",
    "statement": "",
    "open-letter": (
        "addressees: [{name: Celeste Varnum, title: Mayor}]\n"
        "salutation: Dear Mayor Varnum,\nclosing: Sincerely,\nsignatories: [Sidewalk Commons]\n"
    ),
    "media-advisory": "event:\n  what: A rally.\n  when: 2026-12-09 10:00\n",
}
DATELINE = "TOWSON, Md."
DATE = "December 8, 2026"


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("kind", list(EXTRA))
def test_every_type_shows_date_and_dateline_in_every_format(make_room: MakeRoom, kind: str) -> None:
    root = make_room(
        {
            "releases/2026-12-08-x.yaml": f"type: {kind}\ndate: 2026-12-08\n"
            f"dateline: {DATELINE}\nheadline: Council Votes\n{BODY}{EXTRA[kind]}"
        }
    )
    room = load_room(root)
    doc = document(room, load_example(room, "2026-12-08-x"))
    env = make_environment()
    email = render_email(doc, env)
    pdf = PdfReader(io.BytesIO(render_pdf(doc, env)))
    pdf_text = squash(" ".join(page.extract_text() for page in pdf.pages))
    word = docx.Document(io.BytesIO(render_docx(doc)))
    word_text = squash(" ".join(p.text for p in word.paragraphs))
    shown = {
        "html": squash(re.sub(r"<[^>]+>", " ", email.html)),
        "text": squash(email.text),
        "pdf": pdf_text,
        "docx": word_text,
    }
    for where, text in shown.items():
        assert DATELINE in text, f"{kind}: no dateline in the {where}"
        assert DATE in text, f"{kind}: no date in the {where}"
        # dateline and date together, as one line of front matter
        assert re.search(rf"{re.escape(DATELINE)},? {DATE}", text), (kind, where)


def test_the_newsroom_page_of_a_letter_is_dated_too(
    make_room: MakeRoom, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_room(
        {
            "releases/2026-11-20-x.yaml": "type: open-letter\ndate: 2026-11-20\n"
            f"dateline: {DATELINE}\nheadline: Council Votes\n{BODY}{EXTRA['open-letter']}"
        }
    )
    site = tmp_path / "site"
    result = run(capsys, root, "site", "--out", str(site), "--use-pressroom-now")
    assert result.code == 0, result.err
    page = squash(re.sub(r"<[^>]+>", " ", (site / "2026-11-20-x" / "index.html").read_text()))
    assert f"{DATELINE}, November 20, 2026" in page
