"""Quotes in a draft -> quote blocks, with who said them.

Three shapes are recognised, each with the person it names:

* a quote paragraph (or several: each opens with a quotation mark, the last one
  closes) followed by an attribution line ``— Name, Title``; paragraphs in a
  quote style (Word's "Quote", a Markdown ``>``) need no marks;
* the inline form ``"...," said Name, Title.`` (also ``says``, ``added``...),
  with any sentence after the attribution kept as a paragraph of its own;
* a line ``Said Name, Title`` (or ``According to Name:``) before the quote.

The quote's text is stored without its outer quotation marks (pressroom sets
them in the release's language); a final comma before the closing mark
becomes a full stop.
"""

from __future__ import annotations

import re

from pressroom.drafts.importing.wording import alternation

OPENING = ('"', "\u201c", "\u201e", "\u00ab")
CLOSING = ('"', "\u201d", "\u201c", "\u00bb")
ATTRIBUTION = re.compile(r"^\s*(?:\u2014|\u2013|--?|\u2015)\s*(?P<who>[^\n]{2,200})$")
SAID_BEFORE = re.compile(
    r"^(?:said|says|according to|laut|selon|según|secondo|volgens|segundo)"
    r"\s+(?P<who>[^\u201c\"\n]{2,200}?)\s*[:,.]?\s*$",
    re.IGNORECASE,
)
_VERB = alternation("said")
SAID_AFTER = re.compile(
    r"^(?P<quote>[\"\u201c\u201e\u00ab].+?[\"\u201d\u201c\u00bb])\s*[,\u2013\u2014]?\s*"
    r"(?:"
    + _VERB
    + r"\s+(?P<who>.+)|(?P<who2>[A-Z][^\u201c\"]+?),?\s+"
    + _VERB
    + r"(?P<rest2>[.,].*)?)$",
    re.DOTALL,
)
ABBREVIATIONS = {
    "dr", "mr", "mrs", "ms", "mx", "prof", "rev", "jr", "sr", "st", "inc", "co", "corp",
    "ltd", "md", "va", "calif", "mass", "wash", "penn", "ill", "ga", "fla", "no", "dept",
    "gov", "sen", "rep", "hon", "u.s", "d.c", "ph.d", "esq", "dipl", "ing", "mme",
    "mmes", "sra", "dra", "dott", "ssa", "drs", "ir", "mag", "bzw", "gmbh", "e.v",
}  # fmt: skip


def opens(text: str) -> bool:
    return text.lstrip("*_ ").startswith(OPENING)


def closes(text: str) -> bool:
    return text.rstrip("*_ ").endswith(CLOSING)


def unquoted(markdown: str, first: bool, last: bool) -> str:
    """A quote paragraph's Markdown without its outer marks."""
    text = markdown.strip()
    if first or opens(text):
        for mark in OPENING:
            if text.startswith(mark):
                text = text[len(mark) :]
                break
    if last:
        for mark in CLOSING:
            if text.endswith(mark):
                text = text[: -len(mark)]
                break
        if text.endswith(","):
            text = text[:-1] + "."
    return text.strip()


def split_sentence(text: str) -> tuple[str, str]:
    """``Jane Doe, director of X. The rest`` -> (``Jane Doe, director of X``, ``The rest``)."""
    opening = min((text.find(mark) for mark in OPENING if mark in text), default=-1)
    if opening > 0:  # "said Jane Doe, director of X Inc. “More words.”"
        who, rest = split_sentence(text[:opening])
        return who, (rest + " " + text[opening:]).strip()
    for match in re.finditer(r"\.(?:\s+|$)", text):
        before = text[: match.start()]
        word = re.split(r"[\s(]", before)[-1].lower() if before else ""
        if word in ABBREVIATIONS or len(word) == 1:
            continue
        after = text[match.end() :].strip()
        if after and not (after[0].isupper() or after.startswith(OPENING)):
            continue
        return before.strip(), after
    return text.strip().rstrip("."), ""


def said_after(text: str) -> tuple[str, str, str] | None:
    """An inline quote: (the quote with its marks, who, what follows the attribution)."""
    match = SAID_AFTER.match(text.strip())
    if not match:
        return None
    if match["who"]:
        who, rest = split_sentence(match["who"])
    else:
        who, rest = match["who2"], (match["rest2"] or "").lstrip(".,").strip()
    if not who or len(who) > 200:
        return None
    return match["quote"], who, rest
