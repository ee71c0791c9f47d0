"""Quotes inside a spokesperson's quote take the language's inner marks.

From a Berlin office: the writer typed "Formsache" inside a quote, and the PDF
printed „Das ist keine „Formsache“.“, the outer marks twice, where a German
reader expects „Das ist keine ‚Formsache‘.“ (and French « … “formalité” … »).
"""

from __future__ import annotations

import pytest

from pressroom.load.room import load_release, load_room
from pressroom.render.context import document

ROOM = """\
org: {name: Sidewalk Commons, website: https://example.org, address: "1 Main St, Baltimore"}
sender: {email: press@example.org}
people:
  mo: {name: Marisol Ortega, title: Director}
contacts: [mo]
timezone: Europe/Berlin
locale: %s
"""
RELEASE = """\
headline: A "headline" with quotes
body:
  - A paragraph says "outer" here.
  - quote: mo
    text: This is no "formality", she said.
"""


@pytest.mark.parametrize(
    ("locale", "paragraph", "quote"),
    [
        ("de_DE", "„outer“", "„This is no ‚formality‘, she said.“"),
        ("fr_FR", "«\u202fouter\u202f»", "«\u202fThis is no “formality”, she said.\u202f»"),
        ("en_US", "“outer”", "“This is no ‘formality’, she said.”"),
    ],
)
def test_a_quote_inside_a_quote_takes_the_inner_marks(tmp_path, locale, paragraph, quote):
    (tmp_path / "pressroom.yaml").write_text(ROOM % locale, encoding="utf-8")
    (tmp_path / "releases").mkdir()
    path = tmp_path / "releases" / "2026-12-01-q.yaml"
    path.write_text(RELEASE, encoding="utf-8")
    room = load_room(tmp_path)
    doc = document(room, load_release(room, path))
    texts = [block.rich.text.replace("\n", " ") for block in doc.blocks if block.rich]
    assert paragraph in texts[0]
    assert texts[1] == quote
